"""The file-writing jobs behind the app's PDF keys, run inside screens' thread workers.

Thin calls into the services (passport_files, panel_evidence, images) with the
app's shared connection; each returns the paths it wrote so the screen can say
where they went. Nothing here touches widgets.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from provmap_tui.ui.context import AppContext


def shown_path(path: Path) -> str:
    """The full path, so a SENCo can find the file whatever folder she started in."""
    return str(path.absolute())


def write_passport(ctx: AppContext, upn: str, as_of: date) -> Path:
    """One pupil's passport into the school's passport folder (else ./passports)."""
    from provmap_tui.services.passport_files import write_one

    with ctx.db() as conn:
        return write_one(conn, upn, as_of=as_of)


def passport_folder(ctx: AppContext) -> Path:
    """The school's passport folder, created if missing."""
    from provmap_tui.services.output import ensure_folder
    from provmap_tui.services.passport import output_folder

    with ctx.db() as conn:
        return ensure_folder(output_folder(conn))


def write_panel_evidence(ctx: AppContext, upn: str, as_of: date) -> tuple[Path, Path]:
    """The pupil's panel evidence sheet as PDF and CSV, beside the passports.

    Both are drawn before either is written, so a failure leaves neither."""
    from provmap_tui.services import panel_evidence
    from provmap_tui.services.output import ensure_folder, write_atomically
    from provmap_tui.services.passport import file_name, output_folder
    from provmap_tui.store import pupils, school, snapshot

    with ctx.db() as conn:
        pm = snapshot.load(conn)
        need_types = pupils.need_types(conn)
        logo = school.get_logo(conn)
        folder = output_folder(conn)
    sheet = panel_evidence.build(pm, upn, as_of, need_types)
    pdf = panel_evidence.to_pdf(sheet, logo)
    text = panel_evidence.to_csv(sheet)
    pupil = next(p for p in pm.pupils if p.upn == upn)
    stem = file_name(pupil).removesuffix(".pdf") + "-panel"
    folder = ensure_folder(folder)
    return write_atomically(folder / f"{stem}.pdf", pdf), write_atomically(folder / f"{stem}.csv", text)


def set_photo(ctx: AppContext, upn: str, path: Path) -> int:
    """Check, shrink and store the pupil's photo; returns the stored size in bytes."""
    from provmap_tui.services.images import set_photo as store_photo

    with ctx.db() as conn:
        return store_photo(conn, upn, path)
