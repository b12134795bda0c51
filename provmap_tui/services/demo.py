"""An invented but realistic school, deterministic for a seed. Never real children.

small: a primary of about 210 pupils, 45 on the register, 10 staff, 25 provisions.
large: a secondary of 2,400 pupils, 400 on the register, 60 staff, 300 provisions.
"""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from provmap_tui.domain.calendar import SchoolCalendar
from provmap_tui.domain.models import (
    FundingStream,
    Intervention,
    Membership,
    PassportFields,
    Provision,
    Pupil,
    Staff,
    StaffAssignment,
)
from provmap_tui.domain.upn import make_upn
from provmap_tui.resources import data_dir
from provmap_tui.services.demo_pictures import add_pictures
from provmap_tui.services.setup import create_school
from provmap_tui.store import interventions, provisions, pupils, school, staff
from provmap_tui.store.connection import transaction


@dataclass(frozen=True)
class DemoSize:
    school_name: str
    urn: str
    estab: int
    years: tuple[int, ...]
    pupils: int
    register: int
    ehcp: int
    staff: int
    provisions: int
    phase: str
    classes_per_year: int
    over_threshold: int


SIZES = {
    "small": DemoSize("Hillside Primary School", "123456", 2001, tuple(range(0, 7)), 210, 45, 6, 10, 25,
                      "primary", 1, 3),
    "large": DemoSize("Riverside Academy", "654321", 4002, tuple(range(7, 14)), 2400, 400, 40, 60, 300,
                      "secondary", 12, 8),
}

AREA_NEEDS = {
    "CL": ["SPLD", "MLD", "SLD"],
    "CI": ["SLCN", "ASD"],
    "SEMH": ["SEMH"],
    "SP": ["PD", "HI", "VI", "MSI"],
}
NEED_AREA = {n: a for a, needs in AREA_NEEDS.items() for n in needs}
NEED_WEIGHTS = {"SLCN": 22, "SEMH": 20, "SPLD": 14, "MLD": 14, "ASD": 16, "PD": 3, "HI": 2, "VI": 1,
                "SLD": 2, "MSI": 1, "OTH": 2, "DS": 1, "NSA": 2}
CLASS_NAMES = ["Oak", "Willow", "Ash", "Birch", "Rowan", "Hazel", "Cedar"]

LIKED = ["Kind to younger children", "A brilliant sense of humour", "Always says good morning",
         "Works hard at everything", "Great at football", "Draws amazing dragons", "A loyal friend",
         "Knows everything about dinosaurs", "Sings beautifully", "Helps tidy up without being asked"]
IMPORTANT = ["My family and my dog", "Seeing my friends at break", "Knowing what is happening next",
             "My grandma's visits", "Playing Minecraft", "Going to swimming club", "Having a quiet space"]
HELPS = ["A visual timetable on my desk", "Being told about changes before they happen",
         "Instructions given one at a time", "A movement break every 20 minutes",
         "Sitting near the front, away from the door", "Time to think before I answer",
         "Word mats and a number line", "A calm, quiet voice"]
NOT_HELP = ["Loud, busy rooms", "Being rushed", "Being asked to read aloud without warning",
            "Lots of instructions at once", "Sudden changes to the day", "Being touched without warning"]
STRENGTHS = ["Creative and imaginative", "Excellent memory for facts", "Determined and resilient",
             "Very good with numbers", "Caring towards others", "Great at building and making things"]

STAFF_PLAN = [  # (role, share of staff, rate range in pence)
    ("TA", 0.6, (1450, 1900)), ("HLTA", 0.15, (1900, 2300)), ("Teacher", 0.15, (3300, 4600)),
    ("Specialist", 0.05, (4000, 5200)), ("Mentor", 0.05, (1800, 2400)),
]


@cache
def _names() -> dict[str, list[str]]:
    return json.loads(data_dir("db").joinpath("seed", "demo-names.json").read_text(encoding="utf-8"))


