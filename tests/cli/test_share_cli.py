"""``periop sources`` and ``periop update`` with two shared folders."""

from __future__ import annotations

import pytest

from designer.cli import main
from designer.graph.io import load_pathway, save_pathway
from designer.library import builtin_folder, new_from_template
from designer.library.update import remember_base


def national(version: str):
    pathway = load_pathway(builtin_folder() / "diabetes-preop-clinic.yaml")
    data = pathway.model_dump(by_alias=True)
    data.update({"id": "national-diabetes", "version": version, "status": "approved"})
    return type(pathway).model_validate(data)


@pytest.fixture
def setup(tmp_path, monkeypatch):
    monkeypatch.setenv("PERIOP_LIBRARY_SOURCES", str(tmp_path / "sources.json"))
    monkeypatch.setenv("PERIOP_BASES", str(tmp_path / "bases"))
    national_folder, trust = tmp_path / "National", tmp_path / "Trust"
    national_folder.mkdir()
    trust.mkdir()
    v1 = national("1.0.0")
    local = new_from_template(v1)
    remember_base(v1)
    local_file = trust / "local.yaml"
    save_pathway(local, local_file)
    v2 = national("1.1.0")
    key = next(t.key for t in v2.transitions if t.condition and "69" in t.condition)
    v2.update_transition(key, condition="HbA1c >= 64 mmol/mol")
    save_pathway(v2, national_folder / "national-diabetes.yaml")
    return national_folder, trust, local_file, key


def test_sources_add_list_conflicts_remove(setup, capsys):
    national_folder, trust, _local, _key = setup
    assert main(["sources", "add-folder", str(national_folder)]) == 0
    assert main(["sources", "add-folder", str(trust), "--label", "Our trust"]) == 0
    assert main(["sources", "add-folder", str(trust)]) == 2        # label taken
    save_pathway(national("1.1.0"), national_folder / "national-diabetes-DESKTOP-12.yaml")
    capsys.readouterr()
    assert main(["sources", "list", "--pathways"]) == 0
    out = capsys.readouterr().out
    assert "National" in out and "Our trust" in out and "national-diabetes" in out
    assert main(["sources", "conflicts"]) == 0
    assert "national-diabetes-DESKTOP-12.yaml" in capsys.readouterr().out
    assert main(["sources", "remove", "Our trust"]) == 0
    assert main(["sources", "remove", "Our trust"]) == 2


def test_update_merges_the_new_national_version(setup, capsys):
    national_folder, _trust, local_file, key = setup
    main(["sources", "add-folder", str(national_folder)])
    assert main(["update", str(local_file), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "1.0.0 -> 1.1.0" in out and "69" in out and "64" in out
    assert load_pathway(local_file).derived_from.version == "1.0.0"      # dry run
    assert main(["update", str(local_file)]) == 0
    updated = load_pathway(local_file)
    assert updated.derived_from.version == "1.1.0"
    assert updated.transition(key).condition == "HbA1c >= 64 mmol/mol"
    assert main(["update", str(local_file)]) == 1                        # up to date
