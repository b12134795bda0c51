"""Pupil passports as a parent or teacher would see them, read back from the PDF."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest

from provmap_tui.domain.errors import NotFound
from provmap_tui.domain.models import PassportFields
from provmap_tui.services import passport, passport_files, pdf_doc
from provmap_tui.services.images import prepare
from provmap_tui.store import pupils, school, snapshot
from tests.pdf_fixtures import (  # noqa: F401 (fixtures)
    AS_OF,
    UNICODE_NAMES,
    demo_copy,
    demo_db,
    jpeg_bytes,
    pdf_reader,
    pdf_text,
    tiny_conn,
    tiny_db,
    upn,
)


def _data(conn, n: int, **changes):
    data = passport.passport_for(conn, snapshot.load(conn), upn(n), AS_OF)
    return passport.PassportData(**{**data.__dict__, **changes})


def _one(conn, n: int, **changes) -> bytes:
    return passport.render([_data(conn, n, **changes)])


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_unicode_names_render(tiny_conn, n):
    text = pdf_text(_one(tiny_conn, n))
    fore, sur = UNICODE_NAMES[n - 1]
    assert f"{fore} {sur}" in text
    assert "St Łucja's Primary" in text
    assert "My cat Ștrudel" in text


def test_vietnamese_name_in_its_own_order(tiny_conn):
    p = _data(tiny_conn, 3).pupil.model_copy(update={"forename": "Nguyễn Thị", "surname": "Hương"})
    text = pdf_text(_one(tiny_conn, 3, pupil=p))
    assert "Nguyễn Thị Hương" in text and "NH" in text  # the name and the initials in the circle


def test_typical_passport_is_one_page_with_everything_and_no_money(tiny_conn):
    data = _one(tiny_conn, 1)
    reader = pdf_reader(data)
    assert len(reader.pages) == 1
    text = " ".join(pdf_text(data).split())
    for expected in ("Pupil passport", "CONFIDENTIAL", "Year 4", "Class 4Oak", "1 March 2017",
                     "Speech, language and communication needs",
                     "Finds talking, understanding language or being understood harder",
                     "What helps me", "Time to think", "What does not help me", "Noise", "Kind and funny",
                     "Talk Boost KS1", "Zoë Ådland (TA)", "All year", "30 minutes, 3 times a week",
                     "in a group of 3", "Printed 20 November 2026"):
        assert expected in text, expected
    assert "£" not in text  # passports go to parents: no costs


def test_a_pupil_who_joined_later_sees_their_own_dates(tiny_conn):
    text = " ".join(pdf_text(_one(tiny_conn, 3)).split())
    assert "2 Nov 2026 to 18 Dec 2026" in text


def test_group_size_is_the_group_as_it_is_now(tiny_conn):
    before = passport.passport_for(tiny_conn, snapshot.load(tiny_conn), upn(1), date(2026, 10, 1))
    assert before.support[0].how_often.endswith("in a group of 2")  # the third pupil joins on 2 November


def test_no_photo_shows_initials_and_no_picture(tiny_conn):
    data = _one(tiny_conn, 1)
    page = pdf_reader(data).pages[0]
    assert len(page.images) == 0
    assert "ŁW" in page.extract_text()


def test_photo_and_logo_are_embedded(tiny_conn):
    data = _one(tiny_conn, 1, photo=prepare(jpeg_bytes(), "p.jpg"), logo=prepare(jpeg_bytes((300, 200)), "l.jpg"))
    assert len(pdf_reader(data).pages[0].images) == 2


def test_long_text_flows_to_a_second_page_without_losing_words(tiny_conn):
    p = _data(tiny_conn, 2).pupil
    long = " ".join(f"Sentence {i} about what helps, in detail." for i in range(160)) + " The very last words."
    fields = PassportFields(**{**p.passport.__dict__, "helps": long})
    data = _one(tiny_conn, 2, pupil=p.model_copy(update={"passport": fields}))
    reader = pdf_reader(data)
    assert len(reader.pages) == 2
    assert "The very last words." in reader.pages[1].extract_text().replace("\n", " ")
    assert "Page 2" in reader.pages[1].extract_text()


def test_a_character_the_font_lacks_is_an_error_naming_it(tiny_conn):
    p = _data(tiny_conn, 1).pupil
    fields = PassportFields(**{**p.passport.__dict__, "strengths": "Great at chess 🙂"})
    with pytest.raises(pdf_doc.MissingGlyph) as err:
        _one(tiny_conn, 1, pupil=p.model_copy(update={"passport": fields}))
    message = str(err.value)
    assert "My strengths" in message and "U+1F642" in message and "SLIGHTLY SMILING FACE" in message


def test_decomposed_accents_are_joined_before_drawing(tiny_conn):
    p = _data(tiny_conn, 1).pupil
    decomposed = "Sio\u0301bha\u0301n"  # what some MIS exports send: letter + combining accent
    text = pdf_text(_one(tiny_conn, 1, pupil=p.model_copy(update={"preferred_forename": decomposed})))
    assert "Sióbhán Wiśniewski" in text


def test_targets_and_review_shown_when_present(tiny_conn):
    text = pdf_text(_one(tiny_conn, 1, targets=("Read 20 key words", "Ask for help"), next_review=date(2027, 2, 3)))
    assert "My targets" in text and "1. Read 20 key words" in text and "Next review: 3 February 2027" in text
    assert "My targets" not in pdf_text(_one(tiny_conn, 1))


def test_support_that_has_ended_is_left_out(tiny_conn):
    data = passport.passport_for(tiny_conn, snapshot.load(tiny_conn), upn(1), date(2027, 1, 5))
    assert data.support == ()
    assert "No additional support is planned" in pdf_text(passport.render([data]))


def test_school_template_changes_headings_and_colours(tiny_conn, tmp_path, monkeypatch):
    (tmp_path / "passport.json").write_text(json.dumps(
        {"headings": {"helps": "Things that help Łukasz"}, "colours": {"accent": "#006400"}}), encoding="utf-8")
    monkeypatch.setenv(pdf_doc.TEMPLATE_ENV, str(tmp_path))
    text = pdf_text(_one(tiny_conn, 1))
    assert "Things that help Łukasz" in text and "What is important to me" in text


def test_broken_school_template_is_a_clear_error(tiny_conn, tmp_path, monkeypatch):
    (tmp_path / "passport.json").write_text('{"colours": {"accent": "green"}}', encoding="utf-8")
    monkeypatch.setenv(pdf_doc.TEMPLATE_ENV, str(tmp_path))
    with pytest.raises(pdf_doc.TemplateError, match='colours.accent.*write it like "#1F5C99"'):
        _one(tiny_conn, 1)


def test_school_template_reorders_sections_and_refuses_unknown_ones(tiny_conn, tmp_path, monkeypatch):
    monkeypatch.setenv(pdf_doc.TEMPLATE_ENV, str(tmp_path))
    (tmp_path / "passport.json").write_text('{"sections": ["strengths", "needs"]}', encoding="utf-8")
    text = pdf_text(_one(tiny_conn, 1))
    assert text.index("My strengths") < text.index("My needs") and "What helps me" not in text
    (tmp_path / "passport.json").write_text('{"sections": ["needs", "hobbies"]}', encoding="utf-8")
    with pytest.raises(pdf_doc.TemplateError, match="'hobbies' is not a section; use any of needs, liked_admired"):
        _one(tiny_conn, 1)


def test_write_one_uses_the_school_passport_folder(tiny_conn, tmp_path):
    settings = school.get(tiny_conn)
    school.save(tiny_conn, settings.model_copy(update={"passport_dir": str(tmp_path / "out")}))
    path = passport_files.write_one(tiny_conn, upn(1).lower(), as_of=AS_OF)
    assert path == tmp_path / "out" / f"Wiśniewski-Łukasz-{upn(1)}.pdf"
    assert len(pdf_reader(path.read_bytes()).pages) == 1
    with pytest.raises(NotFound):
        passport_files.write_one(tiny_conn, upn(99))


def test_batch_one_file_each_with_progress(tiny_db, tmp_path):
    seen = []
    out = tmp_path / "out"
    written = passport_files.write_batch(tiny_db, None, out_dir=out, as_of=AS_OF,
                                         progress=lambda done, total: seen.append((done, total)))
    assert len(written) == 4 and all(p.parent == out for p in written)
    assert seen[-1] == (4, 4)
    assert sorted(os.listdir(out)) == sorted(p.name for p in written)  # no staging folder left


def test_batch_combined_file(tiny_db, tmp_path):
    target = tmp_path / "all.pdf"
    passport_files.write_batch(tiny_db, [upn(2), upn(1)], combined=target, as_of=AS_OF)
    reader = pdf_reader(target.read_bytes())
    assert len(reader.pages) == 2
    assert "Ștefan Dumitrescu" in reader.pages[0].extract_text()
    assert "Page 1" in reader.pages[1].extract_text()  # page numbers count from each pupil's first page


def test_batch_error_writes_nothing(tiny_db, tiny_conn, tmp_path):
    p = pupils.get(tiny_conn, upn(3))
    pupils.save(tiny_conn, p.model_copy(update={"passport": PassportFields(helps="Sings ✓ 𝄞")}))
    with pytest.raises(pdf_doc.MissingGlyph, match=f"passport of Thị Hương Nguyễn \\({upn(3)}\\), What helps me: .*U\\+1D11E"):
        passport_files.write_batch(tiny_db, None, out_dir=tmp_path / "out", as_of=AS_OF)
    assert os.listdir(tmp_path / "out") == []
    with pytest.raises(pdf_doc.MissingGlyph):
        passport_files.write_batch(tiny_db, None, combined=tmp_path / "all.pdf", as_of=AS_OF)
    assert not (tmp_path / "all.pdf").exists()


def test_parallel_batch_of_the_demo_register(demo_db, tmp_path):
    seen = []
    written = passport_files.write_batch(demo_db, None, out_dir=tmp_path, workers=2, as_of=AS_OF,
                                         progress=lambda done, total: seen.append(done))
    assert len(written) == 45 >= passport_files.PARALLEL_FROM
    assert seen[-1] == 45 and seen == sorted(seen) and len(seen) >= 5  # the bar moves as chunks finish
    with_photo = [p for p in written if len(pdf_reader(p.read_bytes()).pages[0].images) == 2]
    assert len(with_photo) == 6  # the demo's six photos, each with the logo