def generate(conn: sqlite3.Connection, size: str = "small", seed: int = 1, academic_year: str = "2026-27") -> dict[str, int]:
    """Create the demo school in an empty database; returns counts of what was made."""
    plan = SIZES[size]
    rng = random.Random(seed)
    create_school(conn, plan.school_name, academic_year, plan.urn)
    settings = school.get(conn)
    cal = school.calendar(conn, settings.academic_year)
    start_year = int(academic_year[:4])
    with transaction(conn):
        team = _staff(rng, plan)
        for s in team:
            staff.save(conn, s)
        roll = _pupils(rng, plan, start_year)
        for p in roll:
            pupils.save(conn, p)
        library = [i for i in interventions.list_all(conn) if i.phase in ("all", plan.phase)]
        made = _provisions(rng, plan, cal, team, roll, library)
        for prov in made:
            provisions.save(conn, prov)
        _budgets(conn, plan)
    add_pictures(conn, seed)
    return {"pupils": len(roll), "register": sum(p.on_register for p in roll), "staff": len(team),
            "provisions": len(made)}


def _staff(rng: random.Random, plan: DemoSize) -> list[Staff]:
    names = _names()
    team: list[Staff] = [Staff(id="SENCO", name=f"{rng.choice(names['forenames_f'])} {rng.choice(names['surnames'])}",
                               role="SENCo", hourly_rate_pence=4650, username="senco")]
    counter: dict[str, int] = {}
    while len(team) < plan.staff:
        role, _, (lo, hi) = rng.choices(STAFF_PLAN, weights=[w for _, w, _ in STAFF_PLAN])[0]
        counter[role] = counter.get(role, 0) + 1
        pool = names["forenames_f"] if rng.random() < 0.8 else names["forenames_m"]
        fore, sur = rng.choice(pool), rng.choice(names["surnames"])
        team.append(Staff(id=f"{role[:2].upper()}{counter[role]:02d}", name=f"{fore} {sur}", role=role,
                          hourly_rate_pence=rng.randrange(lo, hi, 5),
                          username=f"{role[:2].lower()}{counter[role]:02d}"))
    return team


