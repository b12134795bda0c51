"""The builder's live preview: per-keystroke costing must equal a full re-costing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from provmap_tui.domain.calendar import SchoolCalendar, Term
from provmap_tui.domain.models import (
    FundingStream,
    Intervention,
    Membership,
    Provision,
    Pupil,
    SchoolSettings,
    Staff,
    StaffAssignment,
)
from provmap_tui.domain.provision_map import ProvisionMap
from provmap_tui.domain.upn import make_upn
from provmap_tui.services import pupil_search
from provmap_tui.services.builder_preview import MemberPreview, make_baseline, preview
from provmap_tui.services.provision_form import DraftForm, MemberRow, check, form_from_provision
from provmap_tui.services.demo import generate
from provmap_tui.store import snapshot
from provmap_tui.store.connection import connect

AS_OF = date(2027, 1, 15)


@pytest.fixture(scope="module")
def demo_map(tmp_path_factory: pytest.TempPathFactory) -> ProvisionMap:
    conn = connect(tmp_path_factory.mktemp("preview") / "small.db")
    generate(conn, "small", 1, "2026-27")
    pm = snapshot.load(conn)
    conn.close()
    return pm


def with_provision(pm: ProvisionMap, prov: Provision) -> ProvisionMap:
    others = tuple(p for p in pm.provisions if p.id != prov.id)
    return replace(pm, provisions=(*others, prov))


def without(pm: ProvisionMap, provision_id: str) -> ProvisionMap:
    return replace(pm, provisions=tuple(p for p in pm.provisions if p.id != provision_id))


def group_of(pm: ProvisionMap, size: int) -> Provision:
    return next(p for p in pm.provisions if len(p.members) >= size and p.funding_stream == "SEN")


def test_edited_provision_matches_a_full_recosting(demo_map: ProvisionMap) -> None:
    original = group_of(demo_map, 3)
    base = make_baseline(demo_map, AS_OF, original.id)
    edited = original.model_copy(update={"minutes": original.minutes + 25, "sessions_per_week": 4})
    pv = preview(base, edited)

    after = with_provision(demo_map, edited).costs(AS_OF)
    assert pv.annual == after.provisions[edited.id].annual
    assert pv.old_annual == demo_map.costs(AS_OF).provisions[original.id].annual
    assert pv.annual > pv.old_annual
    for m in pv.members:
        assert m.new_total == after.pupils[m.upn].counted
        assert m.share == after.provisions[edited.id].annual_shares[m.upn]
        assert m.new_total > m.old_total


def test_moving_to_a_stream_that_does_not_count_takes_the_share_off(demo_map: ProvisionMap) -> None:
    original = group_of(demo_map, 2)
    base = make_baseline(demo_map, AS_OF, original.id)
    pv = preview(base, original.model_copy(update={"funding_stream": "PP"}))
    after = with_provision(demo_map, original.model_copy(update={"funding_stream": "PP"})).costs(AS_OF)
    assert not pv.counts_toward_threshold
    for m in pv.members:
        assert m.new_total == m.old_total - m.old_share
        assert m.new_total == after.pupils[m.upn].counted


def test_removed_and_added_members_both_change(demo_map: ProvisionMap) -> None:
    original = group_of(demo_map, 3)
    base = make_baseline(demo_map, AS_OF, original.id)
    leaving = original.members[0].upn
    in_group = {m.upn for m in original.members}
    joining = next(p.upn for p in demo_map.pupils if p.on_register and p.upn not in in_group)
    members = [m for m in original.members if m.upn != leaving] + [Membership(upn=joining)]
    edited = original.model_copy(update={"members": members})
    pv = preview(base, edited)
    after = with_provision(demo_map, edited).costs(AS_OF)

    assert [m.upn for m in pv.removed] == [leaving]
    expected = after.pupils[leaving].counted if leaving in after.pupils else 0
    assert pv.removed[0].new_total == expected < pv.removed[0].old_total
    new_member = next(m for m in pv.members if m.upn == joining)
    assert new_member.old_share == 0
    assert new_member.new_total == after.pupils[joining].counted


def test_a_new_provision_adds_to_each_members_total(demo_map: ProvisionMap) -> None:
    base = make_baseline(demo_map, AS_OF, None)
    upns = [p.upn for p in demo_map.pupils if p.on_register][:3]
    prov = Provision(id="P999", intervention=demo_map.interventions[0].name,
                     staff=[StaffAssignment(staff_id=demo_map.staff[1].id)], minutes=30, sessions_per_week=3,
                     funding_stream="SEN", members=[Membership(upn=u) for u in upns])
    pv = preview(base, prov)
    after = with_provision(demo_map, prov).costs(AS_OF)
    assert sum(m.share for m in pv.members) == pv.annual == after.provisions["P999"].annual
    assert [m.new_total for m in pv.members] == [after.pupils[u].counted for u in upns]
    assert pv.old_annual == 0 and pv.removed == ()


def worked_example_map(other_minutes: int) -> ProvisionMap:
    """costing.md's worked example: one 15-week term, a TA at £17.20, A, B, and C from 2 Nov."""
    cal = SchoolCalendar("2026-27", (Term("Autumn", date(2026, 9, 7), date(2026, 12, 18)),))
    upns = [make_upn(938, 2001, 26, n) for n in (1, 2, 3)]
    pupils = tuple(Pupil(upn=u, forename=f, surname="Test", sen_status="K", needs=["SLCN"])
                   for u, f in zip(upns, ("Amy", "Ben", "Cal")))
    other = Provision(id="P001", intervention="Talk", staff=[StaffAssignment(staff_id="TA1")],
                      minutes=other_minutes, sessions_per_week=5, funding_stream="SEN",
                      members=[Membership(upn=upns[0])])
    return ProvisionMap(
        school=SchoolSettings(name="Test School", academic_year="2026-27", threshold_pence=600_000,
                              oncost_percent=Decimal("0")),
        calendar=cal,
        streams=(FundingStream(code="SEN", name="SEN", counts_toward_threshold=True),
                 FundingStream(code="PP", name="PP")),
        staff=(Staff(id="TA1", name="Tess A", hourly_rate_pence=1720),),
        pupils=pupils,
        interventions=(Intervention(name="Talk", area="CI"),),
        provisions=(other,),
    )


