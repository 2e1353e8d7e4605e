#!/usr/bin/python3
"""Plots of Resurgence output folders (headless; writes PNG, and SVG with --svg).

    plot.py run DIR                 key indicators over time, median with 50%/90% bands
    plot.py compare DIR_A DIR_B ... the same indicators overlaid for several runs
    plot.py sweep DIR               outcomes against swept parameters, heat maps
    plot.py severity DIR            CCDF of attack severity and cell size, power-law fit
    plot.py resurgence DIR          days to resurgence across replications
    plot.py regions DIR             one indicator per region, small multiples
    plot.py report DIR              DIR/report.html (run or sweep folder), one self-contained file
    plot.py all DIR                 every plot that applies, then the report

Images go to DIR/plots/ unless --out is given; --manifest FILE also writes a JSON
description of every figure. Bad input, including input from which a command can draw
nothing, gives one line on stderr and exit code 2. See docs/plots.md. Needs the Debian python3 (/usr/bin/python3) with
matplotlib, pandas and numpy.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot: never needs a display

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import plot_stats  # noqa: E402
import report  # noqa: E402
from plot_io import (  # noqa: E402
    InputError,
    MissingInput,
    RunInfo,
    SweepInfo,
    load_run_info,
    load_sweep_info,
    note,
    numeric_columns,
    read_table,
    replication_count,
    require_folder,
    write_atomically,
)

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
BAND_TEXT = "line = median across replications, bands = central 50% and 90% of replications"
ATTACK_TYPES = ("kidnap_extortion", "assassination", "ambush", "bombing", "prison_raid")
FLOW_PREFIXES = ("attacks_", "casualties_", "crossings_")
FLOW_NAMES = frozenset({"attacks", "escapes", "arrests", "raids", "air_strikes", "releases",
                        "repatriations"})
LABELS = {
    "fighters_active": "Active fighters",
    "fighters_at_large": "Fighters at large",
    "detainees_fighters": "Detained fighters",
    "detainees_families": "Detained family members",
    "escapes": "Escapes",
    "supporters": "Supporters",
    "informants": "Informants",
    "legitimacy_mean": "Legitimacy (mean)",
    "intimidation_mean": "Intimidation (mean)",
    "attacks_total": "All attacks",
    "attacks": "Attacks",
    "kidnap_extortion": "Kidnap and extortion",
    "prison_raid": "Prison raids",
}
CAPTION_FONT_SIZE = 8.0
FIGURE_WIDTH = 11.0


# ---------------------------------------------------------------- figure plumbing


def humanize(name: str) -> str:
    return LABELS.get(name) or name.replace("_", " ").strip().capitalize()


def run_caption(info: RunInfo, replications: int) -> str:
    return f"Scenario: {info.name}; {replications} replication{'s' if replications != 1 else ''}."


def finish_figure(fig, title: str, caption: str) -> None:
    """Title on top, wrapped caption underneath, subplots laid out in between."""
    fig._resurgence_caption = caption  # for the manifest
    width_in, height_in = fig.get_size_inches()
    # DejaVu Sans averages about 0.55 em per character; wrap a little narrower than that.
    chars_per_line = max(40, int((width_in - 0.3) * 72 / (CAPTION_FONT_SIZE * 0.54)))
    text = fig.text(0.01, 0.012, textwrap.fill(caption, width=chars_per_line), ha="left",
                    va="bottom", fontsize=CAPTION_FONT_SIZE, color="#333333")
    fig.suptitle(title, fontsize=13, fontweight="bold")
    caption_height = text.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi
    fig.tight_layout(rect=(0, (caption_height + 0.2) / height_in, 1, 1))


# Descriptions of the figures written by this process, for --manifest (None: not asked for).
MANIFEST: list[dict] | None = None


def describe_figure(fig, files: list[Path]) -> dict:
    """What a reader sees in a figure: titles, axis labels and limits, legend entries."""
    axes = []
    for ax in fig.axes:
        if not ax.get_visible() or ax.get_label() == "<colorbar>":
            continue
        legend = ax.get_legend()
        axes.append({
            "title": ax.get_title(),
            "xlabel": ax.get_xlabel(),
            "ylabel": ax.get_ylabel(),
            "xlim": [float(v) for v in ax.get_xlim()],
            "ylim": [float(v) for v in ax.get_ylim()],
            "legend": [t.get_text() for t in legend.get_texts()] if legend else [],
            "lines": len(ax.get_lines()),
            "texts": [t.get_text() for t in ax.texts],
        })
    suptitle = fig._suptitle.get_text() if fig._suptitle is not None else ""
    return {"files": [str(p) for p in files], "title": suptitle,
            "caption": getattr(fig, "_resurgence_caption", ""), "axes": axes}


def save_figure(fig, out_dir: Path, stem: str, svg: bool) -> list[Path]:
    """Write stem.png (and stem.svg) into out_dir through temp files; close the figure."""
    written = []
    formats = ["png"] + (["svg"] if svg else [])
    try:
        for fmt in formats:
            path = out_dir / f"{stem}.{fmt}"
            metadata = {"Date": None} if fmt == "svg" else None  # no timestamp in SVG
            write_atomically(path, functools.partial(
                fig.savefig, format=fmt, dpi=110, metadata=metadata, facecolor="white"))
            written.append(path)
        if MANIFEST is not None:
            MANIFEST.append(describe_figure(fig, written))
    finally:
        plt.close(fig)
    return written


def floor_at_zero(ax) -> None:
    """Counts start at 0; an all-zero series gets 0 to 1 instead of a range around 0."""
    bottom, top = ax.get_ylim()
    bottom = min(0.0, bottom)
    ax.set_ylim(bottom, top if top > 0 else 1.0)


def subplot_grid(count: int, max_columns: int, panel_width: float, panel_height: float, **kwargs):
    columns = min(count, max_columns)
    rows = math.ceil(count / columns)
    width = max(FIGURE_WIDTH, columns * panel_width) if columns > 1 else FIGURE_WIDTH * 0.8
    fig, axes = plt.subplots(
        rows, columns, figsize=(width, rows * panel_height + 1.4), squeeze=False, **kwargs
    )
    flat = list(axes.flat)
    for spare in flat[count:]:
        spare.set_visible(False)
    return fig, flat[:count]


def format_time_axis(ax, dated: bool) -> None:
    if dated:
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.set_xlabel("date")
    else:
        ax.set_xlabel("day")
    ax.grid(True, alpha=0.3)


def draw_band(ax, q: pd.DataFrame, color, label: str, monthly: bool, partial=(),
              band_alpha: float = 1.0) -> None:
    """Median line with 50% and 90% bands; q has quantile columns and a time index.
    Monthly values get dots, hollow for the partial months listed in partial."""
    x = q.index.to_numpy()
    ax.fill_between(x, q[0.05], q[0.95], color=color, alpha=0.13 * band_alpha, linewidth=0)
    ax.fill_between(x, q[0.25], q[0.75], color=color, alpha=0.28 * band_alpha, linewidth=0)
    ax.plot(
        x, q[0.5], color=color, label=label, linewidth=1.6,
        marker="o" if monthly else None, markersize=4,
    )
    if monthly and len(partial):
        hollow = q.index.isin(list(partial))
        ax.plot(x[hollow], q[0.5].to_numpy()[hollow], linestyle="none", marker="o", markersize=4,
                markerfacecolor="white", markeredgecolor=color, zorder=3)


def color(index: int):
    return plt.get_cmap("tab10")(index % 10)


# ---------------------------------------------------------------- time series tables


def is_flow(name: str, info: RunInfo, table: str = "timeseries") -> bool:
    kind = str(info.column(name, table).get("kind", "")).lower()
    if kind in ("stock", "flow"):
        return kind == "flow"
    return name in FLOW_NAMES or name.startswith(FLOW_PREFIXES)


@dataclass(frozen=True)
class TimeTable:
    """A per-day output table with its time keys: _x (date or day) and _month."""

    frame: pd.DataFrame
    path: Path
    info: RunInfo
    replications: int
    dated: bool
    partial_months: tuple  # _month keys of months that the table covers only in part

    @property
    def columns(self) -> list[str]:
        return [c for c in self.frame.columns if not c.startswith("_")]


def load_time_table(
    folder: Path, info: RunInfo, file_name: str, required=(), feature=()
) -> TimeTable:
    path = folder / file_name
    frame = read_table(path, required=("replication", "day", *required), feature=feature)
    frame = numeric_columns(frame, path, ["day"])
    if frame["day"].isna().any():
        raise InputError(f"{path}: column 'day' has empty values")
    value_columns = [c for c in frame.columns if c not in ("replication", "day", "date", *required)]
    frame = numeric_columns(frame, path, value_columns)
    frame, dated = _attach_time(frame, info, path)
    return TimeTable(
        frame, path, info, replication_count(info, frame), dated, _partial_months(frame, dated)
    )


def _attach_time(frame: pd.DataFrame, info: RunInfo, path: Path) -> tuple[pd.DataFrame, bool]:
    """The frame with _x (date, or day) and _month columns added, and whether it is dated.
    The columns are joined in one concat: inserting them one at a time into a frame of a
    hundred columns makes pandas print a PerformanceWarning."""
    if "date" in frame.columns:
        dates = pd.to_datetime(frame["date"], errors="coerce")
        bad = dates.isna()
        if bad.any():
            raise InputError(
                f"{path}: column 'date' has a value that is not an ISO date: "
                f"{frame['date'][bad].iloc[0]!r}"
            )
    elif info.start_date is not None:
        note(f"{path}: no 'date' column; dates computed from run.json scenario.start_date")
        dates = info.start_date + pd.to_timedelta(frame["day"], unit="D")
    else:
        note(f"{path}: no 'date' column and no start date; time axis in days, months of 30 days")
        time = {"_x": frame["day"], "_month": (frame["day"] // 30) * 30}
        return pd.concat([frame, pd.DataFrame(time, index=frame.index)], axis=1), False
    time = {"_x": dates, "_month": dates.dt.to_period("M").dt.to_timestamp()}
    return pd.concat([frame, pd.DataFrame(time, index=frame.index)], axis=1), True


def _partial_months(frame: pd.DataFrame, dated: bool) -> tuple:
    days = frame.groupby("_month")["_x"].nunique()
    full = days.index.days_in_month if dated else np.full(len(days), 30)
    return tuple(month for month, covered, length in zip(days.index, days, full) if covered < length)


def month_names(months, dated: bool) -> str:
    if dated:
        return ", ".join(pd.Timestamp(m).strftime("%Y-%m") for m in months)
    return ", ".join(f"days {int(m)}-{int(m) + 29}" for m in months)


def quantile_bands(frame: pd.DataFrame, column: str, monthly: bool) -> pd.DataFrame:
    """Quantiles across replications per day, or of per-replication monthly sums."""
    if monthly:
        data = frame.groupby(["replication", "_month"])[column].sum(min_count=1).reset_index()
        key = "_month"
    else:
        data, key = frame, "_x"
    bands = data.groupby(key)[column].quantile(list(QUANTILES)).unstack()
    return bands.dropna(how="all")


def months_caption(table: TimeTable, any_monthly: bool) -> str:
    if not any_monthly:
        return ""
    text = " Flows (dots) are summed per calendar month in each replication first."
    if table.partial_months:
        text += (f" Open dots mark months the run covers only in part "
                 f"({month_names(table.partial_months, table.dated)}).")
    return text


# ---------------------------------------------------------------- indicator figures


@dataclass(frozen=True)
class Panel:
    title: str
    columns: tuple[str, ...]
    labels: tuple[str, ...]
    monthly: bool


@dataclass(frozen=True)
class FigureSpec:
    stem: str
    title: str
    panels: tuple[Panel, ...]
    sharey: bool = False


def indicator_figures(columns: list[str], info: RunInfo) -> list[FigureSpec]:
    """The key-indicator figures that the available columns allow (notes for the rest)."""
    present = set(columns)
    countries = [c[len("fighters_at_large_"):] for c in columns if c.startswith("fighters_at_large_")]
    country_attacks = {f"attacks_{c}" for c in countries}
    attack_types = [f"attacks_{t}" for t in ATTACK_TYPES]
    attack_types += [
        c for c in columns
        if c.startswith("attacks_") and c not in attack_types
        and c != "attacks_total" and c not in country_attacks
    ]
    typed = [c for c in attack_types if c in present]

    # (stem, figure title, [(panel title, candidate columns, labels or None)])
    if countries:
        fighters = [("Fighters at large", [f"fighters_at_large_{c}" for c in countries],
                     [c.replace("_", " ").title() for c in countries])]
    else:
        fighters = [("Active fighters", ["fighters_active"], None)]
    if typed:
        attacks = [(humanize(c[len("attacks_"):]), [c], None) for c in typed]
    else:
        attacks = [("Attacks", ["attacks_total"], None)]
    candidates = [
        ("fighters", "Fighters at large by country", fighters),
        ("attacks", "Attacks by type", attacks),
        ("detention", "Detainees and escapes", [
            ("Detainees", ["detainees_fighters", "detainees_families"], None),
            ("Escapes", ["escapes"], None),
        ]),
        ("civilians", "Supporters and informants", [
            ("Supporters", ["supporters"], None),
            ("Informants", ["informants"], None),
        ]),
        ("legitimacy", "Legitimacy", [
            ("Legitimacy of the government (mean)", ["legitimacy_mean"], ["Legitimacy"]),
            ("Intimidation (mean)", ["intimidation_mean"], ["Intimidation"]),
        ]),
    ]

    figures = []
    for stem, title, wanted in candidates:
        panels, missing = [], []
        for panel_title, names, labels in wanted:
            chosen = [(n, labels[i] if labels else humanize(n)) for i, n in enumerate(names) if n in present]
            if not chosen:
                missing += names
                continue
            monthly = is_flow(chosen[0][0], info)
            units = {info.unit(n) for n, _ in chosen}
            if len(units) > 1:  # e.g. detained fighters (fighters) and family members (persons)
                chosen = [(n, f"{label} ({series_unit(info.unit(n), monthly)})" if info.unit(n) else label)
                          for n, label in chosen]
            panels.append(Panel(
                f"{panel_title} per month" if monthly else panel_title,
                tuple(n for n, _ in chosen), tuple(label for _, label in chosen), monthly,
            ))
        if not panels:
            note(f"skipping figure '{title}': no column {', '.join(missing)}")
            continue
        if missing:
            note(f"figure '{title}': no column {', '.join(missing)}; those panels are left out")
        figures.append(FigureSpec(stem, title, tuple(panels), sharey=stem == "attacks"))
    return figures


# Columns the run figures are drawn from (for the message when none of them is present).
RUN_COLUMNS_TEXT = ("fighters_at_large_<country> or fighters_active, attacks_<type> or attacks_total, "
                    "detainees_fighters, detainees_families, escapes, supporters, informants, "
                    "legitimacy_mean, intimidation_mean")


def per_month(unit: str) -> str:
    """A flow's unit summed per calendar month: 'attacks/day' -> 'attacks per month'."""
    base = unit[: -len("/day")] if unit.endswith("/day") else unit
    return f"{base} per month" if base else "per month"