def _pupils(rng: random.Random, plan: DemoSize, start_year: int) -> list[Pupil]:
    names = _names()
    per_year = plan.pupils // len(plan.years)
    register = set(rng.sample(range(plan.pupils), plan.register))
    ehcp = set(rng.sample(sorted(register), plan.ehcp))
    serials: dict[int, int] = {}
    roll = []
    for i in range(plan.pupils):
        year = plan.years[min(i // per_year, len(plan.years) - 1)]
        born = date(start_year - year - 5, 9, 1) + timedelta(days=rng.randrange(365))
        entry = (start_year - year + (4 if plan.phase == "primary" else 11)) % 100
        serials[entry] = serials.get(entry, 0) + 1
        girl = rng.random() < 0.5
        fore = rng.choice(names["forenames_f"] if girl else names["forenames_m"])
        status = "E" if i in ehcp else ("K" if i in register else "N")
        needs: list[str] = []
        if status != "N":
            pool = [n for n in NEED_WEIGHTS if status == "K" or n != "NSA"]
            needs = [rng.choices(pool, weights=[NEED_WEIGHTS[n] for n in pool])[0]]
            if rng.random() < 0.35:
                second = rng.choice([n for n in pool if n not in needs and n != "NSA"])
                needs.append(second)
            if "NSA" in needs:
                needs = ["NSA"]
        flags = [f for f, chance in (("PP", 0.25), ("EAL", 0.2), ("FSM", 0.2), ("LAC", 0.01)) if rng.random() < chance]
        cls = (CLASS_NAMES[rng.randrange(plan.classes_per_year)] if plan.phase == "primary"
               else f"{year}{'ABCDEFGHJKLM'[rng.randrange(plan.classes_per_year)]}")
        passport = PassportFields()
        if status != "N":
            passport = PassportFields(liked_admired=rng.choice(LIKED), important_to_me=rng.choice(IMPORTANT),
                                      helps="; ".join(rng.sample(HELPS, 2)), does_not_help=rng.choice(NOT_HELP),
                                      strengths=rng.choice(STRENGTHS))
        roll.append(Pupil(
            upn=make_upn(938, plan.estab, entry, serials[entry]), forename=fore, surname=rng.choice(names["surnames"]),
            preferred_forename=fore[:3] if rng.random() < 0.03 and len(fore) > 4 else "",
            dob=born, sex="F" if girl else "M", year_group=year,
            reg_group=cls if plan.phase == "secondary" else f"{'R' if year == 0 else year}{cls}",
            sen_status=status, needs=needs, flags=flags, passport=passport,
        ))
    return roll


def _provisions(rng: random.Random, plan: DemoSize, cal: SchoolCalendar, team: list[Staff], roll: list[Pupil],
                library: list[Intervention]) -> list[Provision]:
    register = [p for p in roll if p.on_register]
    by_area: dict[str, list[Pupil]] = {}
    for p in register:
        by_area.setdefault(NEED_AREA.get(p.needs[0], "CL"), []).append(p)
    deliverers = {role: [s for s in team if s.role == role] for role in {s.role for s in team}}
    terms = cal.terms
    made: list[Provision] = []

    # A few pupils with EHC plans get 1:1 support every morning: they go over the threshold.
    one_to_one = next(i for i in library if i.name == "In-class 1:1 TA support")
    ehcp = [p for p in register if p.sen_status == "E"]
    for n, p in enumerate(ehcp[: plan.over_threshold]):
        ta = rng.choice(deliverers["TA"])
        made.append(Provision(id=f"P{len(made) + 1:03d}", intervention=one_to_one.name,
                              staff=[StaffAssignment(staff_id=ta.id)], minutes=150 + 30 * (n % 2),
                              sessions_per_week=5, funding_stream="SEN",
                              members=[Membership(upn=p.upn)]))

    while len(made) < plan.provisions:
        item = rng.choice(library)
        area_pupils = by_area.get(item.area) or register
        size = max(1, min(item.default_group_size, len(area_pupils)))
        members = rng.sample(area_pupils, size)
        roles = deliverers.get(item.default_role) or deliverers["TA"]
        lead = rng.choice(roles)
        staff_list = [StaffAssignment(staff_id=lead.id)]
        if lead.role == "TA" and rng.random() < 0.15:
            staff_list[0] = StaffAssignment(staff_id=lead.id, hourly_rate_pence=lead.hourly_rate_pence + 150)
        shape = rng.random()
        start = end = None
        weeks = None
        if shape < 0.35:  # one term
            term = rng.choice(terms)
            start, end = term.start, term.end
        elif shape < 0.6:  # a block of N weeks
            term = rng.choice(terms[:-1])
            start, weeks = term.start, rng.choice([6, 8, 10, 12])
        # else: the whole year
        memberships = []
        for k, m in enumerate(members):
            joined = left = None
            if k and rng.random() < 0.1 and (start or cal.first_day()):
                joined = (start or cal.first_day()) + timedelta(weeks=rng.randrange(2, 6))  # type: ignore[operator]
            elif k and rng.random() < 0.05:
                left = (cal.first_day() or date.today()) + timedelta(weeks=rng.randrange(8, 20))
                if start and left < start:
                    left = None
            memberships.append(Membership(upn=m.upn, start=joined, end=left))
        stream = "SEN" if rng.random() < 0.8 else rng.choice(["PP", "EAL", "CATCHUP"])
        made.append(Provision(
            id=f"P{len(made) + 1:03d}", intervention=item.name, staff=staff_list, minutes=item.default_minutes,
            sessions_per_week=item.default_sessions_per_week, start=start, end=end, weeks=weeks,
            funding_stream=stream, resource_cost_pence=rng.choice([0, 0, 0, 2500, 6000, 12000]),
            per_pupil_cost_pence=rng.choice([0, 0, 0, 0, 500]),
            members=sorted(memberships, key=lambda m: m.upn),
        ))
    return made


def _budgets(conn: sqlite3.Connection, plan: DemoSize) -> None:
    scale = plan.pupils // 210
    budgets = {"SEN": 4_200_000, "PP": 1_500_000, "EAL": 300_000, "CATCHUP": 400_000, "TOPUP": 1_800_000}
    for s in school.streams(conn):
        if s.code in budgets:
            school.save_stream(conn, FundingStream(code=s.code, name=s.name, budget_pence=budgets[s.code] * scale,
                                                   counts_toward_threshold=s.counts_toward_threshold,
                                                   version=s.version))
