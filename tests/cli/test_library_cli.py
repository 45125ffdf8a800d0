"""``periop library list|show|new``."""

from __future__ import annotations

import json


from designer.cli import main
from designer.graph.io import load_pathway


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_every_exemplar(capsys):
    code, out, err = run(capsys, "library", "list")
    assert code == 0 and not err
    lines = out.splitlines()
    assert any(line.startswith("eras-plus-colorectal ") and "ERAS+ major colorectal" in line
               for line in lines)
    assert any(line.startswith("diabetes-preop-clinic ") for line in lines)


def test_list_json_with_filters(capsys):
    code, out, _ = run(capsys, "library", "list", "--json", "--tag", "diabetes")
    assert code == 0
    data = json.loads(out)
    ids = {p["id"] for p in data["pathways"]}
    assert ids == {"diabetes-preop-clinic", "day-case-lap-chole"}
    first = data["pathways"][0]
    assert {"title", "summary", "population", "specialties", "tags", "origin",
            "file"} <= set(first)
    assert data["problems"] == []

    code, out, _ = run(capsys, "library", "list", "--json", "--search", "iron",
                       "--specialty", "anaesthesia")
    assert [p["id"] for p in json.loads(out)["pathways"]] == ["anaemia-optimisation"]


def test_list_with_no_match_says_so(capsys):
    code, out, _ = run(capsys, "library", "list", "--search", "no-such-words-anywhere")
    assert code == 0 and "No library pathway matches" in out


def test_list_reports_unreadable_user_files(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("PERIOP_USER_LIBRARY", str(tmp_path))
    (tmp_path / "broken.yaml").write_text("format: periop-pathway/1\nid: [\n")
    code, out, err = run(capsys, "library", "list")
    assert code == 0 and "broken.yaml" in err and "eras-plus-colorectal" in out


def test_show_describes_a_pathway(capsys):
    code, out, _ = run(capsys, "library", "show", "eras-plus-colorectal")
    assert code == 0
    assert "ERAS+ major colorectal cancer surgery" in out
    assert "Population: Adults having planned major colorectal cancer surgery" in out
    assert "(weak evidence)" in out and "https://www.erasplus.co.uk" in out
    assert "21 steps" in out

    code, out, _ = run(capsys, "library", "show", "anaemia-optimisation", "--json")
    data = json.loads(out)
    assert data["steps"] > 10 and data["handoffs"] >= 5 and data["evidence"]


def test_show_unknown_id_suggests(capsys):
    code, out, err = run(capsys, "library", "show", "eras-plus")
    assert code == 1 and "Did you mean eras-plus-colorectal" in err and not out


def test_new_writes_a_draft_copy_and_will_not_overwrite(capsys, tmp_path):
    out_file = tmp_path / "my-eras.yaml"
    code, out, _ = run(capsys, "library", "new", "eras-plus-colorectal", "-o", str(out_file))
    assert code == 0 and str(out_file) in out
    copy = load_pathway(out_file)
    assert copy.status.value == "draft" and copy.version == "0.1.0"
    assert copy.derived_from.id == "eras-plus-colorectal"

    out_file.write_text("my own work")
    code, _, err = run(capsys, "library", "new", "day-case-lap-chole", "-o", str(out_file))
    assert code == 1 and "--force" in err
    assert out_file.read_text() == "my own work"

    code, _, _ = run(capsys, "library", "new", "day-case-lap-chole", "-o", str(out_file),
                     "--force")
    assert code == 0 and load_pathway(out_file).derived_from.id == "day-case-lap-chole"


def test_new_with_unknown_id_or_missing_folder(capsys, tmp_path):
    code, _, err = run(capsys, "library", "new", "nope", "-o", str(tmp_path / "x.yaml"))
    assert code == 1 and "no pathway 'nope'" in err
    assert not (tmp_path / "x.yaml").exists()
    code, _, err = run(capsys, "library", "new", "eras-plus-colorectal", "-o",
                       str(tmp_path / "no" / "x.yaml"))
    assert code == 1 and "does not exist" in err


def test_library_without_action_prints_usage(capsys):
    code, _, err = run(capsys, "library")
    assert code == 1 and "list" in err


def test_library_command_does_not_load_qt():
    import subprocess
    import sys

    probe = ("import sys; from designer.cli import main; main(['library', 'list']); "
             "print('QT' if any(m.startswith('PySide6') for m in sys.modules) else 'NOQT')")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip().endswith("NOQT")
