#!/usr/bin/python3
"""One self-contained HTML report of a Resurgence run folder or sweep folder.

    report.py DIR [--plots DIR/plots] [--output DIR/report.html]
    plot.py report DIR          (the same, from the plotting tool)
    plot.py all DIR             (draws the plots first, then writes the report)

For a run folder the report holds the scenario's question, its events timeline, the
parameters with their sources, the outcome table from summary.csv with intervals. For a
sweep folder (sweep.json) it holds the sweep and its base scenario, the design, the
outcomes per design point from sweep_summary.csv and the sensitivity results of
`resurgence analyze` when present. Either way every PNG in the plots folder is embedded
as a base64 data URI, so the file can be mailed or archived on its own. All text from the
inputs is escaped with html.escape.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import sys
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

import plot_stats
from plot_io import (
    InputError,
    MissingInput,
    RunInfo,
    SweepInfo,
    as_dict,
    as_list,
    load_run_info,
    load_sweep_info,
    note,
    numeric_columns,
    read_table,
    require_folder,
    write_atomically,
)

REPO = Path(__file__).resolve().parents[1]
MAX_POINT_ROWS = 30  # design points shown in the sweep report's per-point table
MAX_LISTED_VALUES = 12  # values of a swept parameter listed before "…"

PLOT_GROUPS = (
    ("run", "Key indicators over time"),
    ("regions", "Regions"),
    ("severity", "Severity distributions"),
    ("resurgence", "Time to resurgence"),
    ("compare", "Comparison with other runs"),
    ("sweep", "Parameter sweep"),
)
# Within a group, these come first in this order (the order tools/plot.py draws them).
PLOT_ORDER = ("run_fighters", "run_attacks", "run_detention", "run_civilians", "run_legitimacy",
              "severity_attacks", "severity_cell_sizes")
NOT_OUTCOMES = {"replication", "seed"}

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
       max-width: 1150px; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.changed td { background: #fff6d6; }
.question { font-size: 1.15em; font-style: italic; }
.muted { color: #666; font-size: 0.9em; }
figure { margin: 1.2em 0; }
figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #666; font-size: 0.85em; }
"""


