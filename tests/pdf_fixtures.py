"""Fixtures and helpers for the PDF, image and export tests: an invented demo school
and a tiny school with Unicode names. Test modules import the fixtures they use."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pytest

from provmap_tui.domain.calendar import SchoolCalendar, Term
from provmap_tui.domain.models import (
    FundingStream,
    Membership,
    PassportFields,
    Provision,
    Pupil,
    Staff,
    StaffAssignment,
)
from provmap_tui.domain.upn import make_upn
from provmap_tui.services.demo import generate
from provmap_tui.services.setup import create_school, open_school
from provmap_tui.store import provisions, pupils, school, staff
from provmap_tui.store.connection import connect, transaction

AS_OF = date(2026, 11, 20)
TERM = Term("Autumn", date(2026, 9, 7), date(2026, 12, 18))  # costing.md's worked example: 75 pupil days

UNICODE_NAMES = [("Łukasz", "Wiśniewski"), ("Ștefan", "Dumitrescu"), ("Thị Hương", "Nguyễn"), ("Siobhán", "O'Brien")]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The small demo school, built once; tests must not change it (copy it first)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    conn = connect(path)
    generate(conn, "small", 1, "2026-27")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def demo_copy(demo_db, tmp_path) -> Path:
    target = tmp_path / "demo.db"
    shutil.copy(demo_db, target)
    return target


def upn(n: int) -> str:
    return make_upn(938, 2001, 20, n)


@pytest.fixture
def tiny_db(tmp_path) -> Path:
    """St Łucja's: one term, four pupils with Unicode names, the worked example's group."""
    path = tmp_path / "tiny.db"
    conn = connect(path)
    create_school(conn, "St Łucja's Primary", "2026-27")
    with transaction(conn):
        school.replace_calendar(conn, SchoolCalendar("2026-27", (TERM,)))
        staff.save(conn, Staff(id="TA1", name="Zoë Ådland", role="TA", hourly_rate_pence=1720))
        for i, (fore, sur) in enumerate(UNICODE_NAMES, 1):
            pupils.save(conn, Pupil(
                upn=upn(i), forename=fore, surname=sur, dob=date(2017, 3, i), year_group=4, reg_group="4Oak",
                sen_status="K", needs=["SLCN"],
                passport=PassportFields(liked_admired="Kind and funny", important_to_me="My cat Ștrudel",
                                        helps="Time to think", does_not_help="Noise", strengths="Drawing"),
            ))
        # costing.md: A and B all term, C joins Mon 2 Nov; £17.20/h, 30 min, 3 a week.
        provisions.save(conn, Provision(
            id="P001", intervention="Talk Boost KS1", staff=[StaffAssignment(staff_id="TA1")], minutes=30,
            sessions_per_week=3, funding_stream="SEN",
            members=[Membership(upn=upn(1)), Membership(upn=upn(2)), Membership(upn=upn(3), start=date(2026, 11, 2))],
        ))
        school.save_stream(conn, FundingStream(code="SEN", name="Notional SEN budget", budget_pence=100_000,
                                               counts_toward_threshold=True, version=0))
    conn.close()
    return path


@pytest.fixture
def tiny_conn(tiny_db):
    conn = open_school(tiny_db)
    yield conn
    conn.close()


def pdf_reader(data: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pdf_reader(data).pages)


def png_bytes(size=(800, 600), colour=(200, 30, 30), mode="RGB") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size=(640, 480)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, "JPEG")
    return out.getvalue()