def test_worked_example_figures_and_threshold_text() -> None:
    pm = worked_example_map(other_minutes=300)
    a, b, c = (p.upn for p in pm.pupils)
    base = make_baseline(pm, AS_OF)
    prov = Provision(id="P002", intervention="Talk", staff=[StaffAssignment(staff_id="TA1")], minutes=30,
                     sessions_per_week=3, funding_stream="SEN",
                     members=[Membership(upn=a), Membership(upn=b), Membership(upn=c, start=date(2026, 11, 2))])
    pv = preview(base, prov)
    assert pv.weekly == 2580
    assert pv.annual == 38700
    assert pv.weeks == 15
    assert (pv.first_day, pv.last_day) == (date(2026, 9, 7), date(2026, 12, 18))
    shares = {m.upn: m.share for m in pv.members}
    assert shares == {a: 16340, b: 16340, c: 6020}
    # A already has 1:1 support of 5 x 300 minutes: £430.00 a week for 15 weeks = £6,450.00.
    amy = pv.members[0]
    assert amy.old_total == 645000
    assert amy.change_text == "£6,450.00 -> £6,613.40, over by £613.40"
    assert pv.members[2].change_text == "£0.00 -> £60.20, £5,939.80 left"


def test_change_text_spells_out_before_after_and_status() -> None:
    over = MemberPreview("X", "Amy", 28000, 0, 584000, 612000, "over", 12000)
    near = MemberPreview("X", "Amy", 100, 0, 499900, 500000, "near", 100000)
    same = MemberPreview("X", "Amy", 500, 500, 10000, 10000, "under", 590000)
    assert over.change_text == "£5,840.00 -> £6,120.00, over by £120.00"
    assert near.change_text == "£4,999.00 -> £5,000.00, near, £1,000.00 left"
    assert same.change_text == "£100.00 (no change), £5,900.00 left"
    assert over.short_text == "£5,840.00 -> £6,120.00, over £120.00"
    assert same.short_text == "£100.00 same, £5,900.00 left"


# ---- the form ---------------------------------------------------------------------------

CHOICES = dict(interventions={"Talk"}, staff_ids={"TA1"}, streams={"SEN", "PP"},
               year=(date(2026, 9, 1), date(2027, 8, 31)))


def good_form(**changes: object) -> DraftForm:
    form = DraftForm(provision_id="P002", intervention="Talk", staff="TA1", minutes="30", sessions="3",
                     start="2026-09-07", end="2026-12-18", stream="SEN", resource="12.50", per_pupil="0",
                     members=[MemberRow("A"), MemberRow("B", start=date(2026, 11, 2))])
    for k, v in changes.items():
        setattr(form, k, v)
    return form


