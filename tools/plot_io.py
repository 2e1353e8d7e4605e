"""Reading Resurgence output folders for tools/plot.py and tools/report.py.

Every problem with the input is raised as InputError with a message that names the file
and what is wrong, so the command line can print one line and exit with code 2. An input
that a plot needs but that is simply absent raises MissingInput (a subclass), which
`plot.py all` turns into a one-line "skipping" notice instead of a failure.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pandas as pd


class InputError(Exception):
    """Bad or unusable input: reported as one line on stderr, exit code 2."""


class MissingInput(InputError):
    """A file or column that one plot needs is absent; other plots may still apply."""


def program_name() -> str:
    return Path(sys.argv[0]).name or "plot.py"


def note(message: str) -> None:
    """A one-line notice on stderr (skipped panels, fallbacks)."""
    print(f"{program_name()}: note: {message}", file=sys.stderr)


def require_folder(folder: Path) -> Path:
    if not folder.exists():
        raise InputError(f"{folder}: folder not found")
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    return folder


def read_table(
    path: Path,
    required: Iterable[str] = (),
    feature: Iterable[str] = (),
    numeric: Iterable[str] = (),
) -> pd.DataFrame:
    """Read one CSV output table.

    required: columns without which the file is unusable (InputError).
    feature:  columns that one plot is about; absent means the plot does not apply
              (MissingInput).
    numeric:  columns that must hold numbers where they are not empty.
    """
    if not path.is_file():
        raise MissingInput(f"{path}: file not found")
    try:
        frame = pd.read_csv(path, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise InputError(f"{path}: file is empty (expected a header row and data rows)") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
        first_line = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise InputError(f"{path}: not a valid CSV file ({first_line})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in required:
        if column not in frame.columns:
            raise InputError(f"{path}: missing column '{column}'")
    for column in feature:
        if column not in frame.columns:
            raise MissingInput(f"{path}: missing column '{column}'")
    if frame.empty:
        raise InputError(f"{path}: no data rows")
    return numeric_columns(frame, path, numeric)


def _to_numeric(values: pd.Series, path: Path, column: str) -> pd.Series:
    converted = pd.to_numeric(values, errors="coerce")
    bad = converted.isna() & values.notna()
    if bad.any():
        position = int(bad.to_numpy().nonzero()[0][0])
        raise InputError(
            f"{path}: column '{column}' has a non-numeric value "
            f"{values.iloc[position]!r} (data row {position + 1})"
        )
    return converted


def numeric_columns(frame: pd.DataFrame, path: Path, columns: Iterable[str]) -> pd.DataFrame:
    """Convert the given columns (those present) to numbers, rejecting text values.

    Returns a new frame built in one go: replacing a hundred columns one by one would leave
    a fragmented frame that pandas warns about (PerformanceWarning) on the next insert."""
    converted = {c: _to_numeric(frame[c], path, c) for c in dict.fromkeys(columns) if c in frame.columns}
    if not converted:
        return frame
    return pd.DataFrame({c: converted.get(c, frame[c]) for c in frame.columns}, index=frame.index)


def read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise MissingInput(f"{path}: file not found")
    try:
        with path.open(encoding="utf-8") as stream:
            data = json.load(stream)
    except json.JSONDecodeError as err:
        raise InputError(
            f"{path}: invalid JSON at line {err.lineno} column {err.colno}: {err.msg}"
        ) from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object at the top level")
    return data


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# regions.csv as the engine writes it (sim/output/recorder.cpp region_columns()). Runs made
# before run.json described regions.csv (columns.regions) get these units and kinds.
REGION_COLUMNS_FALLBACK = (
    ("legitimacy", "1", "stock", "Perceived legitimacy of the region's authority"),
    ("intimidation", "1", "stock", "Intimidation in the region"),
    ("patrol", "personnel", "stock", "Security personnel on patrol in the region"),
    ("intelligence", "1", "stock", "Intelligence quality in the region"),
    ("supporters", "persons", "stock", "Civilians supporting the insurgency in the region"),
    ("informants", "persons", "stock", "Civilians informing the security forces in the region"),
    ("fighters_at_large", "fighters", "stock", "Fighters at large in the region"),
    ("attacks", "attacks/day", "flow", "Attacks in the region during the day"),
)


@dataclass(frozen=True)
class RunInfo:
    """What run.json says about a run folder; every field has a fallback."""

    folder: Path
    meta: dict[str, Any]
    name: str
    replications: int | None
    start_date: pd.Timestamp | None
    horizon_days: int | None
    columns: dict[str, dict[str, dict[str, Any]]]
    assumed: frozenset[str] = frozenset()  # tables whose metadata are fallbacks, not run.json's

    def column(self, name: str, table: str = "timeseries") -> dict[str, Any]:
        """Metadata of one column (unit, kind, description), {} when unknown. A column that
        the table's own list lacks is looked up in the other tables' lists."""
        if name in self.columns.get(table, {}):
            return self.columns[table][name]
        for described in self.columns.values():
            if name in described:
                return described[name]
        return {}

    def described(self, table: str) -> bool:
        """True when run.json itself lists the table's columns."""
        return table in self.columns and table not in self.assumed

    def unit(self, name: str, table: str = "timeseries") -> str:
        unit = self.column(name, table).get("unit")
        return str(unit) if unit not in (None, "", "1") else ""

    @property
    def scenario(self) -> dict[str, Any]:
        return as_dict(self.meta.get("scenario"))


