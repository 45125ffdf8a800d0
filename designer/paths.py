"""The application's one identity and the one place its user folders are decided.

Every folder the designer writes to on a user's computer comes from here (never
from ``QStandardPaths`` or a second ``platformdirs`` call), so the library,
crash recovery files, the log and the settings sit side by side under one name.

======================  ==================================  ===========================
what                    default (``platformdirs``)          environment override
======================  ==================================  ===========================
data folder             user data dir of :data:`APP_ID`     ``PERIOP_DATA_DIR``
the user's library      data folder / ``library``           ``PERIOP_USER_LIBRARY``
crash recovery files    data folder / ``recovery``          (follows the data folder)
log file                data folder / ``designer.log``      (follows the data folder)
settings (ini file)     user config dir / ``settings.ini``  ``PERIOP_CONFIG_DIR``
parsed-pathway cache    user cache dir / ``pathways``       ``PERIOP_CACHE_DIR``
======================  ==================================  ===========================

The overrides are what the tests use (``tests/conftest.py`` points them all at a
temporary folder), and what a shared or portable install can use. Qt-free.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_ID = "periop-designer"                       # folder names; the command is ``periop``
APP_NAME = "Perioperative Pathway Designer"      # for people: window titles, documents
ORGANISATION = ""                                # no vendor folder level


def _platformdirs():
    import platformdirs

    return platformdirs


def data_dir() -> Path:
    """The designer's data folder (``$PERIOP_DATA_DIR`` overrides the default)."""
    override = os.environ.get("PERIOP_DATA_DIR")
    if override:
        return Path(override)
    return Path(_platformdirs().user_data_dir(APP_ID, appauthor=False))


def library_dir() -> Path:
    """The user's own library folder (``$PERIOP_USER_LIBRARY`` overrides the default)."""
    override = os.environ.get("PERIOP_USER_LIBRARY")
    if override:
        return Path(override)
    return data_dir() / "library"


def recovery_dir() -> Path:
    """Where crash recovery copies of unsaved work are written."""
    return data_dir() / "recovery"


def cache_dir() -> Path:
    """The designer's cache folder (``$PERIOP_CACHE_DIR`` overrides the default).

    Holds only what can be rebuilt (:mod:`designer.graph.cache`); safe to delete.
    """
    override = os.environ.get("PERIOP_CACHE_DIR")
    if override:
        return Path(override)
    return Path(_platformdirs().user_cache_dir(APP_ID, appauthor=False))


def log_file() -> Path:
    """The log of unexpected errors."""
    return data_dir() / "designer.log"


def config_dir() -> Path:
    """The designer's settings folder (``$PERIOP_CONFIG_DIR`` overrides the default)."""
    override = os.environ.get("PERIOP_CONFIG_DIR")
    if override:
        return Path(override)
    return Path(_platformdirs().user_config_dir(APP_ID, appauthor=False))


def settings_file() -> Path:
    """The settings (recent files, window layout, last export folder) as an ini file."""
    return config_dir() / "settings.ini"