def series_unit(unit: str, monthly: bool) -> str:
    return per_month(unit) if monthly else unit


def panel_ylabel(panel: Panel, info: RunInfo, table: str = "timeseries") -> str:
    """The panel's unit; several units (each series' is in its legend entry) joined by ', '."""
    units = [u for u in dict.fromkeys(info.unit(c, table) for c in panel.columns) if u]
    return ", ".join(series_unit(u, panel.monthly) for u in units)


def draw_run_figure(spec: FigureSpec, table: TimeTable):
    fig, axes = subplot_grid(len(spec.panels), 2, 5.5, 4.0, sharey=spec.sharey)
    for ax, panel in zip(axes, spec.panels):
        for index, (column, label) in enumerate(zip(panel.columns, panel.labels)):
            bands = quantile_bands(table.frame, column, panel.monthly)
            if bands.empty:
                note(f"{table.path}: column '{column}' has no values; not drawn")
                continue
            draw_band(ax, bands, color(index), label, panel.monthly, table.partial_months)
        if len(spec.panels) > 1:
            ax.set_title(panel.title)
        if not spec.sharey or ax.get_subplotspec().is_first_col():
            ax.set_ylabel(panel_ylabel(panel, table.info))
        floor_at_zero(ax)
        format_time_axis(ax, table.dated)
        if len(panel.columns) > 1:
            ax.legend(fontsize=8, loc="best")
    caption = (
        f"{run_caption(table.info, table.replications)} {BAND_TEXT.capitalize()} "
        f"(per day for stocks).{months_caption(table, any(p.monthly for p in spec.panels))} "
        f"Source: {table.path}."
    )
    finish_figure(fig, spec.title, caption)
    return fig


