"""Pupils with their ranked census needs, flags, passport fields and photos."""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from provmap_tui.domain.errors import InvalidInput, NotFound
from provmap_tui.domain.models import PassportFields, Pupil
from provmap_tui.store.rows import day, iso, save_versioned

_COLUMNS = (
    "upn, forename, surname, preferred_forename, preferred_surname, dob, sex, year_group, reg_group,"
    " sen_status, left_on, liked_admired, important_to_me, helps, does_not_help, strengths, notes, version"
)


def need_types(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """code -> (census label, plain-English description), in census order."""
    return {
        code: (label, plain)
        for code, label, plain in conn.execute("SELECT code, label, plain FROM need_type ORDER BY sort_order, code")
    }


def _from_row(r: tuple, needs: list[str], flags: list[str]) -> Pupil:
    return Pupil.model_construct(
        upn=r[0], forename=r[1], surname=r[2], preferred_forename=r[3], preferred_surname=r[4],
        dob=day(r[5]), sex=r[6], year_group=r[7], reg_group=r[8], sen_status=r[9], left_on=day(r[10]),
        passport=PassportFields.model_construct(
            liked_admired=r[11], important_to_me=r[12], helps=r[13], does_not_help=r[14], strengths=r[15]
        ),
        notes=r[16], version=r[17], needs=needs, flags=flags,
    )


def list_all(conn: sqlite3.Connection) -> list[Pupil]:
    """Every pupil (those who left included), by surname then forename."""
    needs: dict[str, list[str]] = defaultdict(list)
    for upn, code in conn.execute("SELECT upn, code FROM pupil_need ORDER BY upn, rank"):
        needs[upn].append(code)
    flags: dict[str, list[str]] = defaultdict(list)
    for upn, flag in conn.execute("SELECT upn, flag FROM pupil_flag ORDER BY upn, flag"):
        flags[upn].append(flag)
    rows = conn.execute(f"SELECT {_COLUMNS} FROM pupil ORDER BY surname, forename, upn")
    return [_from_row(r, needs.get(r[0], []), flags.get(r[0], [])) for r in rows]


def get(conn: sqlite3.Connection, upn: str) -> Pupil:
    row = conn.execute(f"SELECT {_COLUMNS} FROM pupil WHERE upn = ?", (upn,)).fetchone()
    if row is None:
        raise NotFound(f"no pupil with UPN {upn}")
    needs = [c for (c,) in conn.execute("SELECT code FROM pupil_need WHERE upn = ? ORDER BY rank", (upn,))]
    flags = [f for (f,) in conn.execute("SELECT flag FROM pupil_flag WHERE upn = ? ORDER BY flag", (upn,))]
    return _from_row(row, needs, flags)


def upns(conn: sqlite3.Connection) -> set[str]:
    return {u for (u,) in conn.execute("SELECT upn FROM pupil")}


def save(conn: sqlite3.Connection, p: Pupil, field: str = "pupil") -> int:
    """Insert or update a pupil with needs and flags; checks need codes exist."""
    known = {c for (c,) in conn.execute("SELECT code FROM need_type")}
    for i, code in enumerate(p.needs):
        if code not in known:
            raise InvalidInput(f"{field}.needs[{i}]", f"{code!r} is not a census need type; use one of {', '.join(sorted(known))}")
    values = {
        "forename": p.forename, "surname": p.surname, "preferred_forename": p.preferred_forename,
        "preferred_surname": p.preferred_surname, "dob": iso(p.dob), "sex": p.sex, "year_group": p.year_group,
        "reg_group": p.reg_group, "sen_status": p.sen_status, "left_on": iso(p.left_on),
        "liked_admired": p.passport.liked_admired, "important_to_me": p.passport.important_to_me,
        "helps": p.passport.helps, "does_not_help": p.passport.does_not_help, "strengths": p.passport.strengths,
        "notes": p.notes,
    }
    version = save_versioned(conn, "pupil", "upn", p.upn, p.version, values)
    conn.execute("DELETE FROM pupil_need WHERE upn = ?", (p.upn,))
    conn.executemany(
        "INSERT INTO pupil_need (upn, rank, code) VALUES (?, ?, ?)", [(p.upn, i, c) for i, c in enumerate(p.needs, 1)]
    )
    conn.execute("DELETE FROM pupil_flag WHERE upn = ?", (p.upn,))
    conn.executemany("INSERT INTO pupil_flag (upn, flag) VALUES (?, ?)", [(p.upn, f) for f in p.flags])
    return version


def delete(conn: sqlite3.Connection, upn: str) -> None:
    conn.execute("DELETE FROM membership WHERE upn = ?", (upn,))
    conn.execute("DELETE FROM pupil WHERE upn = ?", (upn,))


def get_photo(conn: sqlite3.Connection, upn: str) -> bytes | None:
    row = conn.execute("SELECT photo FROM pupil WHERE upn = ?", (upn,)).fetchone()
    if row is None:
        raise NotFound(f"no pupil with UPN {upn}")
    return row[0]


def set_photo(conn: sqlite3.Connection, upn: str, data: bytes | None) -> None:
    cur = conn.execute("UPDATE pupil SET photo = ?, version = version + 1 WHERE upn = ?", (data, upn))
    if cur.rowcount == 0:
        raise NotFound(f"no pupil with UPN {upn}")


def with_photos(conn: sqlite3.Connection) -> set[str]:
    return {u for (u,) in conn.execute("SELECT upn FROM pupil WHERE photo IS NOT NULL")}
