"""What every provmap PDF shares: layout templates as data, the embedded font, and
a document class that refuses text its font cannot show.

Layouts (headings, colours, sizes, positions) live in templates/NAME.json so a
school can change them without touching code. A folder named by $PROVMAP_TEMPLATES
may hold the school's own NAME.json with only the keys it wants to change.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from provmap_tui.domain.errors import ProvmapError
from provmap_tui.resources import data_dir

TEMPLATE_ENV = "PROVMAP_TEMPLATES"


class TemplateError(ProvmapError):
    """A layout template is missing or malformed."""


class MissingGlyph(ProvmapError):
    """Text holds a character the embedded font cannot draw (never dropped silently)."""


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise TemplateError(f"{path}: line {exc.lineno} column {exc.colno}: {exc.msg}; fix the JSON") from None
    except OSError as exc:
        raise TemplateError(f"{path}: cannot read ({exc.strerror})") from None
    if not isinstance(data, dict):
        raise TemplateError(f"{path}: must hold a JSON object {{...}}")
    return data


def load_template(name: str) -> dict[str, Any]:
    """The shipped templates/NAME.json, overlaid with the school's own copy if any."""
    template = _read_json(data_dir("templates") / f"{name}.json")
    own_dir = os.environ.get(TEMPLATE_ENV)
    if own_dir:
        own = Path(own_dir) / f"{name}.json"
        if own.is_file():
            template = _merge(template, _read_json(own))
    return template


def colour(template: Mapping[str, Any], key: str) -> tuple[int, int, int]:
    """A "#RRGGBB" colour from the template's colours section."""
    text = str(template.get("colours", {}).get(key, ""))
    if len(text) != 7 or not text.startswith("#"):
        raise TemplateError(f"template colours.{key}: {text!r} is not a colour; write it like \"#1F5C99\"")
    try:
        return int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16)
    except ValueError:
        raise TemplateError(f"template colours.{key}: {text!r} is not a colour; write it like \"#1F5C99\"") from None


def font_paths(template: Mapping[str, Any]) -> tuple[Path, Path]:
    """Regular and bold font files named by the template (relative to templates/)."""
    font = template.get("font", {})
    base = data_dir("templates")
    paths = []
    for style in ("regular", "bold"):
        rel = font.get(style)
        if not rel:
            raise TemplateError(f"template font.{style}: missing; name a .ttf file under templates/")
        path = base / rel
        if not path.is_file():
            raise TemplateError(f"template font.{style}: {path} not found; put the .ttf file there")
        paths.append(path)
    return paths[0], paths[1]


@cache
def _fpdf_class():
    """Build the FPDF subclass on first use (fpdf2 is slow to import; keep CLI start-up quick)."""
    from fpdf import FPDF

    class ProvmapPDF(FPDF):
        """A4 document with the template's font; text is NFC-normalised and glyph-checked."""

        def __init__(self, template: Mapping[str, Any]) -> None:
            page = template.get("page", {})
            super().__init__(orientation=page.get("orientation", "portrait"), unit="mm", format="A4")
            margin = float(page.get("margin_mm", 14))
            self.set_margins(margin, margin, margin)
            self.set_auto_page_break(True, margin=float(page.get("bottom_mm", 18)))
            regular, bold = font_paths(template)
            self.body_family = str(template.get("font", {}).get("family", "Body"))
            self.add_font(self.body_family, "", str(regular))
            self.add_font(self.body_family, "B", str(bold))
            self.template = template
            self.subject = ""  # whose document is being drawn, for error messages
            self.context = ""  # which field is being written, for error messages
            self.footer_text = ""
            self.header_text = ""  # shown at the top of continuation pages
            self.page_base = 0  # pages before the current pupil, for "Page N" in combined files
            self.set_font(self.body_family, "", 10)
            self.set_creator("provmap")

        def normalize_text(self, text: str) -> str:
            text = unicodedata.normalize("NFC", text)
            cmap = self.current_font.cmap
            for ch in text:
                if ord(ch) >= 32 and ord(ch) not in cmap:
                    where = ", ".join(part for part in (self.subject, self.context) if part)
                    where = f"{where}: " if where else ""
                    name = unicodedata.name(ch, "unnamed character")
                    raise MissingGlyph(
                        f"{where}the font {self.body_family} has no character {ch!r} (U+{ord(ch):04X} {name}); "
                        f"replace or remove it"
                    )
            return super().normalize_text(text)

        def multi_cell(self, *args: Any, align: Any = "L", **kwargs: Any) -> Any:
            """Ragged-right text by default: justified short lines look odd on a passport."""
            return super().multi_cell(*args, align=align, **kwargs)

        def use(self, size: float, bold: bool = False, colour_key: str = "text") -> None:
            self.set_font(self.body_family, "B" if bold else "", size)
            self.set_text_color(*colour(self.template, colour_key))

        def pt(self, key: str) -> float:
            return float(self.template.get("sizes", {}).get(key, 10))

        def header(self) -> None:
            if not self.header_text or self.page_no() <= self.page_base + 1:
                return
            saved = self.context
            self.context = "header"
            self.use(self.pt("small"), colour_key="muted")
            self.cell(0, 5, self.header_text, new_x="LMARGIN", new_y="NEXT")
            self.ln(1)
            self.context = saved

        def footer(self) -> None:
            if not self.footer_text:
                return
            saved = self.context
            self.context = "footer"
            self.set_y(-12)
            self.use(self.pt("small"), colour_key="muted")
            self.cell(0, 5, f"{self.footer_text}   Page {self.page_no() - self.page_base}", align="C")
            self.context = saved

    return ProvmapPDF


def new_document(template: Mapping[str, Any]):
    """A fresh document laid out by `template` (a ProvmapPDF, an fpdf2 FPDF)."""
    return _fpdf_class()(template)


def output_bytes(pdf) -> bytes:
    return bytes(pdf.output())


def long_date(d: date) -> str:
    """4 December 2026: unambiguous for parents and panels alike."""
    return f"{d.day} {d:%B %Y}"


def short_date(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def section_band(pdf, text: str, *, keep: float, height: float, after: float) -> None:
    """A coloured heading band; starts a new page unless `keep` mm fit below it."""
    if pdf.get_y() + keep > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_fill_color(*colour(pdf.template, "accent"))
    pdf.use(pdf.pt("heading"), bold=True, colour_key="heading_text")
    pdf.context = f"heading {text!r}"
    pdf.cell(0, height, f" {text}", fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(after)