def plot_run(folder: Path, out: Path, svg: bool) -> list[Path]:
    require_folder(folder)
    info = load_run_info(folder)
    table = load_time_table(folder, info, "timeseries.csv")
    figures = indicator_figures(table.columns, info)
    if not figures:
        found = ", ".join(table.frame.columns.drop(["_x", "_month"])) or "none"
        raise InputError(f"{table.path}: no column to plot: expected at least one of "
                         f"{RUN_COLUMNS_TEXT} (columns found: {found})")
    written = []
    for spec in figures:
        written += save_figure(draw_run_figure(spec, table), out, f"run_{spec.stem}", svg)
    return written


# ---------------------------------------------------------------- compare


def run_labels(infos: list[RunInfo]) -> list[str]:
    names = [info.name for info in infos]
    return [
        f"{name} ({info.folder.name})" if names.count(name) > 1 else name
        for name, info in zip(names, infos)
    ]


def plot_compare(folders: list[Path], out: Path, svg: bool) -> list[Path]:
    if len(folders) < 2:
        raise InputError("compare needs at least two run folders")
    tables = []
    for folder in folders:
        require_folder(folder)
        info = load_run_info(folder)
        tables.append(load_time_table(folder, info, "timeseries.csv"))
    labels = run_labels([t.info for t in tables])
    union: list[str] = []
    for table in tables:
        union += [c for c in table.columns if c not in union]

    figures = indicator_figures(union, tables[0].info)
    if not figures:
        raise InputError(f"{', '.join(str(t.path) for t in tables)}: no column to plot: expected "
                         f"at least one of {RUN_COLUMNS_TEXT}")
    written = []
    for spec in figures:
        series = [(panel, column, label) for panel in spec.panels
                  for column, label in zip(panel.columns, panel.labels)]
        fig, axes = subplot_grid(len(series), 3, 4.4, 3.6)
        for ax, (panel, column, label) in zip(axes, series):
            for index, (table, run_label) in enumerate(zip(tables, labels)):
                if column not in table.frame.columns:
                    continue
                bands = quantile_bands(table.frame, column, panel.monthly)
                if not bands.empty:
                    draw_band(ax, bands, color(index), run_label, panel.monthly,
                              table.partial_months, band_alpha=0.8)
            ax.set_title(f"{label} per month" if panel.monthly else label, fontsize=10)
            ax.set_ylabel(series_unit(tables[0].info.unit(column), panel.monthly))
            floor_at_zero(ax)
            format_time_axis(ax, all(t.dated for t in tables))
        handles, legend_labels = axes[0].get_legend_handles_labels()
        axes[0].legend(handles, legend_labels, fontsize=8, loc="best", title="scenario", title_fontsize=8)
        runs_text = "; ".join(
            f"{label}: {table.replications} replications ({table.path.parent})"
            for label, table in zip(labels, tables)
        )
        caption = f"Runs compared: {runs_text}. {BAND_TEXT.capitalize()} (per day for stocks)."
        if any(p.monthly for p in spec.panels):
            caption += (" Flows (dots) are summed per calendar month in each replication first;"
                        " open dots mark partial months.")
        finish_figure(fig, f"{spec.title}: comparison", caption)
        written += save_figure(fig, out, f"compare_{spec.stem}", svg)
    return written


