"""Common Transfer File (CTF) reader: any version seen in the wild.

Elements are found by local name (namespaces and unknown elements are ignored), every
optional block may be missing, and the XML is parsed by defusedxml with DTDs, entity
declarations and external entities refused: a CTF never needs them, an attacker might.
"""

from __future__ import annotations

from datetime import date
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from provmap_tui.services.mis_import.records import ImportRefused, Problem, ReadResult, SourceRecord

_TRUE = {"true", "1", "y", "yes", "t"}
_FALSE = {"false", "0", "n", "no", "f"}


class _LineBuilder(TreeBuilder):
    """A TreeBuilder that notes the line on which each Pupil element starts."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.pupil_lines: list[int] = []

    def start(self, tag, attrs):  # type: ignore[no-untyped-def]
        if _local(tag) == "Pupil" and self.parser is not None:
            self.pupil_lines.append(self.parser.parser.CurrentLineNumber)
        return super().start(tag, attrs)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: Element | None, name: str) -> Element | None:
    if el is None:
        return None
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _children(el: Element | None, name: str) -> list[Element]:
    return [] if el is None else [c for c in el if _local(c.tag) == name]


def _text(el: Element | None, *path: str) -> str | None:
    """Text at a path of child names, stripped; None when any step is absent."""
    for name in path:
        el = _child(el, name)
    if el is None:
        return None
    return (el.text or "").strip()


def parse_xml(data: bytes, source: str) -> tuple[Element, list[int]]:
    """The document's root and the start line of each Pupil, or ImportRefused."""
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException:
        raise ImportRefused(
            f"{source}: declares a DTD or entities, which a CTF never does; refused for safety "
            "(export the CTF from the MIS again)"
        ) from None
    except ParseError as exc:
        line, col = getattr(exc, "position", (0, 0))
        raise ImportRefused(
            f"{source}: is not well-formed XML at line {line}, column {col + 1}; "
            "is the file complete? Export the CTF again"
        ) from None
    except (ValueError, LookupError) as exc:  # an unknown encoding declaration, for one
        raise ImportRefused(f"{source}: cannot be read as XML ({exc})") from None
    return root, builder.pupil_lines


def read_ctf(data: bytes, source: str, today: date) -> ReadResult:
    """Every Pupil in the CTF as a SourceRecord; today decides which FSM spells are current."""
    root, lines = parse_xml(data, source)
    if _local(root.tag) != "CTfile":
        raise ImportRefused(f"{source}: is XML but not a CTF (its root element is <{_local(root.tag)}>, not <CTfile>)")
    header = _child(root, "Header")
    qualifier = (_text(header, "DocumentQualifier") or "full").lower()
    pupils = _children(_child(root, "CTFpupilData"), "Pupil")
    result = ReadResult(kind="CTF", records=[], full_roll=qualifier != "partial")
    if qualifier == "partial":
        result.notes.append("a partial CTF: pupils it does not list are not treated as having left")
    version = _text(header, "CTFversion")
    if version:
        result.notes.append(f"CTF version {version}")
    for i, pupil in enumerate(pupils):
        line = lines[i] if i < len(lines) else None
        try:
            result.records.append(_record(pupil, line, today))
        except _Bad as bad:
            result.problems.append(Problem(line, _text(pupil, "UPN") or "", bad.field, bad.reason))
    return result


class _Bad(Exception):
    def __init__(self, field: str, reason: str) -> None:
        self.field, self.reason = field, reason


def _bool(text: str | None, field: str) -> bool | None:
    if text is None or text == "":
        return None
    low = text.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise _Bad(field, f"{text!r} is not true or false")


def _flag(value: bool | None) -> str:
    return "yes" if value else "no"


def _record(p: Element, line: int | None, today: date) -> SourceRecord:
    fields: dict[str, str] = {}
    for field, name in (("upn", "UPN"), ("surname", "Surname"), ("forename", "Forename"), ("dob", "DOB")):
        fields[field] = _text(p, name) or ""
    sex = _text(p, "Sex")
    if sex is None:
        sex = _text(p, "Gender")
    if sex is not None:
        fields["sex"] = sex
    basic = _child(p, "BasicDetails")
    for field, name in (("preferred_forename", "PreferredForename"), ("preferred_surname", "PreferredSurname")):
        fields[field] = _text(basic, name) or ""
    year = _text(basic, "NCyearActual")
    if year is not None:
        fields["year_group"] = year
    medical = _bool(_text(basic, "MedicalFlag"), "MedicalFlag")
    if medical is not None:
        fields["med"] = _flag(medical)
    language = _first_language(_child(basic, "Languages"))
    if language:
        fields["first_language"] = language
    fields["fsm"] = _flag(_current_fsm(_child(p, "FSMhistory"), today))
    fields["lac"] = _flag(_bool(_text(p, "LookedAfter", "InCare"), "LookedAfter.InCare"))
    status, needs = _sen(_child(p, "SENhistory"))
    fields["sen_status"] = status
    return SourceRecord(line=line, fields=fields, needs=needs)


def _first_language(languages: Element | None) -> str | None:
    """The first language's code: the Type marked F, else the only one given."""
    types = _children(languages, "Type")
    for t in types:
        if (_text(t, "LanguageType") or "").upper() == "F":
            return _text(t, "Language")
    if len(types) == 1:
        return _text(types[0], "Language")
    return None


def _current_fsm(history: Element | None, today: date) -> bool:
    """Eligible now: an FSM spell that has started and not ended before today."""
    for inst in _children(history, "FSMinstance"):
        start = _date(_text(inst, "FSMstartDate"), "FSMstartDate")
        end = _date(_text(inst, "FSMendDate"), "FSMendDate")
        if (start is None or start <= today) and (end is None or end >= today):
            return True
    return False


def _date(text: str | None, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise _Bad(field, f"{text!r} is not a date (YYYY-MM-DD)") from None


def _sen(history: Element | None) -> tuple[str, list[str]]:
    """Provision and ranked needs from the latest SEN record; no history means no SEN."""
    if history is None:
        return "N", []
    records = _children(history, "SEN")
    latest = None
    latest_start = date.min
    for rec in records:
        start = _date(_text(rec, "StartDate"), "SENhistory.SEN.StartDate") or date.min
        if latest is None or start >= latest_start:
            latest, latest_start = rec, start
    status = (_text(latest, "SENprovision") or "N") if latest is not None else "N"
    needs_el = _child(latest, "SENneeds")
    if needs_el is None:
        needs_el = _child(history, "SENneeds")
    ranked: list[tuple[int, int, str]] = []
    for i, need in enumerate(_children(needs_el, "SENneed")):
        code = _text(need, "SENtype") or ""
        rank_text = _text(need, "SENtypeRank") or ""
        try:
            rank = int(rank_text) if rank_text else i + 1
        except ValueError:
            raise _Bad("SENtypeRank", f"{rank_text!r} is not a rank (1, 2, ...)") from None
        ranked.append((rank, i, code))
    return status, [code for _, _, code in sorted(ranked)]
