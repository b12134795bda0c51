"""Pupils marked as left (by the MIS import or by hand) stay in the file but leave the caseload."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from ui_helpers import AS_OF, open_db

from provmap_tui.services import caseload
from provmap_tui.store import snapshot


def test_a_pupil_who_has_left_is_on_neither_view_and_a_future_leaver_until_then(small_db):
    conn = open_db(small_db)
    try:
        pm = snapshot.load(conn)
    finally:
        conn.close()
    on_register = [p for p in pm.pupils if p.on_register]
    gone, leaving_later = on_register[0], on_register[1]
    marked = replace(pm, pupils=tuple(
        p.model_copy(update={"left_on": AS_OF - timedelta(days=3)}) if p.upn == gone.upn
        else p.model_copy(update={"left_on": AS_OF + timedelta(days=30)}) if p.upn == leaving_later.upn
        else p
        for p in pm.pupils))
    rows = caseload.build_rows(marked, AS_OF)
    upns = {r.upn for r in caseload.filter_rows(rows, "", whole_school=False)}
    everyone = {r.upn for r in caseload.filter_rows(rows, "", whole_school=True)}
    assert gone.upn not in everyone and leaving_later.upn in upns
    assert upns == {p.upn for p in on_register} - {gone.upn}
    assert len(everyone) == len(pm.pupils) - 1
    later = {r.upn for r in caseload.build_rows(marked, AS_OF + timedelta(days=31))}
    assert gone.upn not in later and leaving_later.upn not in later