# ---------------------------------------------------------------- sweep


@dataclass(frozen=True)
class Sweep:
    folder: Path
    info: SweepInfo
    runs: pd.DataFrame
    parameters: tuple[str, ...]
    outcomes: tuple[str, ...]  # outcomes with values that differ between runs: plotted
    units: dict[str, str]
    points: int
    replications: int | None  # per design point
    constant: dict[str, float]  # outcomes with one value, the same in every run
    empty: tuple[str, ...]  # outcomes without a value in any run

    def caption_head(self) -> str:
        """'Sweep tiny_grid over scenario baseline_2019 (grid design): 6 design points x 2
        replications = 12 runs.'"""
        base = f" over scenario {self.info.base_name}" if self.info.base_name else ""
        kind = f" ({self.info.kind} design)" if self.info.kind else ""
        if self.replications:
            size = (f"{self.points} design points × {self.replications} replication"
                    f"{'s' if self.replications != 1 else ''} = {len(self.runs)} runs")
        else:
            size = f"{self.points} design points, {len(self.runs)} runs"
        return f"Sweep {self.info.name}{base}{kind}: {size}."


def load_sweep(folder: Path) -> Sweep:
    require_folder(folder)
    info = load_sweep_info(folder)
    parameters = info.parameter_names
    outcomes = [o["name"] for o in info.outcomes]
    units = {o: info.unit(o) for o in outcomes if info.unit(o)}
    runs_path = folder / "runs.csv"
    runs = read_table(runs_path, required=parameters)
    if not outcomes:
        skip = {"point", "replication", "seed", *parameters}
        outcomes = [c for c in runs.columns if c not in skip]
    present = [o for o in outcomes if o in runs.columns]
    for outcome in outcomes:
        if outcome not in runs.columns:
            note(f"{runs_path}: no column for outcome '{outcome}'; skipped")
    runs = numeric_columns(runs, runs_path, present)
    empty = tuple(o for o in present if runs[o].isna().all())
    constant = {o: float(runs[o].iloc[0]) for o in present
                if runs[o].notna().all() and runs[o].nunique() == 1}
    plotted = tuple(o for o in present if o not in empty and o not in constant)
    if not plotted:
        raise InputError(f"{runs_path}: no outcome column with values that differ between runs "
                         f"(outcomes: {', '.join(outcomes) or 'none'})")
    for outcome in empty:
        note(f"{runs_path}: outcome '{outcome}' has no value in any run; not plotted")
    for outcome, value in constant.items():
        note(f"{runs_path}: outcome '{outcome}' is {value:g} in every run; not plotted")
    for parameter in parameters:
        converted = pd.to_numeric(runs[parameter], errors="coerce")
        if converted.notna().all():
            runs[parameter] = converted
    points = info.count("points")
    if points is None:
        points = int(runs["point"].nunique()) if "point" in runs.columns else len(
            runs[parameters].drop_duplicates())
    replications = info.count("replications")
    if replications is None and "replication" in runs.columns:
        per_point = runs.groupby("point")["replication"].nunique() if "point" in runs.columns else None
        if per_point is not None and per_point.nunique() == 1:
            replications = int(per_point.iloc[0])
    return Sweep(folder, info, runs, tuple(parameters), plotted, units, points, replications,
                 constant, empty)


