"""The costing rule (costing.md): worked example, edge cases and properties."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from provmap_tui.domain.calendar import Closure, SchoolCalendar, Term, default_calendar
from provmap_tui.domain.costing import allocate, cost_all, cost_provision, provision_run, threshold_status
from provmap_tui.domain.models import FundingStream, Membership, Provision, StaffAssignment
from provmap_tui.domain.upn import make_upn

A, B, C = (make_upn(938, 2001, 21, n) for n in (1, 2, 3))
AUTUMN = SchoolCalendar("2026-27", (Term("Autumn", date(2026, 9, 7), date(2026, 12, 18)),))
RATES = {"TA": 1720, "T": 3600}
END_OF_YEAR = date(2027, 8, 31)


def prov(members, **kw) -> Provision:
    base = dict(id="P1", intervention="Talk Boost", staff=[StaffAssignment(staff_id="TA")], minutes=30,
                sessions_per_week=3, start=date(2026, 9, 7), end=date(2026, 12, 18))
    base.update(kw)
    return Provision(**base, members=members)


def cost(p, cal=AUTUMN, oncost="0", as_of=END_OF_YEAR):
    return cost_provision(p, cal, RATES, Decimal(oncost), as_of)


def test_worked_example_from_costing_md():
    c = cost(prov([Membership(upn=A), Membership(upn=B), Membership(upn=C, start=date(2026, 11, 2))]))
    assert AUTUMN.pupil_day_count == 75
    assert c.weekly == 2580 and c.daily == 516
    assert c.annual == 38700
    assert c.annual_shares == {A: 16340, B: 16340, C: 6020}
    assert [(s.pupil_days, len(s.members)) for s in c.segments] == [(40, 2), (35, 3)]


def test_closures_are_not_charged():
    closed = SchoolCalendar("2026-27", AUTUMN.terms, (Closure(date(2026, 10, 26)), Closure(date(2026, 10, 27))))
    c = cost(prov([Membership(upn=A)]), cal=closed)
    assert closed.pupil_day_count == 73
    assert c.annual == 73 * 516


def test_member_who_leaves_mid_term_stops_paying_and_others_pay_more():
    c = cost(prov([Membership(upn=A), Membership(upn=B, end=date(2026, 10, 30))]))
    # B leaves after 40 pupil days; A pays half for 40 days then all for 35.
    assert c.annual_shares[B] == 40 * 258
    assert c.annual_shares[A] == 40 * 258 + 35 * 516
    assert c.annual == 75 * 516


def test_days_with_no_members_cost_nothing():
    c = cost(prov([Membership(upn=A, start=date(2026, 11, 2))]))
    assert c.annual == 35 * 516


def test_n_week_block_ends_on_its_5n_th_pupil_day():
    cal = default_calendar("2026-27")
    p = prov([Membership(upn=A)], start=date(2026, 9, 7), end=None, weeks=12)
    start, end = provision_run(p, cal)
    assert cal.count_days(start, end) == 60
    assert cal.is_pupil_day(end)
    assert cost(p, cal=cal).annual == 60 * 516


def test_twelve_week_block_costs_twelve_38ths_of_a_year():
    cal = default_calendar("2026-27")
    assert cal.pupil_day_count == 190
    year = cost(prov([Membership(upn=A)], start=None, end=None), cal=cal).annual
    block = cost(prov([Membership(upn=A)], start=date(2026, 9, 8), end=None, weeks=12), cal=cal).annual
    assert Fraction(block, year) == Fraction(12, 38)


def test_oncost_and_rate_override():
    base = cost(prov([Membership(upn=A)])).annual
    assert cost(prov([Membership(upn=A)]), oncost="25").annual == base * 5 // 4
    override = prov([Membership(upn=A)], staff=[StaffAssignment(staff_id="TA", hourly_rate_pence=2000)])
    assert cost(override).annual == 75 * (2000 * 3 // 2 // 5)


def test_two_staff_add_their_rates():
    c = cost(prov([Membership(upn=A)], staff=[StaffAssignment(staff_id="TA"), StaffAssignment(staff_id="T")]))
    assert c.weekly == (1720 + 3600) * Fraction(1, 2) * 3


def test_resource_cost_split_between_distinct_members_and_per_pupil_in_full():
    c = cost(prov([Membership(upn=A), Membership(upn=B), Membership(upn=C)], resource_cost_pence=1000,
                  per_pupil_cost_pence=500, staff=[]))
    assert c.annual_shares == {A: 834, B: 833, C: 833}  # 1000/3 + 500: leftover penny to A (UPN order)
    assert c.annual == 3 * 500 + 1000


def test_to_date_counts_days_up_to_as_of_and_one_offs_once_started():
    p = prov([Membership(upn=A), Membership(upn=B, start=date(2026, 11, 2))], resource_cost_pence=1000)
    c = cost(p, as_of=date(2026, 9, 18))  # 10 pupil days in; B not started
    assert c.to_date_shares[A] == 10 * 516 + 500
    assert c.to_date_shares[B] == 0
    assert c.to_date == sum(c.to_date_shares.values())


def test_allocate_rounds_once_and_reconciles():
    total, shares = allocate({A: Fraction(1, 3), B: Fraction(1, 3), C: Fraction(1, 3)})
    assert total == 1 and shares == {A: 1, B: 0, C: 0}
    total, shares = allocate({A: Fraction(5, 2)})
    assert total == 3 and shares == {A: 3}


def test_threshold_status():
    assert threshold_status(600_001, 600_000) == ("over", 1)
    assert threshold_status(480_000, 600_000) == ("near", 120_000)
    assert threshold_status(479_999, 600_000) == ("under", 120_001)
    assert threshold_status(600_000, 600_000) == ("near", 0)


# ---- properties --------------------------------------------------------------------------

YEAR = default_calendar("2026-27")
DAYS = [date(2026, 9, 1) + timedelta(days=i) for i in range(0, 364, 3)]
PUPILS = [make_upn(938, 2001, 22, n) for n in range(1, 9)]

def _member(upn: str, a: date | None, b: date | None) -> Membership:
    if a and b and b < a:
        a, b = b, a
    return Membership(upn=upn, start=a, end=b)


member = st.builds(_member, st.sampled_from(PUPILS), st.none() | st.sampled_from(DAYS), st.none() | st.sampled_from(DAYS))
provision = st.builds(
    lambda members, minutes, spw, rate, res, pp, start, weeks, oncost: (
        Provision(id="P1", intervention="X", staff=[StaffAssignment(staff_id="TA", hourly_rate_pence=rate)],
                  minutes=minutes, sessions_per_week=spw, start=start, weeks=weeks if start else None,
                  resource_cost_pence=res, per_pupil_cost_pence=pp,
                  members=list({m.upn: m for m in members}.values())),
        oncost,
    ),
    st.lists(member, max_size=8), st.integers(1, 120), st.integers(1, 10), st.integers(0, 6000),
    st.integers(0, 50_000), st.integers(0, 5000), st.none() | st.sampled_from(DAYS), st.none() | st.integers(1, 40),
    st.sampled_from(["0", "12.5", "28.3"]),
)


@settings(max_examples=300, deadline=None)
@given(provision, st.sampled_from(DAYS))
def test_every_provisions_shares_add_up_to_its_total(p_oncost, as_of):
    p, oncost = p_oncost
    c = cost_provision(p, YEAR, {}, Decimal(oncost), as_of)
    assert sum(c.annual_shares.values()) == c.annual
    assert sum(c.to_date_shares.values()) == c.to_date
    assert all(c.to_date_shares[u] <= c.annual_shares[u] + 1 for u in c.annual_shares)


@settings(max_examples=200, deadline=None)
@given(provision, st.sampled_from(PUPILS), st.none() | st.sampled_from(DAYS))
def test_a_pupil_joining_never_raises_another_members_cost(p_oncost, newcomer, joins):
    p, oncost = p_oncost
    if any(m.upn == newcomer for m in p.members):
        return
    before = cost_provision(p, YEAR, {}, Decimal(oncost), END_OF_YEAR)
    bigger = p.model_copy(update={"members": [*p.members, Membership(upn=newcomer, start=joins)]})
    after = cost_provision(bigger, YEAR, {}, Decimal(oncost), END_OF_YEAR)
    for upn, exact in before.exact_annual.items():
        assert after.exact_annual[upn] <= exact


@settings(max_examples=50, deadline=None)
@given(st.lists(provision, min_size=1, max_size=6))
def test_report_columns_add_up(p_list):
    provs = [p.model_copy(update={"id": f"P{i}", "funding_stream": ["SEN", "PP"][i % 2]})
             for i, (p, _) in enumerate(p_list)]
    streams = [FundingStream(code="SEN", name="SEN", counts_toward_threshold=True), FundingStream(code="PP", name="PP")]
    s = cost_all(provs, streams, YEAR, {}, Decimal("0"), 600_000, date(2027, 1, 31))
    total = sum(pc.annual for pc in s.provisions.values())
    assert sum(p.annual for p in s.pupils.values()) == total
    assert sum(x.annual for x in s.streams.values()) == total
    assert sum(p.to_date for p in s.pupils.values()) == sum(x.to_date for x in s.streams.values())
    for p in s.pupils.values():
        assert sum(p.by_stream.values()) == p.annual
        assert p.counted == p.by_stream.get("SEN", 0)
