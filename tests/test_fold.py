"""Search folding: what a UK keyboard can type finds the name as written."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from provmap_tui.domain.fold import fold


def test_accented_and_special_letters_fold_to_what_a_uk_keyboard_types():
    assert fold("Jiří Dvořák") == "jiri dvorak"
    assert fold("Łukasz") == "lukasz"
    assert fold("Groß") == "gross"
    assert fold("Đorđe Ørsted") == "dorde orsted"
    assert fold("Siobhán O'BRIEN-Smith") == "siobhan o'brien-smith"


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_plain_ascii_text_folds_as_the_full_rule_would(text: str):
    """The quick path for ASCII names gives what decomposing them would."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    assert fold(text) == "".join(ch for ch in decomposed if not unicodedata.combining(ch))