def _parameter_axis(values: pd.Series) -> tuple[pd.Series, list[str] | None]:
    """Numeric parameters stay as they are; text parameters become category positions."""
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float), None
    categories = sorted(values.astype(str).unique())
    return values.astype(str).map({c: i for i, c in enumerate(categories)}).astype(float), categories


def outcome_label(sweep: Sweep, outcome: str) -> str:
    unit = sweep.units.get(outcome)
    return f"{outcome} ({unit})" if unit else outcome


def draw_sweep_outcome(sweep: Sweep, outcome: str):
    runs = sweep.runs
    valid = runs[outcome].notna()
    fig, axes = subplot_grid(len(sweep.parameters), 3, 4.6, 3.8, sharey=True)
    for ax, parameter in zip(axes, sweep.parameters):
        x, categories = _parameter_axis(runs[parameter])
        ax.scatter(x[valid], runs.loc[valid, outcome], s=12, alpha=0.35, color=color(0),
                   edgecolors="none", label="runs")
        smooth = plot_stats.binned_median(x[valid], runs.loc[valid, outcome])
        if not smooth.empty:
            ax.fill_between(smooth["x"], smooth["q25"], smooth["q75"], color=color(1), alpha=0.25,
                            linewidth=0, label="25-75%")
            ax.plot(smooth["x"], smooth["q50"], color=color(1), marker="o", markersize=4,
                    linewidth=2, label="median")
        if categories:
            ax.set_xticks(range(len(categories)), categories, rotation=30, ha="right")
        elif x.max() > x.min():  # the whole swept range, also where the outcome has no values
            pad = 0.04 * (x.max() - x.min())
            ax.set_xlim(x.min() - pad, x.max() + pad)
            levels = np.sort(x.unique())
            if len(levels) <= 8:  # a grid or list design: tick the swept values themselves
                ax.set_xticks(levels, [_short(float(v)) for v in levels])
            else:
                ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
                ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.3g}"))
        ax.set_xlabel(parameter)
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel(outcome_label(sweep, outcome))
    axes[0].legend(fontsize=8, loc="best")
    missing = int((~valid).sum())
    caption = (
        f"{sweep.caption_head()} Points = single runs; line = median per parameter value (per "
        f"equal-count bin when a parameter has more than 15 values), band = 25-75% quantiles. "
    )
    if len(sweep.parameters) > 1:
        caption += "Each panel pools over the other swept parameters. "
    if missing:
        caption += f"{missing} runs have no value for {outcome} (e.g. never resurged) and are not shown. "
    caption += f"Source: {sweep.folder / 'runs.csv'}."
    finish_figure(fig, f"{outcome} against the swept parameters", caption)
    return fig


def _heat_bins(values: pd.Series, max_values: int = 12, bins: int = 8) -> tuple[pd.Series, list[str]]:
    if values.nunique() <= max_values or not pd.api.types.is_numeric_dtype(values):
        levels = sorted(values.unique())
        return values.map({v: i for i, v in enumerate(levels)}), [_short(v) for v in levels]
    cut = pd.qcut(values, q=bins, duplicates="drop")
    return pd.Series(cut.cat.codes, index=values.index), [_short(i.mid) for i in cut.cat.categories]


def _short(value) -> str:
    return f"{value:.3g}" if isinstance(value, (float, np.floating)) else str(value)


def draw_sweep_heatmap(sweep: Sweep, outcome: str):
    a, b = sweep.parameters
    runs = sweep.runs[sweep.runs[outcome].notna()]
    codes_a, labels_a = _heat_bins(runs[a])
    codes_b, labels_b = _heat_bins(runs[b])
    medians = runs.groupby([codes_b, codes_a])[outcome].median()
    grid = np.full((len(labels_b), len(labels_a)), np.nan)
    for (row, col), value in medians.items():
        grid[int(row), int(col)] = value
    fig, ax = plt.subplots(figsize=(7.5, 6.2))
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("#dddddd")
    image = ax.imshow(np.ma.masked_invalid(grid), origin="lower", aspect="auto", cmap=cmap)
    ax.set_xticks(range(len(labels_a)), labels_a, rotation=30, ha="right")
    ax.set_yticks(range(len(labels_b)), labels_b)
    ax.set_xlabel(a)
    ax.set_ylabel(b)
    fig.colorbar(image, ax=ax, label=f"median {outcome_label(sweep, outcome)}")
    if grid.size <= 144:
        finite = grid[np.isfinite(grid)]
        middle = (finite.min() + finite.max()) / 2 if finite.size else 0
        for (row, col), value in np.ndenumerate(grid):
            if np.isfinite(value):
                ax.text(col, row, _short(float(value)), ha="center", va="center", fontsize=8,
                        color="black" if value > middle else "white")
    missing = int(sweep.runs[outcome].isna().sum())
    caption = (
        f"{sweep.caption_head()} Median of {outcome} over the runs in each cell "
        f"({len(runs)} runs with a value). Cells are parameter values, or equal-count bins "
        f"(labelled by their midpoint) when a parameter has more than 12 values; grey = no runs."
        + (f" {missing} runs without a value (e.g. never resurged) are left out." if missing else "")
        + f" Source: {sweep.folder / 'runs.csv'}."
    )
    finish_figure(fig, f"{outcome}: {a} by {b}", caption)
    return fig


