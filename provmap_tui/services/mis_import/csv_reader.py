"""CSV reader for SIMS, Arbor, Bromcom and hand-made exports.

Columns are recognised by their usual header names (spacing, case and punctuation do
not matter); `--map "Header=field"` names any other. Text may be UTF-8 (with or
without a BOM), UTF-16 with a BOM, or Excel's Windows-1252.
"""

from __future__ import annotations

import csv
import io
import re
from contextlib import suppress

from provmap_tui.services.mis_import.records import (
    FIELDS,
    NEED_FIELDS,
    ImportRefused,
    Problem,
    ReadResult,
    SourceRecord,
)

# Normalised header (lower case, letters and digits only) -> field.
_ALIASES: dict[str, str] = {}
for _field, _names in {
    "upn": ["UPN", "Unique Pupil Number", "Pupil UPN"],
    "surname": ["Legal Surname", "Surname", "Last Name", "Family Name", "Legal Last Name"],
    "forename": ["Legal Forename", "Forename", "First Name", "Legal First Name", "Given Name"],
    "preferred_forename": ["Preferred Forename", "Preferred First Name", "Known As", "Chosen Forename"],
    "preferred_surname": ["Preferred Surname", "Preferred Last Name", "Chosen Surname"],
    "dob": ["DOB", "Date of Birth", "Birth Date", "Birthdate"],
    "sex": ["Gender", "Sex", "Legal Sex"],
    "year_group": ["Year", "Year Group", "NC Year", "NC Year Actual", "NCyearActual", "Curriculum Year",
                   "National Curriculum Year"],
    "reg_group": ["Reg Group", "Registration Group", "Reg", "Form", "Form Group", "Tutor Group", "Class"],
    "sen_status": ["SEN Status", "SEN Provision", "SEN", "SEND Status", "SEN Stage", "SEN Provision Type"],
    "need1": ["Primary Need", "Primary SEN Need", "SEN Primary Need", "SEN Need 1", "Need 1", "SEN Need Type 1",
              "Primary Need Type", "SEN Type 1"],
    "need2": ["Secondary Need", "Secondary SEN Need", "SEN Secondary Need", "SEN Need 2", "Need 2",
              "SEN Need Type 2", "Secondary Need Type", "SEN Type 2"],
    "need3": ["SEN Need 3", "Need 3", "SEN Need Type 3", "SEN Type 3"],
    "fsm": ["FSM", "FSM Eligible", "FSM Eligibility", "Free School Meals", "Eligible for FSM"],
    "lac": ["In Care", "Looked After", "LAC", "CLA", "Child Looked After", "Looked After Child"],
    "eal": ["EAL", "English as an Additional Language"],
    "first_language": ["First Language", "Home Language", "Language"],
    "med": ["Medical", "Medical Flag", "Medical Needs", "Medical Condition"],
}.items():
    for _name in _names:
        _ALIASES[re.sub(r"[^a-z0-9]", "", _name.lower())] = _field

REQUIRED = ("upn", "surname", "forename")


def _norm(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def parse_mapping(items: list[str] | None) -> dict[str, str]:
    """--map "Header=field" items -> {header as written: field}; refuses unknown fields."""
    mapping: dict[str, str] = {}
    for item in items or []:
        header, sep, field = item.rpartition("=")
        header, field = header.strip(), field.strip().lower()
        if not sep or not header or not field:
            raise ImportRefused(f"--map {item!r}: write it as \"Column header=field\", e.g. \"Pupil ID=upn\"")
        if field not in FIELDS and field != "ignore":
            raise ImportRefused(f"--map {item!r}: {field!r} is not a field; use one of {', '.join(FIELDS)} or ignore")
        mapping[header] = field
    return mapping


def decode(data: bytes, source: str) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252 as Excel saves it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportRefused(f"{source}: starts like UTF-16 text but is not; save it again as CSV UTF-8") from None
    with suppress(UnicodeDecodeError):
        return data.decode("utf-8-sig")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRefused(
            f"{source}: is neither UTF-8 nor Windows-1252 text; save it from the MIS or Excel as \"CSV UTF-8\""
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes, source: str, mapping: dict[str, str] | None = None) -> ReadResult:
    """Each data row as a SourceRecord with its line number; refuses a file without the key columns."""
    text = decode(data, source)
    if "\x00" in text:
        raise ImportRefused(f"{source}: contains NUL characters; it is not a CSV export")
    lines = io.StringIO(text, newline="")
    reader = csv.reader(lines, delimiter=_delimiter(text.split("\n", 1)[0]))
    try:
        header = next(reader, None)
        while header is not None and not any(h.strip() for h in header):
            header = next(reader, None)
    except csv.Error as exc:
        raise ImportRefused(f"{source}: line 1: cannot read the header row ({exc})") from None
    if header is None:
        raise ImportRefused(f"{source}: has no header row; the first line must name the columns (UPN, Legal Surname, ...)")
    columns = _columns(header, mapping or {}, source)
    result = ReadResult(kind="CSV", records=[])
    ignored = [h.strip() for i, h in enumerate(header) if i not in columns.values() and h.strip()]
    if ignored:
        result.notes.append("columns not imported: " + ", ".join(ignored))
    width = len(header)
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ImportRefused(f"{source}: line {start}: {exc}; is the file complete?") from None
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        upn = row[columns["upn"]].strip() if columns["upn"] < len(row) else ""
        if len(row) > width and any(c.strip() for c in row[width:]):
            result.problems.append(Problem(start, upn, "", f"has {len(row)} values but the header names {width} "
                                                           "columns; is there an unquoted comma in a name?"))
            continue
        fields = {f: (row[i].strip() if i < len(row) else "") for f, i in columns.items() if f not in NEED_FIELDS}
        needs = None
        need_cols = [columns[f] for f in NEED_FIELDS if f in columns]
        if need_cols:
            needs = [row[i].strip() for i in need_cols if i < len(row) and row[i].strip()]
        result.records.append(SourceRecord(line=start, fields=fields, needs=needs))
    return result


def _columns(header: list[str], mapping: dict[str, str], source: str) -> dict[str, int]:
    """field -> column index, from --map first, then the usual header names."""
    wanted = {_norm(h): (h, f) for h, f in mapping.items()}
    columns: dict[str, int] = {}
    for i, raw in enumerate(header):
        key = _norm(raw)
        field = wanted[key][1] if key in wanted else _ALIASES.get(key)
        if field is None or field == "ignore":
            continue
        if field in columns:
            raise ImportRefused(
                f"{source}: columns {header[columns[field]].strip()!r} and {raw.strip()!r} both look like "
                f"the {FIELDS[field]}; say which to ignore with --map \"{raw.strip()}=ignore\""
            )
        columns[field] = i
    present = {_norm(h) for h in header}
    for key, (written, field) in wanted.items():
        if key not in present:
            raise ImportRefused(f"{source}: --map names a column {written!r} (for {field}) that the header does not have")
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        shown = ", ".join(h.strip() for h in header if h.strip())[:200]
        wanted_text = ", ".join(FIELDS[f] for f in missing)
        raise ImportRefused(
            f"{source}: no column for the {wanted_text} (the header has: {shown}); rename the column or add "
            f"--map \"Your header={missing[0]}\""
        )
    return columns
