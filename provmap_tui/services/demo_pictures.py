"""Invented pictures for the demo school: a drawn logo and a few cartoon "photos".

Drawn with Pillow from simple shapes, so no real person or school appears.
"""

from __future__ import annotations

import io
import random
import sqlite3

from provmap_tui.resources import data_dir
from provmap_tui.services.images import prepare
from provmap_tui.store import pupils, school
from provmap_tui.store.connection import transaction

PHOTOS = 6
SKIN = [(255, 224, 189), (234, 192, 134), (198, 134, 66), (141, 85, 36), (92, 58, 33)]
HAIR = [(40, 30, 20), (90, 60, 30), (200, 160, 80), (20, 20, 20), (150, 70, 30)]
BACKGROUNDS = [(196, 218, 238), (214, 234, 208), (244, 226, 196), (228, 212, 238)]


def logo_png(name: str) -> bytes:
    """A shield in the school colours with the school's initials."""
    from PIL import Image, ImageDraw, ImageFont

    size = 360
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    shield = [(40, 30), (320, 30), (320, 190), (180, 335), (40, 190)]
    d.polygon(shield, fill=(31, 92, 153, 255), outline=(230, 180, 40, 255), width=12)
    d.line([(60, 120), (300, 120)], fill=(230, 180, 40, 255), width=10)
    letters = "".join(w[0] for w in name.split()[:2]).upper()
    font = ImageFont.truetype(str(data_dir("templates") / "fonts" / "DejaVuSans-Bold.ttf"), 96)
    d.text((180, 205), letters, font=font, fill=(255, 255, 255, 255), anchor="mm")
    d.ellipse([(150, 52), (210, 104)], fill=(230, 180, 40, 255))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def photo_jpeg(rng: random.Random) -> bytes:
    """A head-and-shoulders cartoon on a plain background."""
    from PIL import Image, ImageDraw

    w, h = 300, 360
    img = Image.new("RGB", (w, h), rng.choice(BACKGROUNDS))
    d = ImageDraw.Draw(img)
    skin, hair = rng.choice(SKIN), rng.choice(HAIR)
    jumper = rng.choice([(31, 92, 153), (166, 27, 27), (30, 107, 52), (90, 90, 90)])
    d.ellipse([(40, 250), (260, 460)], fill=jumper)
    d.rectangle([(125, 215), (175, 265)], fill=skin)
    d.ellipse([(85, 70), (215, 230)], fill=hair if rng.random() < 0.5 else skin)
    d.ellipse([(95, 90), (205, 230)], fill=skin)
    d.chord([(88, 62), (212, 170)], 180, 360, fill=hair)
    for x in (125, 175):
        d.ellipse([(x - 7, 145), (x + 7, 159)], fill=(40, 40, 40))
    d.arc([(120, 165), (180, 205)], 20, 160, fill=(120, 40, 40), width=4)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


def add_pictures(conn: sqlite3.Connection, seed: int = 1, photos: int = PHOTOS) -> int:
    """Give the demo school a logo and the first few register pupils a photo; returns photos made."""
    rng = random.Random(f"pictures-{seed}")  # own generator: the rest of the demo is unchanged
    settings = school.get(conn)
    register = [p for p in pupils.list_all(conn) if p.on_register][:photos]
    logo = prepare(logo_png(settings.name), "demo logo", keep_transparency=True)
    made = [(p.upn, prepare(photo_jpeg(rng), f"demo photo for {p.upn}")) for p in register]
    with transaction(conn):
        school.set_logo(conn, logo)
        for upn, data in made:
            pupils.set_photo(conn, upn, data)
    return len(made)