def plot_sweep(folder: Path, out: Path, svg: bool) -> list[Path]:
    sweep = load_sweep(folder)
    written = []
    for outcome in sweep.outcomes:
        stem = f"sweep_{_file_part(outcome)}"
        written += save_figure(draw_sweep_outcome(sweep, outcome), out, stem, svg)
        if len(sweep.parameters) == 2:
            written += save_figure(draw_sweep_heatmap(sweep, outcome), out, f"{stem}_heatmap", svg)
    if len(sweep.parameters) != 2:
        note(f"heat maps are drawn only when exactly two parameters are swept "
             f"({len(sweep.parameters)} here)")
    return written


def _file_part(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)


# ---------------------------------------------------------------- severity


def draw_ccdf(values: np.ndarray, what: str, unit_text: str, caption_head: str):
    """Log-log complementary CDF with the power-law fit; returns the figure."""
    positive = np.sort(values[values > 0])
    zeros = int((values <= 0).sum())
    fig, ax = plt.subplots(figsize=(8, 6))
    levels, first = np.unique(positive, return_index=True)
    ccdf = 1 - first / len(positive)  # P(X >= x)
    ax.loglog(levels, ccdf, "o", markersize=4, color=color(0), alpha=0.8, label="data")
    fit = plot_stats.fit_power_law(positive)
    if fit is not None:
        if fit.discrete:
            xs = np.unique(np.round(np.geomspace(fit.xmin, positive.max(), 200)))
        else:
            xs = np.geomspace(fit.xmin, positive.max(), 200)
        scale = fit.n_tail / fit.n
        lo, hi = fit.interval95
        ax.loglog(xs, scale * fit.ccdf(xs), color=color(3), linewidth=2,
                  label=f"power law, alpha = {fit.alpha:.2f} [{lo:.2f}, {hi:.2f}]")
        ax.axvline(fit.xmin, color="grey", linestyle=":", linewidth=1, label=f"x_min = {fit.xmin:g}")
        fit_text = (
            f" Power-law fit ({'discrete' if fit.discrete else 'continuous'} maximum likelihood, "
            f"Clauset, Shalizi & Newman 2009"
            f"{', eq. 3.7 approximation for integers' if fit.discrete else ''}): "
            f"alpha = {fit.alpha:.3f}, 95% interval {lo:.3f} to {hi:.3f} = alpha +/- 1.96 standard "
            f"errors, standard error (alpha-1)/sqrt(n_tail) = {fit.standard_error:.3f}; "
            f"x_min = {fit.xmin:g} chosen by the smallest Kolmogorov-Smirnov distance "
            f"(D = {fit.ks:.3f}); n_tail = {fit.n_tail} of {fit.n}. The fitted line is scaled "
            f"by n_tail/n. No goodness-of-fit test was done."
        )
    else:
        fit_text = " Too few values for a power-law fit (at least 10 at or above x_min are needed)."
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.set_xlabel(f"{what}{unit_text}")
    ax.set_ylabel("P(X >= x)")
    ax.grid(True, which="both", alpha=0.25)
    ax.legend(fontsize=9)
    zero_text = f" {zeros} values of 0 cannot be shown on log axes and are left out." if zeros else ""
    finish_figure(fig, f"Distribution of {what}", f"{caption_head}{zero_text}{fit_text}")
    return fig


def plot_severity(folder: Path, out: Path, svg: bool) -> list[Path]:
    require_folder(folder)
    info = load_run_info(folder)
    written: list[Path] = []
    events_path = folder / "events.csv"
    cells_path = folder / "cell_sizes.csv"
    if not events_path.exists() and not cells_path.exists():
        raise MissingInput(f"{events_path}: file not found (nor cell_sizes.csv)")

    if events_path.exists():
        events = read_table(events_path, required=("replication", "type", "severity"),
                            numeric=("severity",))
        attacks = events[events["type"].astype(str).str.startswith("attack")]
        severity = attacks["severity"].dropna().to_numpy(dtype=float)
        if (severity > 0).sum() == 0:
            note(f"{events_path}: no attack events with severity above 0; severity plot skipped")
        else:
            unit = info.unit("severity", "events") or "casualties"
            head = (
                f"{run_caption(info, replication_count(info, events))} Attack events "
                f"(type attack_*) pooled over replications: {len(severity)} events. Source: {events_path}."
            )
            fig = draw_ccdf(severity, "attack severity", f" ({unit})", head)
            written += save_figure(fig, out, "severity_attacks", svg)
    else:
        note(f"{events_path}: file not found; attack severity plot skipped")

    if cells_path.exists():
        cells = read_table(cells_path, required=("replication", "day", "size", "count"),
                           numeric=("day", "size", "count"))
        last_day = cells.groupby("replication")["day"].transform("max")
        final = cells[(cells["day"] == last_day) & (cells["count"] > 0)]
        sizes = np.repeat(final["size"].to_numpy(dtype=float), final["count"].to_numpy(dtype=int))
        if sizes.size == 0 or (sizes > 0).sum() == 0:
            note(f"{cells_path}: no cells on the last day; cell size plot skipped")
        else:
            head = (
                f"{run_caption(info, replication_count(info, cells))} Cells alive on the last "
                f"recorded day of each replication, pooled: {sizes.size} cells. Source: {cells_path}."
            )
            fig = draw_ccdf(sizes, "cell size", " (members)", head)
            written += save_figure(fig, out, "severity_cell_sizes", svg)
    else:
        note(f"{cells_path}: file not found; cell size plot skipped")
    if not written:
        raise MissingInput(f"{folder}: no attack severities or cell sizes to plot")
    return written


# ---------------------------------------------------------------- resurgence


