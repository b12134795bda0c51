"""Import hygiene: layers import downwards only, SQL stays in the store, start-up stays lean."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "provmap_tui"
ORDER = ["domain", "store", "services", "ui"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_layers_import_only_downwards():
    problems = []
    for layer in ORDER:
        forbidden = [f"provmap_tui.{above}" for above in ORDER[ORDER.index(layer) + 1:]] + ["provmap_tui.cli"]
        for path in (PACKAGE / layer).rglob("*.py"):
            for module in _imports(path):
                if any(module == f or module.startswith(f + ".") for f in forbidden):
                    problems.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert problems == []


def test_domain_does_no_io():
    for path in (PACKAGE / "domain").rglob("*.py"):
        imports = _imports(path)
        assert not imports & {"sqlite3", "sqlite_utils", "os", "pathlib", "subprocess", "textual"}, path


def test_only_the_store_writes_sql():
    sql = re.compile(r"\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b", re.IGNORECASE)
    offenders = [
        str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
        if "store" not in p.relative_to(PACKAGE).parts and sql.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_only_the_store_talks_to_sqlite():
    """Transactions and PRAGMAs are SQL too: a service that runs them bypasses the store."""
    call = re.compile(r"\.execute(many|script)?\(")
    offenders = [
        str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
        if "store" not in p.relative_to(PACKAGE).parts and not p.name.startswith("bench")
        and call.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_cli_reports_do_not_load_the_ui():
    code = ("import sys; from provmap_tui import cli; cli.build_parser(); "
            "import provmap_tui.services.cost_report; print(sorted(m for m in sys.modules if m.startswith('textual')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
