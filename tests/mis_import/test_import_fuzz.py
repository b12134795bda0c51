"""Generated CSVs: every one is either imported cleanly or refused cleanly.

Never an exception other than ProvmapError, never a partial write (the database is
compared as an SQL dump before and after), and a clean import can be repeated without
changing anything.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from provmap_tui.domain.errors import ProvmapError
from provmap_tui.domain.upn import make_upn
from provmap_tui.services.mis_import import service
from provmap_tui.services.setup import create_school
from provmap_tui.store.connection import connect

from .conftest import TODAY, dump

HEADERS = ["UPN", "Legal Surname", "Legal Forename", "Preferred Forename", "DOB", "Gender", "Year", "Reg Group",
           "SEN Status", "Primary Need", "Secondary Need", "FSM Eligible", "In Care", "EAL", "Shoe Size"]

good_upns = st.builds(make_upn, st.just(938), st.just(2001), st.integers(10, 25), st.integers(0, 999))
junk = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=15)
census = st.sampled_from([("N", "", ""), ("K", "SLCN", ""), ("K", "NSA", ""), ("E", "ASD", "SEMH"),
                          ("SEN Support", "Specific learning difficulty", "SLCN"), ("EHC Plan", "PD", "")])

# A row a real MIS would write: every value valid.
clean_rows = st.builds(
    lambda upn, sur, fore, pref, dob, sex, year, reg, sen, fsm, lac, eal, shoe: {
        "UPN": upn, "Legal Surname": sur, "Legal Forename": fore, "Preferred Forename": pref, "DOB": dob,
        "Gender": sex, "Year": year, "Reg Group": reg, "SEN Status": sen[0], "Primary Need": sen[1],
        "Secondary Need": sen[2], "FSM Eligible": fsm, "In Care": lac, "EAL": eal, "Shoe Size": shoe},
    good_upns, st.sampled_from(["Okafor", "Müller", "O'Brien", "Nguyễn", "Smith, Jr"]),
    st.sampled_from(["Ana-Maria", "Zoë", "Tom"]), st.sampled_from(["", "Tommy"]),
    st.sampled_from(["11/02/2017", "2016-11-30", ""]), st.sampled_from(["M", "F", "Female", ""]),
    st.sampled_from(["Year 5", "5", "Y5", "R", "N1", "N2", ""]), st.sampled_from(["4A", "", "Willow"]),
    census, st.sampled_from(["Yes", "No", ""]), st.sampled_from(["Yes", "No", "true"]),
    st.sampled_from(["Yes", "No", ""]), junk,
)
# A row with anything in it.
messy_rows = st.fixed_dictionaries({
    "UPN": st.one_of(good_upns, good_upns.map(lambda u: "A" + u[1:]), junk),
    "Legal Surname": st.one_of(st.sampled_from(["Okafor", ""]), junk),
    "Legal Forename": st.one_of(st.sampled_from(["Zoë", ""]), junk),
    "Preferred Forename": junk,
    "DOB": st.one_of(st.sampled_from(["31/02/2017", "1/1/2030", "11/02/2017"]), junk),
    "Gender": st.sampled_from(["M", "X", ""]),
    "Year": st.one_of(st.sampled_from(["Year 15", "X", "5"]), junk),
    "Reg Group": junk,
    "SEN Status": st.sampled_from(["N", "K", "E", "S", "", "Z"]),
    "Primary Need": st.sampled_from(["", "SLCN", "NSA", "XYZ"]),
    "Secondary Need": st.sampled_from(["", "SEMH", "SLCN"]),
    "FSM Eligible": st.sampled_from(["Yes", "Maybe"]),
    "In Care": st.sampled_from(["No", ""]),
    "EAL": st.sampled_from(["Yes", "No", ""]),
    "Shoe Size": junk,
})
rows = st.one_of(clean_rows, clean_rows, clean_rows, messy_rows)


@st.composite
def csv_files(draw) -> bytes:
    columns = draw(st.permutations(HEADERS))
    if draw(st.integers(0, 4)) == 0:  # now and then, some columns missing
        columns = columns[: draw(st.integers(0, len(columns)))]
    body = draw(st.lists(rows, max_size=8))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for r in body:
        writer.writerow([r[c] for c in columns])
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 9)) == 0:  # now and then, cut the file short or add noise
        data = data[: draw(st.integers(0, len(data)))] + draw(st.binary(max_size=8))
    return data


def _fresh_school(folder: Path) -> sqlite3.Connection:
    conn = connect(folder / "school.db")
    create_school(conn, "Fuzz Primary", "2026-27")
    return conn


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=csv_files(), second=csv_files(), skip=st.booleans(), mark_left=st.booleans())
def test_generated_csvs_import_cleanly_or_are_refused_cleanly(
    first: bytes, second: bytes, skip: bool, mark_left: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        conn = _fresh_school(folder)
        try:
            for n, data in enumerate((first, second)):
                path = folder / f"roll{n}.csv"
                path.write_bytes(data)
                before = dump(conn)
                try:
                    plan = service.run(conn, path, skip_invalid=skip, mark_left=mark_left, today=TODAY)
                except ProvmapError:
                    assert dump(conn) == before  # refused: nothing written
                    event("refused")
                    continue
                event("imported, some written" if plan.writes else "imported, nothing to write")
                if not skip:
                    assert not plan.problems
                # A clean import, done again, changes nothing at all.
                after = dump(conn)
                again = service.run(conn, path, skip_invalid=skip, mark_left=mark_left, today=TODAY)
                assert again.writes == 0 and not again.marked_left
                assert dump(conn) == after
        finally:
            conn.close()


SAMPLE_CTF = (Path(__file__).resolve().parent.parent / "data" / "mis" / "hillside.ctf.xml").read_bytes()
CTF_SNIPPETS = [b"<Gender>F</Gender>", b"<SENprovision>Q</SENprovision>", b"<NCyearActual>X</NCyearActual>",
                b"<DOB>2017-13-45</DOB>", b"<SENtypeRank>two</SENtypeRank>", b"<InCare>maybe</InCare>",
                b"<FSMendDate>junk</FSMendDate>", b"&amp;", b"<!-- c -->", b"<Pupil>", b"</Pupil>", b"\xff", b"]]>"]


@st.composite
def mutated_ctfs(draw) -> bytes:
    data = SAMPLE_CTF
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        if draw(st.booleans()):
            data = data[:at] + draw(st.sampled_from(CTF_SNIPPETS)) + data[at:]
        else:
            data = data[:at] + data[at + draw(st.integers(1, 40)):]
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_ctfs(), skip=st.booleans())
def test_mutated_ctfs_import_cleanly_or_are_refused_cleanly(data: bytes, skip: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        conn = _fresh_school(folder)
        try:
            path = folder / "roll.xml"
            path.write_bytes(data)
            before = dump(conn)
            try:
                service.run(conn, path, skip_invalid=skip, today=TODAY)
            except ProvmapError:
                assert dump(conn) == before
                event("refused")
            else:
                event("imported")
        finally:
            conn.close()
