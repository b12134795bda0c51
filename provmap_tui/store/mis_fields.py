"""The part of each pupil record that the school's MIS owns, read and written in bulk.

An MIS import may change only these columns, the census needs and the MIS flags;
passport fields, notes, provisions and the Pupil Premium flag belong to the SENCo and
are never read or written here. A row's version goes up only when something changed.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

# Columns of `pupil` that come from the MIS (values are stored as the DB holds them:
# dob as ISO text, year_group as an integer).
MIS_COLUMNS = (
    "forename", "surname", "preferred_forename", "preferred_surname", "dob", "sex",
    "year_group", "reg_group", "sen_status",
)
# Flags an MIS export carries. PP is not among them: the SENCo keeps it.
MIS_FLAGS = ("FSM", "LAC", "EAL", "MED")


@dataclass(frozen=True)
class MisState:
    """What the database holds for one pupil, as far as an import is concerned."""

    upn: str
    values: dict[str, object]
    needs: tuple[str, ...]
    flags: frozenset[str]
    left_on: str | None


def load_state(conn: sqlite3.Connection) -> dict[str, MisState]:
    """Every pupil's MIS fields, needs and MIS flags, keyed by UPN (three queries)."""
    needs: dict[str, list[str]] = defaultdict(list)
    for upn, code in conn.execute("SELECT upn, code FROM pupil_need ORDER BY upn, rank"):
        needs[upn].append(code)
    flags: dict[str, set[str]] = defaultdict(set)
    marks = ", ".join("?" * len(MIS_FLAGS))
    for upn, flag in conn.execute(f"SELECT upn, flag FROM pupil_flag WHERE flag IN ({marks})", MIS_FLAGS):
        flags[upn].add(flag)
    cols = ", ".join(MIS_COLUMNS)
    state = {}
    for row in conn.execute(f"SELECT upn, {cols}, left_on FROM pupil"):
        upn = row[0]
        state[upn] = MisState(
            upn=upn, values=dict(zip(MIS_COLUMNS, row[1:-1], strict=True)), needs=tuple(needs.get(upn, ())),
            flags=frozenset(flags.get(upn, ())), left_on=row[-1],
        )
    return state


_DEFAULTS: dict[str, object] = {
    "forename": "", "surname": "", "preferred_forename": "", "preferred_surname": "", "dob": None, "sex": "",
    "year_group": None, "reg_group": "", "sen_status": "N",
}


def insert_pupils(conn: sqlite3.Connection, rows: list[tuple[str, dict[str, object], list[str], list[str]]]) -> None:
    """New pupils: (upn, MIS column values, needs in rank order, flags)."""
    cols = ", ".join(MIS_COLUMNS)
    marks = ", ".join("?" * (len(MIS_COLUMNS) + 1))
    conn.executemany(
        f"INSERT INTO pupil (upn, {cols}) VALUES ({marks})",
        [(upn, *(values.get(c, _DEFAULTS[c]) for c in MIS_COLUMNS)) for upn, values, _, _ in rows],
    )
    conn.executemany(
        "INSERT INTO pupil_need (upn, rank, code) VALUES (?, ?, ?)",
        [(upn, rank, code) for upn, _, needs, _ in rows for rank, code in enumerate(needs, 1)],
    )
    conn.executemany(
        "INSERT INTO pupil_flag (upn, flag) VALUES (?, ?)", [(upn, f) for upn, _, _, flags in rows for f in flags]
    )


def update_pupil(
    conn: sqlite3.Connection,
    upn: str,
    values: dict[str, object],
    needs: list[str] | None,
    flags: dict[str, bool],
    clear_left: bool = False,
) -> None:
    """Change one pupil's MIS fields (only those given) and bump its version once.

    needs None leaves the needs alone; flags maps an MIS flag to on/off."""
    unknown = set(values) - set(MIS_COLUMNS)
    if unknown:
        raise ValueError(f"not MIS columns: {sorted(unknown)}")
    sets = [f"{c} = ?" for c in values]
    params: list[object] = list(values.values())
    if clear_left:
        sets.append("left_on = NULL")
    sets.append("version = version + 1")
    conn.execute(f"UPDATE pupil SET {', '.join(sets)} WHERE upn = ?", (*params, upn))
    if needs is not None:
        conn.execute("DELETE FROM pupil_need WHERE upn = ?", (upn,))
        conn.executemany(
            "INSERT INTO pupil_need (upn, rank, code) VALUES (?, ?, ?)", [(upn, i, c) for i, c in enumerate(needs, 1)]
        )
    for flag, on in flags.items():
        if flag not in MIS_FLAGS:
            raise ValueError(f"{flag} is not a flag the MIS owns")
        if on:
            conn.execute("INSERT OR IGNORE INTO pupil_flag (upn, flag) VALUES (?, ?)", (upn, flag))
        else:
            conn.execute("DELETE FROM pupil_flag WHERE upn = ? AND flag = ?", (upn, flag))


def mark_left(conn: sqlite3.Connection, upns: list[str], on: date) -> None:
    """Pupils no longer on roll: kept with their history, hidden from the caseload."""
    conn.executemany(
        "UPDATE pupil SET left_on = ?, version = version + 1 WHERE upn = ? AND left_on IS NULL",
        [(on.isoformat(), upn) for upn in upns],
    )


def names(conn: sqlite3.Connection) -> dict[str, str]:
    """UPN -> the name staff use, for reports about pupils an import did not mention."""
    return {
        upn: f"{pf or f} {ps or s}"
        for upn, f, s, pf, ps in conn.execute(
            "SELECT upn, forename, surname, preferred_forename, preferred_surname FROM pupil"
        )
    }