def plot_resurgence(folder: Path, out: Path, svg: bool) -> list[Path]:
    require_folder(folder)
    info = load_run_info(folder)
    path = folder / "summary.csv"
    summary = read_table(path, feature=("days_to_resurgence",), numeric=("days_to_resurgence",))
    values = summary["days_to_resurgence"]
    days = values.dropna().to_numpy(dtype=float)
    total = len(values)
    never = total - len(days)
    # Days are counted from resurgence.from_day (run.json; 0 before it was recorded): the last
    # day a replication can score is the horizon less that day.
    res = info.scenario.get("resurgence")
    from_day = res.get("from_day", 0) if isinstance(res, dict) else 0
    from_day = from_day if isinstance(from_day, (int, float)) and from_day > 0 else 0
    horizon = info.horizon_days - from_day if info.horizon_days else None

    fig, (hist_ax, ecdf_ax) = plt.subplots(1, 2, figsize=(FIGURE_WIDTH, 4.8))
    if days.size:
        span = (0.0, float(max(horizon or 0, days.max())))
        count = min(30, max(10, len(np.histogram_bin_edges(days, bins="auto", range=span)) - 1))
        hist_ax.hist(days, bins=np.histogram_bin_edges(days, bins=count, range=span),
                     color=color(0), edgecolor="white")
        hist_ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ordered = np.sort(days)
        fraction = np.arange(1, len(ordered) + 1) / total
        end = horizon or ordered[-1]
        ecdf_ax.step(np.concatenate([[0], ordered, [max(end, ordered[-1])]]),
                     np.concatenate([[0], fraction, [fraction[-1]]]), where="post",
                     color=color(0), linewidth=2)
    else:
        # Nothing to bin: the axes still span the run (day 0 to the horizon), and the ECDF is
        # the flat line at 0 that it is.
        end = float(horizon) if horizon else None
        if end is not None:
            ecdf_ax.plot([0, end], [0, 0], color=color(0), linewidth=2)
        for ax in (hist_ax, ecdf_ax):
            if end is not None:
                ax.set_xlim(0, end * 1.02)
            else:  # no horizon in run.json: no meaningful day axis to show
                ax.set_xticks([])
            ax.text(0.5, 0.5, f"no replication reached resurgence\n(0 of {total})", ha="center",
                    va="center", transform=ax.transAxes, fontsize=12, color="grey")
        hist_ax.set_ylim(0, max(1, total))
        hist_ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if horizon:
        ecdf_ax.axvline(horizon, color="grey", linestyle="--", linewidth=1,
                        label=f"end of the run ({horizon:g} days)")
        ecdf_ax.legend(fontsize=8, loc="upper left")
    hist_ax.set_title("Histogram")
    hist_ax.set_xlabel("days to resurgence")
    hist_ax.set_ylabel("replications")
    ecdf_ax.set_title("Share of all replications resurged by day")
    ecdf_ax.set_xlabel("days to resurgence")
    ecdf_ax.set_ylabel("fraction of replications")
    ecdf_ax.set_ylim(0 if days.size else -0.03, 1.02)  # keep the flat line at 0 visible
    for ax in (hist_ax, ecdf_ax):
        ax.grid(True, alpha=0.3)
    start = ""
    if info.start_date is not None:
        origin = info.start_date + pd.Timedelta(days=from_day)
        start = (f" Day 0 is {origin:%Y-%m-%d}" + (f" (resurgence.from_day {from_day:g} of the run)"
                                                   if from_day else "") + ".")
    median = f" Median among those that resurged: {np.median(days):g} days." if days.size else ""
    levels = (f" The ECDF counts every replication, so it levels off at {(total - never) / total:.0%}."
              if days.size else "")
    caption = (
        f"{run_caption(info, total)} Never resurged (empty days_to_resurgence): {never} of {total}."
        f"{levels}{median}{start} Source: {path}."
    )
    finish_figure(fig, "Days to resurgence", caption)
    return save_figure(fig, out, "resurgence", svg)


# ---------------------------------------------------------------- regions


DEFAULT_REGION_INDICATOR = "attacks"


def plot_regions(folder: Path, out: Path, svg: bool, indicator: str) -> list[Path]:
    require_folder(folder)
    info = load_run_info(folder)
    table = load_time_table(folder, info, "regions.csv", required=("region",))
    if indicator not in table.columns or indicator in ("replication", "day", "date", "region"):
        choices = [c for c in table.columns if c not in ("replication", "day", "date", "region")]
        raise MissingInput(f"{table.path}: missing column '{indicator}' (its indicators: "
                           f"{', '.join(choices) or 'none'}; choose one with --indicator)")
    frame = table.frame
    regions = list(dict.fromkeys(frame["region"].astype(str)))
    monthly = is_flow(indicator, info, "regions")
    fig, axes = subplot_grid(len(regions), 4 if len(regions) > 6 else 3, 3.8, 3.0,
                             sharex=True, sharey=True)
    for ax, region in zip(axes, regions):
        subset = frame[frame["region"].astype(str) == region]
        bands = quantile_bands(subset, indicator, monthly)
        if not bands.empty:
            draw_band(ax, bands, color(0), region, monthly, table.partial_months)
        ax.set_title(region.replace("_", " ").title(), fontsize=10)
        format_time_axis(ax, table.dated)
        ax.set_xlabel("")
    unit = info.unit(indicator, "regions")
    ylabel = series_unit(unit, monthly)
    for ax in axes:
        if ax.get_subplotspec().is_first_col():
            ax.set_ylabel(ylabel)
        floor_at_zero(ax)
    title = f"{humanize(indicator)}{' per month' if monthly else ''} by region"
    meta = info.column(indicator, "regions")
    described = f" ({meta['description']})" if meta.get("description") else ""
    if info.described("regions"):
        source = "units and kind from run.json columns.regions"
    else:
        source = ("run.json has no columns.regions (an older run): units and kind are those the "
                  "engine writes for regions.csv")
    unit_text = f"Unit: {unit} ({source})." if unit else f"No unit known ({source})."
    caption = (
        f"{run_caption(info, table.replications)} Indicator {indicator}{described} in "
        f"{len(regions)} regions; {BAND_TEXT} ({'per month' if monthly else 'per day'}). {unit_text}"
        f"{months_caption(table, monthly)} Source: {table.path}."
    )
    finish_figure(fig, title, caption)
    return save_figure(fig, out, f"regions_{_file_part(indicator)}", svg)


