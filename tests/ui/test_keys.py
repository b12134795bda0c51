"""Every key of every screen: an id (for help and remapping), and none that hides a global key."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode

import provmap_tui.ui
from provmap_tui.ui.app import ProvmapApp

GLOBAL = {"f1", "question_mark", "f2", "f3", "f4", "f5", "f6", "f10", "2", "3", "4", "5", "6", "ctrl+p"}
# Help closes with the key that opened it.
TOGGLES = {"help-close"}


def _classes() -> list[type[DOMNode]]:
    found = []
    for info in pkgutil.walk_packages(provmap_tui.ui.__path__, "provmap_tui.ui."):
        module = importlib.import_module(info.name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, DOMNode) and obj.__module__ == module.__name__ and "BINDINGS" in vars(obj):
                found.append(obj)
    return found


def _bindings(cls: type[DOMNode]) -> list[Binding]:
    return [b for b in cls.BINDINGS if isinstance(b, Binding)]


def test_every_binding_has_an_id_and_screens_leave_the_global_keys_alone():
    classes = _classes()
    assert any(c.__name__ == "ImportScreen" for c in classes)
    for cls in classes:
        for b in _bindings(cls):
            assert b.id, f"{cls.__name__}: {b.key} has no id"
            if cls is not ProvmapApp and b.id not in TOGGLES:
                clash = set(b.key.split(",")) & GLOBAL
                assert not clash, f"{cls.__name__}: {b.key} hides the global key(s) {clash}"


def test_the_app_has_a_key_for_every_place_and_no_other_modifiers():
    keys = {k for b in ProvmapApp.BINDINGS for k in b.key.split(",")}
    assert {"f2", "f3", "f4", "f5", "f6", "f10", "f1"} <= keys
    for cls in _classes():  # PuTTY passes letters, digits, F-keys, arrows, Enter, Esc, Tab; not Ctrl+letter
        for b in _bindings(cls):
            assert not any(k.startswith(("ctrl+", "alt+")) for k in b.key.split(",")), f"{cls.__name__}: {b.key}"