def test_a_good_form_gives_a_provision() -> None:
    result = check(good_form(rate="18.40"), **CHOICES)
    assert result.errors == {}
    p = result.provision
    assert p is not None
    assert p.staff[0].hourly_rate_pence == 1840
    assert p.resource_cost_pence == 1250
    assert p.end == date(2026, 12, 18) and p.weeks is None
    assert [m.upn for m in p.members] == ["A", "B"]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"rate": "-3.00"}, "rate", "negative"),
        ({"rate": "abc"}, "rate", "not an amount"),
        ({"minutes": "0"}, "minutes", "at least 1"),
        ({"minutes": ""}, "minutes", "enter the minutes"),
        ({"minutes": "2.5"}, "minutes", "whole number"),
        ({"minutes": "--5"}, "minutes", "whole number"),  # a slip of the finger, not a crash
        ({"sessions": "²"}, "sessions", "whole number"),
        ({"weeks": "-", "end": ""}, "weeks", "whole number"),
        ({"sessions": "30"}, "sessions", "at most 25"),
        ({"end": "2026-09-01"}, "end", "before it starts"),
        ({"end": "31/02/2027"}, "end", "not a date"),
        ({"start": "2025-09-07"}, "start", "outside the academic year"),
        ({"weeks": "6"}, "weeks", "not both"),
        ({"weeks": "6", "end": "", "start": ""}, "start", "needs a start date"),
        ({"staff": ""}, "staff", "choose who runs it"),
        ({"intervention": "Nope"}, "intervention", "no intervention called"),
        ({"resource": "-1"}, "resource", "negative"),
        ({"members": [MemberRow("A"), MemberRow("A")]}, "members", "twice"),
    ],
)
def test_bad_fields_get_a_message_and_no_provision(changes: dict, field: str, words: str) -> None:
    result = check(good_form(**changes), **CHOICES)
    assert result.provision is None
    assert words in result.errors[field]


def test_uk_dates_and_n_weeks_are_accepted() -> None:
    result = check(good_form(start="7/9/2026", end="", weeks="12"), **CHOICES)
    assert result.errors == {}
    assert result.provision.start == date(2026, 9, 7) and result.provision.weeks == 12


def test_form_round_trips_a_saved_provision(demo_map: ProvisionMap) -> None:
    original = group_of(demo_map, 2)
    form = form_from_provision(original)
    choices = dict(interventions={i.name for i in demo_map.interventions}, staff_ids={s.id for s in demo_map.staff},
                   streams={s.code for s in demo_map.streams}, year=demo_map.calendar.bounds)
    result = check(form, **choices)
    assert result.provision == original


# ---- finding pupils --------------------------------------------------------------------------

def test_pupil_search_finds_by_name_part_and_upn(demo_map: ProvisionMap) -> None:
    target = next(p for p in demo_map.pupils if p.on_register)
    by_name = pupil_search.search(demo_map.pupils, f"{target.forename[:3]} {target.surname[:3]}")
    assert target.upn in [m.pupil.upn for m in by_name]
    by_upn = pupil_search.search(demo_map.pupils, target.upn.lower())
    assert by_upn[0].pupil.upn == target.upn
    assert pupil_search.search(demo_map.pupils, "zzzzqqq") == []
    gone = target.model_copy(update={"left_on": date(2026, 10, 1)})
    assert pupil_search.search([gone], target.upn) == []


def test_pupil_search_puts_register_pupils_first_on_equal_matches(demo_map: ProvisionMap) -> None:
    on = next(p for p in demo_map.pupils if p.on_register)
    off = next(p for p in demo_map.pupils if not p.on_register)
    twin_on = on.model_copy(update={"forename": "Zed", "surname": "Twin"})
    twin_off = off.model_copy(update={"forename": "Zed", "surname": "Twin"})
    found = pupil_search.search([twin_off, twin_on], "zed twin")
    assert [m.pupil.upn for m in found] == [on.upn, off.upn]


@pytest.mark.parametrize("name, typed", [
    (("Jiří", "Barnes"), "jiri barn"), (("Łukasz", "Wiśniewski"), "lukasz wisn"),
    (("Siobhán", "O'Brien"), "siobhan"), (("Chloé", "Groß"), "chloe gross"), (("Ștefan", "Dumitrescu"), "stefan"),
])
def test_pupil_search_finds_accented_names_typed_without_accents(demo_map: ProvisionMap, name, typed) -> None:
    """A UK keyboard has no ř or ł: typing the plain letters must still find the child."""
    p = next(p for p in demo_map.pupils if p.on_register)
    pupil = p.model_copy(update={"forename": name[0], "surname": name[1], "preferred_forename": "", "preferred_surname": ""})
    assert [m.pupil.upn for m in pupil_search.search([pupil], typed)] == [p.upn]
    assert [m.pupil.upn for m in pupil_search.search([pupil], name[0].lower())] == [p.upn]


def test_a_member_whose_dates_miss_the_run_is_named() -> None:
    """A six-week block from September and a pupil who joins in December: no sessions, no
    cost. The builder must say so rather than show a quiet £0.00."""
    pm = worked_example_map(other_minutes=300)
    a, b, c = (p.upn for p in pm.pupils)
    prov = Provision(id="P002", intervention="Talk", staff=[StaffAssignment(staff_id="TA1")], minutes=30,
                     sessions_per_week=3, funding_stream="SEN", start=date(2026, 9, 7), weeks=6,
                     members=[Membership(upn=a), Membership(upn=b, start=date(2026, 12, 1))])
    pv = preview(make_baseline(pm, AS_OF), prov)
    assert [m.name for m in pv.outside_run] == ["Ben Test"]
    assert pv.members[1].share == 0
