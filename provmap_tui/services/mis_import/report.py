"""Rich tables that say what an import did or would do: counts, changes, problems."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from provmap_tui.services.mis_import.photos import PhotoPlan
from provmap_tui.services.mis_import.plan import ImportPlan
from provmap_tui.services.mis_import.records import Problem


def summary(plan: ImportPlan, dry_run: bool, mark_left: bool = False) -> Group:
    """A heading line and the counts table."""
    heading = f"{plan.kind} import of {plan.source}" + (" (dry run: nothing written)" if dry_run else "")
    t = Table(show_header=True, header_style="bold")
    t.add_column("Pupils")
    t.add_column("Count", justify="right")
    c = plan.counts()
    if plan.marked_left or (dry_run and mark_left and plan.full_roll):
        left = "marked as left" if plan.marked_left else "to be marked as left"
    else:
        left = "absent from the file" if plan.full_roll else ""
    rows = [
        ("created", c["created"]), ("updated", c["updated"]), ("unchanged", c["unchanged"]),
        ("skipped (problems)", c["skipped"]),
    ]
    if left:
        rows.append((left, c["absent"]))
    for label, n in rows:
        t.add_row(label, str(n))
    return Group(Text(heading, style="bold"), t)


def changes(plan: ImportPlan) -> Table | None:
    """One row per pupil created or updated, with each changed field."""
    if not (plan.created or plan.updated):
        return None
    t = Table(title="Changes", show_header=True, header_style="bold")
    t.add_column("UPN", no_wrap=True)
    t.add_column("Name")
    t.add_column("Action")
    t.add_column("Fields")
    for p in plan.created:
        t.add_row(p.upn, p.name, "create", "new pupil")
    for u in plan.updated:
        t.add_row(u.pupil.upn, u.pupil.name, "update", Text("\n".join(str(c) for c in u.changes)))
    return t


def absent(plan: ImportPlan, mark_left: bool = False) -> Table | None:
    if not plan.absent:
        return None
    if plan.marked_left:
        title = "Marked as left"
    elif mark_left:
        title = "Not in the file: --mark-left would mark them as left"
    else:
        title = "On the database but not in the file (--mark-left marks them as left)"
    t = Table(title=title, show_header=True, header_style="bold")
    t.add_column("UPN", no_wrap=True)
    t.add_column("Name")
    for a in plan.absent:
        t.add_row(a.upn, a.name)
    return t


def problems(items: list[Problem]) -> Table | None:
    """Every row that is not imported: its line, UPN, field and what to fix."""
    if not items:
        return None
    t = Table(title="Problems (these rows are not imported)", show_header=True, header_style="bold")
    t.add_column("Line", justify="right", no_wrap=True)
    t.add_column("UPN", no_wrap=True)
    t.add_column("Field")
    t.add_column("Problem")
    for p in items:
        t.add_row(str(p.line) if p.line is not None else "-", p.upn, p.field, p.reason)
    return t


def photo_problems(items: list[Problem]) -> Table | None:
    if not items:
        return None
    t = Table(title="Problems (these photos are not stored)", show_header=True, header_style="bold")
    t.add_column("File")
    t.add_column("Problem")
    for p in items:
        t.add_row(p.field, p.reason)
    return t


def photo_summary(plan: PhotoPlan, dry_run: bool) -> list[Table | Group]:
    heading = f"Photos from {plan.folder}" + (" (dry run: nothing written)" if dry_run else "")
    t = Table(header_style="bold")
    t.add_column("Photos")
    t.add_column("Count", justify="right")
    for label, n in plan.counts().items():
        t.add_row(label if label != "ignored" else "ignored (not JPEG/PNG)", str(n))
    out: list[Table | Group] = [Group(Text(heading, style="bold"), t)]
    if plan.new or plan.replaced:
        c = Table(title="Photos stored" if not dry_run else "Photos to store", header_style="bold")
        c.add_column("File")
        c.add_column("UPN", no_wrap=True)
        c.add_column("Name")
        c.add_column("Action")
        for p in plan.new + plan.replaced:
            c.add_row(p.file, p.upn, p.name, "replace" if p.replaces else "new")
        out.append(c)
    problem_table = photo_problems(plan.problems)
    if problem_table is not None:
        out.append(problem_table)
    return out