def fmt_number(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        if abs(value) >= 100:
            return f"{value:,.1f}"
        return f"{value:.4g}"
    return str(value)


def plain(value: Any) -> str | None:
    """An identifier-like number (a seed) as written, without thousands separators."""
    if value is None or value == "":
        return None
    return str(value).lower() if isinstance(value, bool) else str(value)


def fmt_value(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return fmt_number(value)


def table_html(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset(),
               row_classes: list[str] | None = None) -> str:
    """headers and rows are plain text; every cell is escaped here."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for index, row in enumerate(rows):
        css = f' class="{escape(row_classes[index])}"' if row_classes and row_classes[index] else ""
        cells = "".join(
            f'<td class="num">{escape(cell)}</td>' if i in numeric else f"<td>{escape(cell)}</td>"
            for i, cell in enumerate(row)
        )
        body.append(f"<tr{css}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def facts_section(info: RunInfo) -> str:
    meta, scenario = info.meta, info.scenario
    horizon = scenario.get("horizon_days")
    facts = [
        ("Scenario", info.name),
        ("Scenario file", scenario.get("file")),
        ("Start date", scenario.get("start_date")),
        ("Horizon", f"{fmt_number(horizon)} days" if horizon else None),
        ("Replications", meta.get("replications")),
        ("Master seed", plain(meta.get("seed"))),
        ("Overrides", ", ".join(str(o) for o in as_list(meta.get("overrides"))) or None),
        ("Resurgence version", meta.get("version")),
        ("Git hash", meta.get("git_hash")),
        ("Output folder", str(info.folder)),
    ]
    return facts_table("Run", facts)


def facts_table(title: str, facts) -> str:
    """A titled two-column table of (label, value) facts, leaving out the empty ones."""
    rows = [[label, fmt_value(value)] for label, value in facts if value not in (None, "")]
    return f"<h2>{escape(title)}</h2>" + table_html(["Item", "Value"], rows)


def question_section(info: RunInfo) -> str:
    scenario = info.scenario
    parts = ["<h2>Question</h2>"]
    if scenario.get("question"):
        parts.append(f'<p class="question">{escape(str(scenario["question"]))}</p>')
    if scenario.get("description"):
        for paragraph in str(scenario["description"]).split("\n\n"):
            parts.append(f"<p>{escape(paragraph.strip())}</p>")
    if len(parts) == 1:
        parts.append('<p class="muted">run.json states no question or description.</p>')
    return "".join(parts)


def events_section(info: RunInfo) -> str:
    events = [e for e in as_list(info.scenario.get("events")) if isinstance(e, dict)]
    if not events:
        return '<h2>Events timeline</h2><p class="muted">The scenario schedules no events.</p>'
    events.sort(key=lambda e: e.get("day") if isinstance(e.get("day"), (int, float)) else math.inf)
    rows = [
        [fmt_value(e.get("day")), str(e.get("date", "")), str(e.get("kind", "")), str(e.get("summary", ""))]
        for e in events
    ]
    return "<h2>Events timeline</h2>" + table_html(["Day", "Date", "Kind", "Summary"], rows, numeric={0})


def parameters_section(info: RunInfo) -> str:
    parameters = [p for p in as_list(info.meta.get("parameters")) if isinstance(p, dict)]
    if not parameters:
        return '<h2>Parameters</h2><p class="muted">run.json lists no parameters.</p>'
    rows, classes = [], []
    for p in parameters:
        changed = "default" in p and p.get("value") != p.get("default")
        rows.append([
            str(p.get("name", "")), fmt_value(p.get("value")), fmt_value(p.get("default")),
            str(p.get("unit", "")), str(p.get("source", "")),
        ])
        classes.append("changed" if changed else "")
    text = '<p class="muted">Rows highlighted in yellow differ from the default.</p>' if any(classes) else ""
    return "<h2>Parameters</h2>" + text + table_html(
        ["Parameter", "Value", "Default", "Unit", "Source"], rows, numeric={1, 2}, row_classes=classes
    )


def outcomes_section(info: RunInfo) -> str:
    path = info.folder / "summary.csv"
    if not path.exists():
        return f'<h2>Outcomes</h2><p class="muted">{escape(str(path))} not found.</p>'
    summary = read_table(path)
    rows = []
    for column in summary.columns:
        if column in NOT_OUTCOMES:
            continue
        values = pd.to_numeric(summary[column], errors="coerce")
        if (values.isna() & summary[column].notna()).any():
            continue  # text: not an outcome
        unit = info.unit(column, "summary")
        if values.notna().sum() == 0:  # empty in every replication: say so, do not drop it
            what = ("not reached in any replication" if column == "days_to_resurgence"
                    else "no value in any replication")
            rows.append([column + (f" ({unit})" if unit else ""), "0", fmt_number(len(values)),
                         what, "–", "–", "–", "–"])
            continue
        stats = plot_stats.summarize(values)
        rows.append([
            column + (f" ({unit})" if unit else ""), fmt_number(stats.n), fmt_number(stats.missing),
            fmt_number(stats.mean),
            "–" if math.isnan(stats.ci_lo) else f"{fmt_number(stats.ci_lo)} to {fmt_number(stats.ci_hi)}",
            fmt_number(stats.median), fmt_number(stats.q05), fmt_number(stats.q95),
        ])
    if not rows:
        return f'<h2>Outcomes</h2><p class="muted">{escape(str(path))} has no numeric outcome columns.</p>'
    explanation = (
        f"{len(summary)} replications from {path}. n = replications with a value; empty = "
        "replications without one (for days_to_resurgence: never resurged within the horizon, "
        "so its statistics are over the replications that resurged). The 95% interval of the "
        "mean uses Student's t distribution with n − 1 degrees of freedom (mean ± t·sd/√n). "
        "Median and the 5% and 95% quantiles are empirical, with linear interpolation."
    )
    return (
        "<h2>Outcomes</h2>"
        + table_html(["Outcome", "n", "empty", "Mean", "95% CI of mean", "Median", "5%", "95%"],
                     rows, numeric={1, 2, 3, 4, 5, 6, 7})
        + f'<p class="muted">{escape(explanation)}</p>'
    )


def plots_section(plots_dir: Path, stem_order: tuple[str, ...] = PLOT_ORDER,
                  prefixes: tuple[str, ...] | None = None) -> str:
    """Every PNG in plots_dir (only those whose name starts with one of prefixes, if given),
    grouped by kind; within a group the stems listed in stem_order come first."""
    images = sorted(plots_dir.glob("*.png")) if plots_dir.is_dir() else []
    if prefixes is not None:
        images = [i for i in images if i.stem.startswith(prefixes)]
    if not images:
        return (f'<h2>Plots</h2><p class="muted">No PNG images in {escape(str(plots_dir))}; '
                f"run <code>plot.py all</code> to draw them.</p>")
    order = {prefix: i for i, (prefix, _) in enumerate(PLOT_GROUPS)}
    titles = dict(PLOT_GROUPS)
    groups: dict[str, list[Path]] = {}
    for image in images:
        prefix = image.stem.split("_", 1)[0]
        groups.setdefault(prefix if prefix in titles else "other", []).append(image)
    parts = []
    for prefix in sorted(groups, key=lambda p: order.get(p, len(order))):
        parts.append(f"<h2>{escape(titles.get(prefix, 'Other plots'))}</h2>")
        ranked = sorted(groups[prefix], key=lambda p: (
            stem_order.index(p.stem) if p.stem in stem_order else len(stem_order), p.name))
        for image in ranked:
            data = base64.b64encode(image.read_bytes()).decode("ascii")
            parts.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{escape(image.stem)}">'
                f"<figcaption>{escape(image.name)}</figcaption></figure>"
            )
    return "\n".join(parts)


def build_report(folder: Path, plots_dir: Path) -> str:
    """The report of a run folder, or of a sweep folder (sweep.json and no run.json)."""
    require_folder(folder)
    if (folder / "sweep.json").is_file() and not (folder / "run.json").is_file():
        return build_sweep_report(folder, plots_dir)
    if not (folder / "run.json").exists() and not (folder / "summary.csv").exists():
        raise MissingInput(f"{folder / 'run.json'}: file not found (nor summary.csv nor sweep.json)")
    info = load_run_info(folder)
    if not (folder / "run.json").exists():
        note(f"{folder / 'run.json'}: file not found; the report has no scenario details")
    title = f"Resurgence report: {info.name}"
    return page(title, [
        facts_section(info),
        question_section(info),
        events_section(info),
        parameters_section(info),
        outcomes_section(info),
        plots_section(plots_dir),
        f'<p class="muted">Written by tools/report.py from {escape(str(folder))}.</p>',
    ])


def page(title: str, sections: list[str]) -> str:
    body = "\n".join([f"<h1>{escape(title)}</h1>", *sections])
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


# ---------------------------------------------------------------- sweep report


def _read_yaml(path: Path) -> dict[str, Any] | None:
    try:
        import yaml  # PyYAML: optional, only for the base scenario's question
    except ImportError:
        return None
    try:
        with path.open(encoding="utf-8") as stream:
            data = yaml.safe_load(stream)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def base_scenario_text(info: SweepInfo) -> tuple[str | None, str | None, Path | None]:
    """(question, description, file) of the sweep's base scenario.

    sweep.json gives the base file as the sweep file wrote it (relative to the sweep file's
    folder, which sweep.json does not record), so the file is looked for as written, from
    the working folder, from the sweep folder and from this repository's scenarios/sweeps/
    and scenarios/; it is used only if its name matches sweep.json's base.name. A question
    that the base file does not state is taken from the files it includes."""
    meta = info.meta
    base = as_dict(meta.get("base"))
    question = meta.get("question") or base.get("question")
    description = base.get("description")
    if question:
        return str(question), str(description) if description else None, None
    if not info.base_file:
        return None, None, None
    written = Path(info.base_file)
    if written.is_absolute():
        candidates = [written]
    else:
        candidates = [Path.cwd() / written, info.folder / written, REPO / "scenarios" / "sweeps" / written,
                      REPO / "scenarios" / written]
    for candidate in candidates:
        if not candidate.is_file():
            continue
        data = _read_yaml(candidate)
        if data is None:
            continue
        name = data.get("name") or candidate.stem
        if info.base_name and str(name) != info.base_name:
            continue
        question, description = data.get("question"), data.get("description")
        current, depth = (candidate, data), 0
        while (not question or not description) and depth < 8:
            include = current[1].get("include")
            if not isinstance(include, str):
                break
            path = current[0].parent / include
            included = _read_yaml(path) if path.is_file() else None
            if included is None:
                break
            question = question or included.get("question")
            description = description or included.get("description")
            current, depth = (path, included), depth + 1
        return (str(question).strip() if question else None,
                str(description).strip() if description else None, candidate)
    return None, None, None


def _read_sweep_table(path: Path, parameters: list[str]) -> pd.DataFrame | None:
    if not path.is_file():
        return None
    table = read_table(path)
    return numeric_columns(table, path, [c for c in table.columns if c not in parameters])


def sweep_facts_section(info: SweepInfo, failures: int | None) -> str:
    meta, seeds, design = info.meta, info.seeds, info.design
    crn = seeds.get("common_random_numbers")
    facts = [
        ("Sweep", info.name),
        ("Description", meta.get("description")),
        ("Sweep file", meta.get("sweep_file")),
        ("Base scenario", info.base_name),
        ("Base scenario file", info.base_file),
        ("Fixed overrides", ", ".join(str(o) for o in as_list(meta.get("overrides"))) or None),
        ("Design", design.get("kind")),
        ("Design points", design.get("points")),
        ("Replications per point", design.get("replications")),
        ("Runs (plans)", design.get("plans")),
        ("Master seed", plain(seeds.get("seed"))),
        ("Common random numbers", None if crn is None else ("yes" if crn else "no")),
        ("Seed rule", seeds.get("rule")),
        ("On failure", meta.get("on_failure")),
        ("Failed runs", failures),
        ("Resurgence version", meta.get("version")),
        ("Git hash", meta.get("git_hash")),
        ("Fingerprint", meta.get("fingerprint")),
        ("Output folder", str(info.folder)),
    ]
    return facts_table("Sweep", facts)


def sweep_question_section(info: SweepInfo) -> str:
    question, description, source = base_scenario_text(info)
    parts = ["<h2>Question</h2>"]
    if question:
        parts.append(f'<p class="question">{escape(question)}</p>')
    if description:
        for paragraph in description.split("\n\n"):
            parts.append(f"<p>{escape(paragraph.strip())}</p>")
    if question or description:
        where = f" ({source})" if source else ""
        parts.append(f'<p class="muted">From the base scenario{escape(where)}.</p>')
    else:
        parts.append('<p class="muted">The base scenario\'s question is not available (sweep.json '
                     "does not state it and the base scenario file was not found).</p>")
    return "".join(parts)


def _values_text(values: list[Any]) -> str:
    shown = [str(v) for v in values[:MAX_LISTED_VALUES]]
    more = f", … ({len(values)} values)" if len(values) > MAX_LISTED_VALUES else ""
    return ", ".join(shown) + more


def sweep_design_section(info: SweepInfo, runs: pd.DataFrame | None) -> str:
    design = info.design
    kind = design.get("kind")
    rows = []
    for p in info.parameters:
        name = str(p["name"])
        if "values" in p:
            values = as_list(p.get("values"))
            spec = f"values: {_values_text(values)}"
            scale = "–"
        elif "min" in p or "max" in p:
            spec = f"{fmt_value(p.get('min'))} to {fmt_value(p.get('max'))}"
            if p.get("integer") is True:
                spec += " (whole numbers)"
            scale = str(p.get("scale") or "linear")
        else:
            spec, scale = "–", "–"
        distinct = "–"
        if runs is not None and name in runs.columns:
            distinct = fmt_number(int(runs[name].nunique()))
        rows.append([name, spec, scale, distinct])
    points, reps, plans = info.count("points"), info.count("replications"), info.count("plans")
    if points is not None and reps is not None:
        size = f"{fmt_number(points)} design points × {fmt_number(reps)} replications"
        size += f" = {fmt_number(plans if plans is not None else points * reps)} runs"
    elif runs is not None:
        size = f"{fmt_number(len(runs))} runs"
    else:
        size = ""
    details = []
    if kind:
        details.append(f"{kind} design")
    if design.get("samples") is not None:
        details.append(f"samples {fmt_value(design['samples'])}")
    if design.get("levels") is not None:
        details.append(f"levels {fmt_value(design['levels'])}, step {fmt_value(design.get('delta'))}")
    text = ", ".join(details)
    text = f"{text}: {size}." if text and size else (text or size)
    rule = info.seeds.get("rule")
    parts = ["<h2>Design</h2>"]
    if text:
        parts.append(f"<p>{escape(text)}</p>")
    parts.append(table_html(["Parameter", "Values or range", "Scale", "Distinct values in runs.csv"],
                            rows, numeric={3}))
    if rule:
        parts.append(f'<p class="muted">Seeds: {escape(str(rule))}.</p>')
    return "".join(parts)


def _outcome_header(info: SweepInfo, outcome: str) -> str:
    unit = info.unit(outcome)
    return f"{outcome} ({unit})" if unit else outcome


def sweep_outcomes_section(info: SweepInfo, runs: pd.DataFrame | None,
                           summary: pd.DataFrame | None) -> str:
    parts = ["<h2>Outcomes</h2>"]
    outcomes = [o["name"] for o in info.outcomes]
    if not outcomes and runs is not None:
        skip = {"point", "replication", "seed", *info.parameter_names}
        outcomes = [c for c in runs.columns if c not in skip]
    # Over all runs.
    if runs is not None:
        rows, constant = [], []
        for outcome in outcomes:
            if outcome not in runs.columns:
                continue
            values = pd.to_numeric(runs[outcome], errors="coerce")
            if values.notna().sum() == 0:
                what = ("not reached in any run" if outcome == "days_to_resurgence"
                        else "no value in any run")
                rows.append([_outcome_header(info, outcome), "0", fmt_number(len(values)), what,
                             "–", "–", "–", "–"])
                continue
            if values.notna().all() and values.nunique() == 1:
                constant.append(f"{outcome} = {fmt_number(float(values.iloc[0]))}")
            stats = plot_stats.summarize(values)
            rows.append([
                _outcome_header(info, outcome), fmt_number(stats.n), fmt_number(stats.missing),
                fmt_number(stats.mean), fmt_number(stats.q05), fmt_number(stats.median),
                fmt_number(stats.q95), info.description(outcome),
            ])
        parts.append("<h3>Over all runs</h3>")
        parts.append(table_html(["Outcome", "n", "empty", "Mean", "5%", "Median", "95%", "Meaning"],
                                rows, numeric={1, 2, 3, 4, 5, 6}))
        text = (f"{len(runs)} runs from {info.folder / 'runs.csv'}, pooled over the design points. "
                "n = runs with a value; empty = runs without one (for days_to_resurgence: never "
                "resurged within the horizon).")
        if constant:
            text += f" The same in every run (not plotted): {', '.join(constant)}."
        parts.append(f'<p class="muted">{escape(text)}</p>')
    # Per design point.
    if summary is None:
        parts.append(f'<p class="muted">{escape(str(info.folder / "sweep_summary.csv"))} not found.</p>')
        return "".join(parts)
    parameters = [p for p in info.parameter_names if p in summary.columns]
    def varies(means: pd.Series) -> bool:
        return means.notna().any() and not (means.notna().all() and means.nunique() == 1)

    shown = [o for o in outcomes if f"{o}_mean" in summary.columns and varies(summary[f"{o}_mean"])]
    left_out = [o for o in outcomes if f"{o}_mean" in summary.columns and o not in shown]
    counts = {}
    if runs is not None and "point" in runs.columns:
        for outcome in shown:
            if outcome in runs.columns and runs[outcome].isna().any():
                grouped = runs.groupby("point")[outcome]
                counts[outcome] = (grouped.count(), grouped.size())
    rows = []
    for _, row in summary.head(MAX_POINT_ROWS).iterrows():
        point = row.get("point")
        cells = [fmt_number(point)] + [fmt_value(_plain_number(row[p])) for p in parameters]
        for outcome in shown:
            value = fmt_number(row[f"{outcome}_mean"])
            if outcome in counts and point in counts[outcome][0].index:
                value += f" ({counts[outcome][0][point]} of {counts[outcome][1][point]})"
            cells.append(value)
        rows.append(cells)
    headers = ["Point", *parameters, *(_outcome_header(info, o) for o in shown)]
    first = len(parameters) + 1
    parts.append("<h3>By design point</h3>")
    parts.append(table_html(headers, rows, numeric={0, *range(first, len(headers))}))
    text = (f"Mean over each point's replications, leaving out empty values"
            f"{' ((k of R) = replications with a value)' if counts else ''}. The standard "
            f"deviations, quantiles and 95% intervals of the mean are in "
            f"{info.folder / 'sweep_summary.csv'}.")
    if len(summary) > MAX_POINT_ROWS:
        text += (f" Showing the first {MAX_POINT_ROWS} of {len(summary)} design points; "
                 f"sweep_summary.csv has them all.")
    if left_out:
        text += f" Left out, the same at every point or without values: {', '.join(left_out)}."
    parts.append(f'<p class="muted">{escape(text)}</p>')
    return "".join(parts)


def _plain_number(value: Any) -> Any:
    """Parameter values as written: whole numbers without separators."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if not isinstance(value, float) else f"{value:.6g}"


# resurgence analyze (sim/sweep/analyze.cpp): file, method, columns shown, explanation.
SENSITIVITY_FILES = (
    ("sobol_indices.csv", "Sobol indices",
     [("S1", ("S1", "S1_lo", "S1_hi")), ("ST", ("ST", "ST_lo", "ST_hi")), ("base samples", ("samples",))],
     "First-order (S1, Saltelli et al. 2010) and total (ST, Jansen 1999) Sobol indices with "
     "bootstrap intervals over base samples; parameters ranked by ST."),
    ("morris_indices.csv", "Morris elementary effects",
     [("mu*", ("mu_star", "mu_star_lo", "mu_star_hi")), ("mu", ("mu",)), ("sigma", ("sigma",)),
      ("effects", ("effects",))],
     "Morris (1991) elementary effects per whole range of each parameter: mu* (mean absolute "
     "effect, bootstrap interval) ranks the parameters; sigma flags non-linearity and interactions."),
    ("prcc.csv", "Partial rank correlation (PRCC)",
     [("PRCC", ("prcc", "prcc_lo", "prcc_hi")), ("p-value", ("p_value",)), ("SRC", ("src",)),
      ("points", ("samples",))],
     "Partial rank correlation coefficients (Marino et al. 2008) of the per-point means with "
     "bootstrap intervals, p-values and standardised regression coefficients (SRC); parameters "
     "ranked by |PRCC|."),
)


def sweep_sensitivity_section(info: SweepInfo) -> str:
    parts = ["<h2>Sensitivity</h2>"]
    order = {o["name"]: i for i, o in enumerate(info.outcomes)}
    found = False
    for file_name, title, columns, explanation in SENSITIVITY_FILES:
        path = info.folder / file_name
        if not path.is_file():
            continue
        table = read_table(path, required=("outcome", "parameter"))
        numeric = [c for c in table.columns if c not in ("outcome", "parameter")]
        table = numeric_columns(table, path, numeric)
        found = True
        if "rank" in table.columns:
            table = table.assign(_order=table["outcome"].map(lambda o: order.get(o, len(order))))
            table = table.sort_values(["_order", "rank"], kind="stable")
        rows = []
        for _, row in table.iterrows():
            cells = [str(row["outcome"]), fmt_number(row.get("rank")), str(row["parameter"])]
            for _, keys in columns:
                if keys[0] not in table.columns:
                    cells.append("–")
                    continue
                value = fmt_number(row[keys[0]])
                if len(keys) == 3 and keys[1] in table.columns and keys[2] in table.columns:
                    value += f" [{fmt_number(row[keys[1]])}, {fmt_number(row[keys[2]])}]"
                cells.append(value)
            rows.append(cells)
        headers = ["Outcome", "Rank", "Parameter", *(label for label, _ in columns)]
        parts.append(f"<h3>{escape(title)}</h3>")
        parts.append(table_html(headers, rows, numeric=set(range(3, len(headers))) | {1}))
        parts.append(f'<p class="muted">{escape(explanation)} From {escape(str(path))}; outcomes '
                     "without variation or with too few values are not listed.</p>")
    if not found:
        parts.append('<p class="muted">No sensitivity results in this folder: run '
                     f"<code>resurgence analyze {escape(str(info.folder))}</code>, then "
                     f"<code>plot.py report {escape(str(info.folder))}</code>.</p>")
    return "".join(parts)


def sweep_failures(info: SweepInfo) -> tuple[int | None, str]:
    path = info.folder / "failures.csv"
    if not path.is_file():
        return None, ""
    try:
        table = read_table(path)
    except InputError as err:
        if "no data rows" in str(err):
            return 0, ""
        raise
    rows = [[str(v) for v in row] for row in table.head(10).itertuples(index=False)]
    more = f" (the first 10 of {len(table)})" if len(table) > 10 else ""
    return len(table), ("<h2>Failed runs</h2>" + table_html([str(c) for c in table.columns], rows)
                        + f'<p class="muted">From {escape(str(path))}{escape(more)}.</p>')


def build_sweep_report(folder: Path, plots_dir: Path) -> str:
    info = load_sweep_info(folder)
    runs = _read_sweep_table(folder / "runs.csv", info.parameter_names)
    summary = _read_sweep_table(folder / "sweep_summary.csv", info.parameter_names)
    if runs is None and summary is None:
        raise MissingInput(f"{folder / 'runs.csv'}: file not found (nor sweep_summary.csv)")
    failures, failures_html = sweep_failures(info)
    order = []
    for outcome in info.outcomes:
        stem = "sweep_" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in outcome["name"])
        order += [stem, f"{stem}_heatmap"]
    base = f" ({info.base_name})" if info.base_name else ""
    return page(f"Resurgence sweep report: {info.name}{base}", [
        sweep_facts_section(info, failures),
        sweep_question_section(info),
        sweep_design_section(info, runs),
        sweep_outcomes_section(info, runs, summary),
        sweep_sensitivity_section(info),
        failures_html,
        plots_section(plots_dir, tuple(order), prefixes=("sweep",)),
        f'<p class="muted">Written by tools/report.py from {escape(str(folder))}.</p>',
    ])


def write_report(folder: Path, plots_dir: Path | None = None, output: Path | None = None) -> Path:
    """Write the report (default folder/report.html) and return its path."""
    text = build_report(folder, plots_dir or folder / "plots")
    path = output or folder / "report.html"

    def write(temp: str) -> None:
        with open(temp, "w", encoding="utf-8") as stream:
            stream.write(text)

    write_atomically(path, write)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="report.py", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, metavar="DIR", help="run output folder")
    parser.add_argument("--plots", type=Path, metavar="DIR", help="PNG folder (default: DIR/plots)")
    parser.add_argument("--output", type=Path, metavar="FILE", help="default: DIR/report.html")
    parser.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    args = parser.parse_args(argv)
    try:
        path = write_report(args.folder, args.plots, args.output)
    except InputError as err:
        print(f"report.py: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"report.py: error: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # never a traceback for users unless asked for
        if args.debug:
            raise
        print(f"report.py: error: internal error ({type(err).__name__}: {err})", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