# ---------------------------------------------------------------- all and report


def write_report(folder: Path, plots: Path, output: Path | None) -> list[Path]:
    return [report.write_report(folder, plots, output)]


RUN_FILES = ("run.json", "timeseries.csv", "summary.csv", "events.csv", "regions.csv",
             "cell_sizes.csv")


def plot_all(folder: Path, out: Path, svg: bool, indicator: str) -> list[Path]:
    """Every plot that applies, then the report. A sweep folder (sweep.json, no run files)
    gets the sweep plots and the sweep report; a run folder the run plots and the run
    report; a folder that is neither or both is tried for everything."""
    require_folder(folder)
    is_sweep = (folder / "sweep.json").is_file()
    is_run = any((folder / name).is_file() for name in RUN_FILES)
    run_tasks = [
        ("run", lambda: plot_run(folder, out, svg)),
        ("severity", lambda: plot_severity(folder, out, svg)),
        ("resurgence", lambda: plot_resurgence(folder, out, svg)),
        ("regions", lambda: plot_regions(folder, out, svg, indicator)),
    ]
    sweep_tasks = [("sweep", lambda: plot_sweep(folder, out, svg))]
    if is_sweep and not is_run:
        tasks = sweep_tasks
    elif is_run and not is_sweep:
        tasks = run_tasks
    else:
        tasks = run_tasks + sweep_tasks
    tasks.append(("report", lambda: write_report(folder, out, None)))
    written: list[Path] = []
    for name, task in tasks:
        try:
            written += task()
        except MissingInput as err:  # an optional part whose input is absent: a note
            note(f"skipping {name}: {err}")
    if not written:
        raise InputError(f"{folder}: no Resurgence output files to plot")
    return written


# ---------------------------------------------------------------- command line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plot.py",
        description="Plots and an HTML report from Resurgence output folders (see docs/plots.md).",
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--out", type=Path, metavar="DIR",
                        help="folder for the images (default: DIR/plots)")
    common.add_argument("--svg", action="store_true", help="also write SVG next to each PNG")
    common.add_argument("--manifest", type=Path, metavar="FILE",
                        help="also write FILE, JSON describing each figure written (titles, axis "
                             "labels and limits, legend entries, caption) and every file")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, folders: str = "one"):
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        if folders == "many":
            sub.add_argument("folders", nargs="+", type=Path, metavar="DIR", help="run folders")
        else:
            sub.add_argument("folder", type=Path, metavar="DIR", help="output folder")
        return sub

    command("run", "key indicators over time: median with 50%% and 90%% bands")
    command("compare", "the key indicators of several runs overlaid", folders="many")
    command("sweep", "outcomes against the swept parameters (and heat maps for two)")
    command("severity", "CCDF of attack severity and cell size with power-law fits")
    command("resurgence", "histogram and ECDF of days to resurgence")
    regions = command("regions", "one indicator per region, small multiples")
    regions.add_argument("--indicator", default=DEFAULT_REGION_INDICATOR, metavar="NAME",
                         help=f"regions.csv column to plot (default: {DEFAULT_REGION_INDICATOR})")
    everything = command("all", "every plot that applies to the folder, then the report")
    everything.add_argument("--indicator", default=DEFAULT_REGION_INDICATOR, metavar="NAME",
                            help=f"regions.csv column for the regions plot "
                                 f"(default: {DEFAULT_REGION_INDICATOR})")
    rep = command("report", "write DIR/report.html with the plots embedded")
    rep.add_argument("--output", type=Path, metavar="FILE",
                     help="report file (default: DIR/report.html)")
    return parser


def dispatch(args: argparse.Namespace) -> list[Path]:
    if args.command == "compare":
        out = args.out or args.folders[0] / "plots"
        return plot_compare(args.folders, out, args.svg)
    out = args.out or args.folder / "plots"
    if args.command == "run":
        return plot_run(args.folder, out, args.svg)
    if args.command == "sweep":
        return plot_sweep(args.folder, out, args.svg)
    if args.command == "severity":
        return plot_severity(args.folder, out, args.svg)
    if args.command == "resurgence":
        return plot_resurgence(args.folder, out, args.svg)
    if args.command == "regions":
        return plot_regions(args.folder, out, args.svg, args.indicator)
    if args.command == "all":
        return plot_all(args.folder, out, args.svg, args.indicator)
    if args.command == "report":
        require_folder(args.folder)
        return write_report(args.folder, out, args.output)
    raise AssertionError(f"unhandled command {args.command}")


def write_manifest(path: Path, command: str, written: list[Path]) -> None:
    data = {"command": command, "files": [str(p) for p in written], "figures": MANIFEST or []}

    def write(temp: str) -> None:
        with open(temp, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=2)
            stream.write("\n")

    write_atomically(path, write)


def main(argv: list[str] | None = None) -> int:
    global MANIFEST
    args = build_parser().parse_args(argv)
    MANIFEST = [] if args.manifest else None
    try:
        written = dispatch(args)
        if args.manifest:
            write_manifest(args.manifest, args.command, written)
    except InputError as err:
        print(f"plot.py: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"plot.py: error: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # never a traceback for users unless asked for
        if args.debug:
            raise
        print(f"plot.py: error: internal error ({type(err).__name__}: {err}); "
              f"rerun with --debug for a traceback", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
