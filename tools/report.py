#!/usr/bin/python3
"""One self-contained HTML report of a Resurgence run folder.

    report.py DIR [--plots DIR/plots] [--output DIR/report.html]
    plot.py report DIR          (the same, from the plotting tool)
    plot.py all DIR             (draws the plots first, then writes the report)

The report holds the scenario's question, its events timeline, the parameters with their
sources, the outcome table from summary.csv with intervals, and every PNG in the plots
folder embedded as a base64 data URI, so the file can be mailed or archived on its own.
All text from the inputs is escaped with html.escape.
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
    as_list,
    load_run_info,
    note,
    read_table,
    require_folder,
    write_atomically,
)

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
        ("Master seed", meta.get("seed")),
        ("Overrides", ", ".join(str(o) for o in as_list(meta.get("overrides"))) or None),
        ("Resurgence version", meta.get("version")),
        ("Git hash", meta.get("git_hash")),
        ("Output folder", str(info.folder)),
    ]
    rows = [[label, fmt_value(value)] for label, value in facts if value not in (None, "")]
    return "<h2>Run</h2>" + table_html(["Item", "Value"], rows)


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
        if (values.isna() & summary[column].notna()).any() or values.notna().sum() == 0:
            continue  # text or empty column: not an outcome
        stats = plot_stats.summarize(values)
        unit = info.unit(column, "summary")
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


def plots_section(plots_dir: Path) -> str:
    images = sorted(plots_dir.glob("*.png")) if plots_dir.is_dir() else []
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
            PLOT_ORDER.index(p.stem) if p.stem in PLOT_ORDER else len(PLOT_ORDER), p.name))
        for image in ranked:
            data = base64.b64encode(image.read_bytes()).decode("ascii")
            parts.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{escape(image.stem)}">'
                f"<figcaption>{escape(image.name)}</figcaption></figure>"
            )
    return "\n".join(parts)


def build_report(folder: Path, plots_dir: Path) -> str:
    require_folder(folder)
    if not (folder / "run.json").exists() and not (folder / "summary.csv").exists():
        raise MissingInput(f"{folder / 'run.json'}: file not found (nor summary.csv)")
    info = load_run_info(folder)
    if not (folder / "run.json").exists():
        note(f"{folder / 'run.json'}: file not found; the report has no scenario details")
    title = f"Resurgence report: {info.name}"
    body = "\n".join([
        f"<h1>{escape(title)}</h1>",
        facts_section(info),
        question_section(info),
        events_section(info),
        parameters_section(info),
        outcomes_section(info),
        plots_section(plots_dir),
        f'<p class="muted">Written by tools/report.py from {escape(str(folder))}.</p>',
    ])
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


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