def load_run_info(folder: Path) -> RunInfo:
    """Read folder/run.json if present; a missing run.json gives folder-name fallbacks."""
    path = folder / "run.json"
    meta = read_json(path) if path.exists() else {}
    scenario = as_dict(meta.get("scenario"))
    name = str(scenario.get("name") or folder.resolve().name)

    replications = meta.get("replications")
    if not isinstance(replications, int) or isinstance(replications, bool) or replications < 1:
        replications = None

    start_date = None
    if scenario.get("start_date"):
        start_date = pd.to_datetime(str(scenario["start_date"]), errors="coerce")
        if pd.isna(start_date):
            raise InputError(
                f"{path}: scenario.start_date {scenario['start_date']!r} is not an ISO date"
            )
    horizon = scenario.get("horizon_days")
    horizon = horizon if isinstance(horizon, (int, float)) and horizon > 0 else None

    columns: dict[str, dict[str, dict[str, Any]]] = {}
    for table, described in as_dict(meta.get("columns")).items():
        columns[str(table)] = {
            str(entry["name"]): entry
            for entry in as_list(described)
            if isinstance(entry, dict) and "name" in entry
        }
    assumed = set()
    if "regions" not in columns:
        assumed.add("regions")
        columns["regions"] = {
            name: {"name": name, "unit": unit, "kind": kind, "description": text}
            for name, unit, kind, text in REGION_COLUMNS_FALLBACK
        }
    return RunInfo(folder, meta, name, replications, start_date, horizon, columns, frozenset(assumed))


def replication_count(info: RunInfo, frame: pd.DataFrame) -> int:
    """Replications of the run: run.json's count, else the distinct ids in the table."""
    if info.replications is not None:
        return info.replications
    return int(frame["replication"].nunique()) if "replication" in frame.columns else 0


def write_atomically(path: Path, write) -> None:
    """Call write(temp_path), then rename the temp file onto path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(temp_name)
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise


# ---------------------------------------------------------------- sweep folders


@dataclass(frozen=True)
class SweepInfo:
    """What sweep.json says about a sweep folder, with fallbacks from runs.csv.

    sweep.json (written by `resurgence sweep`, docs/sweeps.md §3) holds name, description,
    base {file, name, file_hash}, overrides, design {kind, samples, levels, points,
    replications, plans}, seeds {seed, common_random_numbers, rule}, on_failure, parameters
    (each {name, values} or {name, min, max, scale, integer}) and outcomes ({name, unit,
    description}). Older or hand-made files may hold only parameters and outcomes."""

    folder: Path
    meta: dict[str, Any]
    name: str
    parameters: tuple[dict[str, Any], ...]  # each with at least "name"
    outcomes: tuple[dict[str, Any], ...]  # each with at least "name"
    base_name: str | None
    base_file: str | None
    design: dict[str, Any]
    seeds: dict[str, Any]

    @property
    def parameter_names(self) -> list[str]:
        return [str(p["name"]) for p in self.parameters]

    @property
    def kind(self) -> str | None:
        kind = self.design.get("kind")
        return str(kind) if kind else None

    def count(self, key: str) -> int | None:
        """design.points, design.replications or design.plans when sweep.json gives them."""
        value = self.design.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        return None

    def unit(self, outcome: str) -> str:
        for entry in self.outcomes:
            if entry["name"] == outcome and entry.get("unit") not in (None, "", "1"):
                return str(entry["unit"])
        return ""

    def description(self, outcome: str) -> str:
        for entry in self.outcomes:
            if entry["name"] == outcome and entry.get("description"):
                return str(entry["description"])
        return ""


def load_sweep_info(folder: Path) -> SweepInfo:
    """Read folder/sweep.json (required: MissingInput if absent)."""
    path = folder / "sweep.json"
    meta = read_json(path)
    parameters = []
    for entry in as_list(meta.get("parameters")):
        item = dict(entry) if isinstance(entry, dict) else {"name": entry}
        if not isinstance(item.get("name"), str) or not item["name"]:
            raise InputError(f"{path}: 'parameters' must be a non-empty list of parameter names")
        parameters.append(item)
    if not parameters:
        raise InputError(f"{path}: 'parameters' must be a non-empty list of parameter names")
    outcomes = []
    for entry in as_list(meta.get("outcomes")):
        item = dict(entry) if isinstance(entry, dict) else {"name": entry}
        if isinstance(item.get("name"), str) and item["name"]:
            outcomes.append(item)
    base = meta.get("base")
    if isinstance(base, str) and base:  # a bare file name
        base = {"file": base}
    base = as_dict(base)
    base_file = str(base["file"]) if base.get("file") else None
    base_name = str(base["name"]) if base.get("name") else None
    name = str(meta.get("name") or folder.resolve().name)
    return SweepInfo(folder, meta, name, tuple(parameters), tuple(outcomes), base_name, base_file,
                     as_dict(meta.get("design")), as_dict(meta.get("seeds")))
