"""Search folding: what a UK keyboard can type finds the name as written."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from provmap_tui.domain.fold import _fold_unicode, fold


def test_accented_and_special_letters_fold_to_what_a_uk_keyboard_types():
    assert fold("Jiří Dvořák") == "jiri dvorak"
    assert fold("Łukasz") == "lukasz"
    assert fold("Groß") == "gross"
    assert fold("Đorđe Ørsted") == "dorde orsted"
    assert fold("Siobhán O'BRIEN-Smith") == "siobhan o'brien-smith"


@given(st.text())
def test_the_quick_path_for_ascii_names_agrees_with_the_whole_rule(text: str):
    assert fold(text) == _fold_unicode(text)
    assert fold(text.encode("ascii", "ignore").decode()) == _fold_unicode(text.encode("ascii", "ignore").decode())
