"""The sources registry: complete entries, unique ids and addresses, real citations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from designer.graph import sources
from designer.graph.rules import FORMAT, catalogue

ROOT = Path(__file__).resolve().parents[2]


def test_every_entry_is_complete_and_ids_are_slugs():
    for sid, s in sources.SOURCES.items():
        assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*", sid), sid
        assert s.title and s.publisher, sid
        assert s.year is None or 1990 <= s.year <= 2030, sid
        assert s.url is None or s.url.startswith(("http://", "https://")), sid
        assert s.url or s.weak or s.year, f"{sid}: no address: say when it was published"


def test_addresses_are_unique_so_a_url_names_one_source():
    urls = [sources._norm_url(s.url) for s in sources.SOURCES.values() if s.url]
    assert len(urls) == len(set(urls))


def test_citation_reads_publisher_title_year_section_and_address():
    text = sources.cite("nice-ng180#1.1.1")
    assert text.startswith("National Institute for Health and Care Excellence (NICE). "
                           "Perioperative care in adults (NG180) (2020), 1.1.1.")
    assert "https://www.nice.org.uk/guidance/ng180" in text
    assert "[weak source]" in sources.cite("aci-nsw-periop-toolkit")


def test_unknown_ids_are_refused():
    with pytest.raises(sources.UnknownSource):
        sources.get("nice-ng999")


def test_resolve_by_ref_or_by_address():
    assert sources.resolve("https://www.nice.org.uk/guidance/ng27/chapter/Recommendations/").id \
        == "nice-ng27"
    assert sources.resolve("http://nice.org.uk/guidance/ng27/chapter/Recommendations").id \
        == "nice-ng27"
    assert sources.resolve("a book", "seed-002").id == "seed-002"
    assert sources.resolve("a book") is None
    assert sources.resolve("https://example.org/unknown") is None


def test_every_rule_cites_the_registry():
    for row in catalogue():
        assert row["sources"], row["id"]
        for ref in row["sources"]:
            assert ref == FORMAT or sources.get(ref), (row["id"], ref)
        assert "DOMAIN" not in row["source"]


def test_the_product_never_cites_the_developers_notes():
    """The product cites its own registry; the developers' notes are not shipped."""
    needle = "DOMAIN" + ".md"
    for folder in ("designer", "pathway_library"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".yaml", ".md", ".txt", ".json"}:
                assert needle not in path.read_text(encoding="utf-8"), path
