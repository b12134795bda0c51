"""Reading CTF and CSV files: what a SENCo's exports contain, and refusing bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from provmap_tui.services.mis_import import service
from provmap_tui.services.mis_import.csv_reader import parse_mapping, read_csv
from provmap_tui.services.mis_import.ctf_reader import read_ctf
from provmap_tui.services.mis_import.records import ImportRefused

from .conftest import TODAY


def _by_upn(result):
    return {r.fields["upn"]: r for r in result.records}


def test_ctf_sample_gives_every_field(data: Path) -> None:
    result = read_ctf((data / "hillside.ctf.xml").read_bytes(), "hillside", TODAY)
    assert result.kind == "CTF" and result.full_roll and not result.problems
    pupils = _by_upn(result)
    assert len(pupils) == 6
    nowak = pupils["T938200121002"]
    assert nowak.fields["surname"] == "Nowak" and nowak.fields["sex"] == "F"
    assert nowak.fields["year_group"] == "5" and nowak.fields["first_language"] == "POL"
    assert nowak.fields["sen_status"] == "K" and nowak.needs == ["SPLD", "SEMH"]
    assert nowak.fields["fsm"] == "no" and nowak.fields["lac"] == "no"
    assert pupils["D938200121001"].fields["fsm"] == "yes"
    assert pupils["K938200121005"].fields["lac"] == "yes"
    assert pupils["K938200121005"].fields["preferred_forename"] == "Tom"
    assert pupils["G938200121003"].fields["med"] == "yes"
    assert pupils["W938200121004"].fields["sen_status"] == "N" and pupils["W938200121004"].needs == []
    # Line numbers point at each <Pupil> in the file.
    assert [r.line for r in result.records] == [4, 5, 6, 7, 8, 9]


def test_old_ctf_with_gender_namespace_and_missing_blocks(data: Path) -> None:
    result = read_ctf((data / "old-gender.ctf.xml").read_bytes(), "old", TODAY)
    assert not result.full_roll  # DocumentQualifier partial
    pupils = _by_upn(result)
    okafor = pupils["D938200121001"]
    assert okafor.fields["sex"] == "M"
    assert "year_group" not in okafor.fields and "med" not in okafor.fields
    assert okafor.fields["sen_status"] == "N"
    nowak = pupils["T938200121002"]
    # The latest SEN record wins; needs come back in rank order; an ended FSM spell is not current.
    assert nowak.fields["sen_status"] == "E" and nowak.needs == ["ASD", "SEMH"]
    assert nowak.fields["fsm"] == "no" and nowak.fields["year_group"] == "R"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("truncated.ctf.xml", "is the file complete"),
        ("billion-laughs.ctf.xml", "refused for safety"),
        ("external-entity.ctf.xml", "refused for safety"),
    ],
)
def test_unsafe_or_broken_xml_is_refused(data: Path, name: str, words: str) -> None:
    with pytest.raises(ImportRefused, match=words):
        read_ctf((data / name).read_bytes(), name, TODAY)


def test_xml_that_is_not_a_ctf_is_refused() -> None:
    with pytest.raises(ImportRefused, match="not a CTF"):
        read_ctf(b"<html><body/></html>", "page.xml", TODAY)


def test_csv_sample_headers_are_recognised(data: Path) -> None:
    result = read_csv((data / "hillside-sims-export.csv").read_bytes(), "sims")
    assert not result.problems and not result.notes
    first = result.records[0]
    assert first.line == 2
    assert first.fields["upn"] == "D938200121001"  # the BOM did not stick to the header
    assert first.fields["year_group"] == "Year 4" and first.fields["reg_group"] == "4A"
    assert first.needs == ["SLCN"]
    assert result.records[1].needs == ["SPLD", "SEMH"]


def test_windows_1252_csv_keeps_accents(data: Path) -> None:
    result = read_csv((data / "windows-1252.csv").read_bytes(), "excel")
    names = [(r.fields["forename"], r.fields["surname"]) for r in result.records]
    assert names == [("Daniel", "Okafor"), ("Zoë", "Nowak"), ("José", "Müller-Brontë")]
    assert result.records[2].fields["preferred_forename"] == "Pepé"


def test_utf8_without_bom_and_semicolons() -> None:
    text = "UPN;Surname;Forename\nD938200121001;Ø'Brien;Siân\n".encode()
    result = read_csv(text, "x")
    assert result.records[0].fields["surname"] == "Ø'Brien"
    assert result.records[0].fields["forename"] == "Siân"


def test_missing_upn_column_is_refused_with_the_fix(data: Path) -> None:
    with pytest.raises(ImportRefused, match=r"no column for the UPN.*--map"):
        read_csv((data / "missing-upn-column.csv").read_bytes(), "nupn")


def test_map_names_other_headers() -> None:
    text = b"Pupil ID,Family,Given,Tutor\nD938200121001,Okafor,Daniel,4A\n"
    mapping = parse_mapping(["Pupil ID=upn", "Family=surname", "Given=forename", "Tutor=reg_group"])
    result = read_csv(text, "x", mapping)
    assert result.records[0].fields == {"upn": "D938200121001", "surname": "Okafor", "forename": "Daniel",
                                        "reg_group": "4A"}


@pytest.mark.parametrize(
    ("items", "words"),
    [
        (["Pupil ID"], "write it as"),
        (["Pupil ID=shoe_size"], "not a field"),
        (["Nope=upn"], r"column 'Nope' \(for upn\) that the header does not have"),
    ],
)
def test_bad_map_is_refused(items: list[str], words: str) -> None:
    with pytest.raises(ImportRefused, match=words):
        read_csv(b"Pupil ID,Surname,Forename\nD938200121001,A,B\n", "x", parse_mapping(items))


def test_two_columns_for_one_field_are_refused() -> None:
    with pytest.raises(ImportRefused, match="both look like"):
        read_csv(b"UPN,Surname,Last Name,Forename\nD938200121001,A,A,B\n", "x")


def test_row_with_extra_values_is_a_problem_with_its_line() -> None:
    result = read_csv(b"UPN,Surname,Forename\nD938200121001,O,Brien,Daniel\n", "x")
    assert not result.records
    assert result.problems[0].line == 2 and "unquoted comma" in result.problems[0].reason


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "binary file"),
        (b"PK\x03\x04rest-of-a-workbook", "Excel workbook"),
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
    ],
)
def test_files_that_are_not_exports_are_refused(data: Path, tmp_path: Path, content: bytes | None, words: str) -> None:
    path = data / "binary.csv"
    if content is not None:
        path = tmp_path / "file.csv"
        path.write_bytes(content)
    with pytest.raises(ImportRefused, match=words):
        service.read_source(path, None, None, TODAY)


def test_missing_file_folder_and_too_big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ImportRefused, match="no such file"):
        service.read_source(tmp_path / "nope.csv", None, None, TODAY)
    with pytest.raises(ImportRefused, match="is a folder"):
        service.read_source(tmp_path, None, None, TODAY)
    big = tmp_path / "big.csv"
    big.write_bytes(b"UPN,Surname,Forename\n" + b"D938200121001,A,B\n" * 100)
    monkeypatch.setattr("provmap_tui.services.mis_import.files.ROLL_FILE_LIMIT", 1000)
    with pytest.raises(ImportRefused, match="at most"):
        service.read_source(big, None, None, TODAY)


def test_format_is_detected_from_content(data: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "export.txt"
    renamed.write_bytes((data / "hillside.ctf.xml").read_bytes())
    assert service.read_source(renamed, None, None, TODAY).kind == "CTF"
    with pytest.raises(ImportRefused, match="--map is for CSV"):
        service.read_source(renamed, None, ["A=upn"], TODAY)
