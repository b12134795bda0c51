"""The School tab's output folder and logo file, checked as they are typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from provmap_tui.domain.errors import InvalidInput
from provmap_tui.services.settings_edit import check_folder, check_logo_file


def test_folder_blank_is_the_default_home_is_expanded_and_a_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert check_folder("  ") == ""
    assert check_folder("~/reports") == str(tmp_path / "reports")  # not yet made: fine
    (tmp_path / "list.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InvalidInput, match="is a file; give a folder") as caught:
        check_folder("~/list.txt")
    assert caught.value.field == "folder"


@pytest.mark.parametrize(("content", "problem"), [
    (None, "no such file"),
    (b"GIF89a....", "not a PNG or JPEG"),
    (b"", "not a PNG or JPEG"),
])
def test_logo_refusals_name_the_fix(tmp_path, content, problem):
    path = tmp_path / "logo.png"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InvalidInput, match=problem) as caught:
        check_logo_file(str(path))
    assert caught.value.field == "logo"


def test_logo_blank_keeps_the_current_one_and_a_png_passes(tmp_path):
    assert check_logo_file("") is None
    path = tmp_path / "crest.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 10)  # the first bytes; saving decodes it in full
    assert check_logo_file(f" {path} ") == Path(path)
