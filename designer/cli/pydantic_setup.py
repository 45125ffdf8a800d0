"""What the command line sets up in pydantic before any command builds a model.

pydantic looks for third-party plugins the first time it builds a model class. The
designer uses none, so :mod:`designer.cli` sets ``PYDANTIC_DISABLE_PLUGINS`` (unless
the user set it) and pydantic then never looks. But the module that would look,
``pydantic.plugin._loader``, imports :mod:`importlib.metadata` when it is imported,
and that brings in the ``email``, ``zipfile``, ``csv`` and ``socket`` modules: about
a tenth of the start-up of ``periop validate`` on a small file, for a scan that is
switched off.

:func:`skip_plugin_scan` puts a stand-in for that module in ``sys.modules`` while the
plugins are switched off. Its ``get_plugins()`` answers as pydantic's own does then
(no plugins), without the import. Should plugins be switched back on before the
first model is built, or should pydantic ask the module for anything else, the
stand-in loads pydantic's own module in its place and hands over to it, so the
answer is always pydantic's. Qt-free; imports nothing of pydantic.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from typing import Any

LOADER = "pydantic.plugin._loader"
#: the values of PYDANTIC_DISABLE_PLUGINS with which pydantic loads no plugin at all
ALL_OFF = ("__all__", "1", "true")


def plugins_off() -> bool:
    """True when ``PYDANTIC_DISABLE_PLUGINS`` switches every pydantic plugin off."""
    return os.environ.get("PYDANTIC_DISABLE_PLUGINS") in ALL_OFF


def _real_loader() -> types.ModuleType:
    """pydantic's own plugin loader, imported in place of the stand-in."""
    if isinstance(sys.modules.get(LOADER), _StandIn):
        del sys.modules[LOADER]
    return importlib.import_module(LOADER)


class _StandIn(types.ModuleType):
    """``pydantic.plugin._loader`` while plugins are off (see the module's notes)."""

    def get_plugins(self) -> Any:
        if plugins_off():
            return ()
        return _real_loader().get_plugins()

    def __getattr__(self, name: str) -> Any:   # anything else: pydantic's own module
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(_real_loader(), name)


def skip_plugin_scan() -> bool:
    """Put the stand-in in place when plugins are off and pydantic's loader is not yet
    imported; returns True when it did."""
    if not plugins_off() or LOADER in sys.modules:
        return False
    sys.modules[LOADER] = _StandIn(LOADER)
    return True
