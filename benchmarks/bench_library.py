"""Library index speed: 100 pathways listed from their headers in <= 200 ms."""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from pathlib import Path

COPIES = 100


def _fill(folder: Path) -> int:
    """Copy the built-in exemplars under new ids until there are COPIES files."""
    from designer.library import builtin_folder

    sources = sorted(builtin_folder().glob("*.yaml"))
    texts = [s.read_text(encoding="utf-8") for s in sources]
    for n in range(COPIES):
        text = texts[n % len(texts)]
        new_id = f"bench-{n:03d}"
        text = re.sub(r"^id: .*$", f"id: {new_id}", text, count=1, flags=re.M)
        (folder / f"{new_id}.yaml").write_text(text, encoding="utf-8")
    return COPIES


def run(report) -> None:
    from designer.library import USER, Library

    with tempfile.TemporaryDirectory(prefix="periop-bench-library-") as tmp:
        folder = Path(tmp)
        count = _fill(folder)
        cold = []
        for _ in range(7):
            start = time.perf_counter()
            library = Library([(folder, USER)])
            cold.append((time.perf_counter() - start) * 1000)
            assert len(library.entries) == count and not library.problems
        report("library", f"index {count} pathways (headers only, cold)",
               statistics.median(cold), "ms", "<= 200")

        start = time.perf_counter()
        for _ in range(20):
            library.refresh()
        report("library", f"refresh {count} unchanged pathways",
               (time.perf_counter() - start) * 1000 / 20, "ms", "<= 50")

        start = time.perf_counter()
        for _ in range(100):
            library.search("colorectal surgery", tag=None)
        report("library", f"free-text search over {count}",
               (time.perf_counter() - start) * 1000 / 100, "ms", "<= 5")

        start = time.perf_counter()
        library.new_from_template(library.entries[0])
        report("library", "new from template (load + copy)",
               (time.perf_counter() - start) * 1000, "ms", "<= 100")

