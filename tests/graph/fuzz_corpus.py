"""A deterministic corpus of mutated pathway files, for the loader fuzz test and the attack script.

``mutants(seeds, count, seed=...)`` returns ``count`` (label, bytes) pairs made from
the seed texts by one to three mutations each: text-level damage (lines deleted,
duplicated, swapped, re-indented, truncated, bytes inserted), values replaced by
hostile YAML (wrong types, unsupported tags, huge and deeply nested values,
aliases, control characters) and structural edits of the parsed data (a field
given a value of another type, an empty mapping where a model is optional).
The same seed always gives the same corpus (``random.Random`` with a string seed
is stable across runs and platforms).
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"
SEED_FILES = ("fuzz_seed_workshop.yaml", "day_case_diabetes.yaml")

# Values that have broken (or could break) a YAML loader or a pydantic model.
HOSTILE = [
    "[1]", "{a: 1}", "[]", "{}", "!!timestamp x", "!!timestamp 2024-13-45", "!!binary zz",
    "!!float x", "!!int x", "!!bool maybe", "!!null x", "!!set {a, b}", "!!omap [a: 1]",
    "!!python/object/apply:os.getcwd []", "!!python/name:os.system", "!foo bar",
    "*undefined", "&a x", ".nan", ".inf", "-.inf", "1e309", "-1e309", "null", "~", "''",
    "2024-01-01", "2024-01-01T10:00:00Z", "0x10", "0o17", "yes", "no", "on", "12:30:00",
    '"\\x07bell"', '"\\vvt\\fff"', '"\\u0085nel"', '"\\ud800"', "'\t'", "-", "? k",
    "|\n  block\n", ">-\n  folded\n", "[1, [2, [3, [4]]]]", "{x: {y: {z: 1}}}",
    "'" + "x" * 5000 + "'", "[" * 300 + "]" * 300, "{a: " * 200 + "1" + "}" * 200,
    "&b [*b]", "!!str", "!!map {}", "!!seq []", "99999999999999999999999999",
    "-0", "0.1e-400", "'a\u202eb'", "'\u200b'", "true", "3650.01", "-1", "1.5",
]

# Small documents that exercise the whole-file paths.
WHOLE = [
    "", "\n", "# only a comment\n", "---\n...\n", "--- !!python/object:os.system\n",
    "format: periop-pathway/1\n", "[]", "42", "'text'", "format: [1]\nid: x\ntitle: t\n",
    "format: {a: 1}\nid: x\ntitle: t\n", "format: periop-pathway/1\nid: x\ntitle: !!timestamp x\n",
    "format: periop-pathway/1\nid: x\ntitle: t\n---\nsecond: doc\n",
    "format: periop-pathway/1\nid: x\ntitle: t\nsteps: &s [{id: a, name: A}]\nnotes: *s\n",
    "\ufeffformat: periop-pathway/1\nid: bom\ntitle: t\n",
    "format: periop-pathway/1\r\nid: crlf\r\ntitle: t\r\n",
]


def seed_texts() -> list[str]:
    return [(DATA / name).read_text(encoding="utf-8") for name in SEED_FILES]


def _value_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if ":" in line and not line.lstrip().startswith("#")]


def _replace_value(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    candidates = _value_lines(lines)
    if not candidates:
        return text
    i = rng.choice(candidates)
    key = lines[i].split(":", 1)[0]
    value = rng.choice(HOSTILE)
    if "\n" in value:  # block scalars need the following lines indented under the key
        indent = " " * (len(key) - len(key.lstrip()) + 2)
        value = value.replace("\n  ", "\n" + indent)
    lines[i] = f"{key}: {value}".rstrip("\n")
    return "\n".join(lines)


def _text_damage(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    op = rng.randrange(8)
    i = rng.randrange(len(lines))
    j = rng.randrange(len(lines))
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(i, lines[j])
    elif op == 2:
        lines[i], lines[j] = lines[j], lines[i]
    elif op == 3:
        lines[i] = " " * rng.randrange(1, 5) + lines[i]
    elif op == 4:
        lines[i] = lines[i].lstrip()
    elif op == 5:
        return text[: rng.randrange(len(text) + 1)]
    elif op == 6:
        pos = rng.randrange(len(text) + 1)
        junk = "".join(chr(rng.choice([0x09, 0x0B, 0x0C, 0x1B, 0x7F, 0x85, 0xA0, 0x2028,
                                       0xFEFF, 0x3A, 0x2D, 0x7B, 0x5B, 0x26, 0x2A, 0x21,
                                       0x25, 0x40, 0x60, 0x7C, 0x3E, 0x22, 0x27]))
                       for _ in range(rng.randrange(1, 4)))
        return text[:pos] + junk + text[pos:]
    else:
        key = lines[i].split(":", 1)[0]
        if key.strip(" -") and ":" in lines[i]:
            word = key.strip(" -")
            k = rng.randrange(len(word))
            lines[i] = lines[i].replace(word, word[:k] + word[k + 1:], 1)
    return "\n".join(lines)


def _paths(value, prefix=()):
    yield prefix
    if len(prefix) > 6:  # deep (or recursive, through an alias) values are not explored
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


_PLAIN = [None, True, 0, -1, 1.5, 1e12, "", "x", "  ", [], {}, [1, 2], {"a": 1},
          [{"id": "a"}], "x" * 300, "\x0b\x0c\x85", "a->b", "surgery", "periop-pathway/1"]


def _structural(rng: random.Random, text: str) -> str:
    try:
        data = yaml.load(text, Loader=yaml.CSafeLoader)
    except Exception:  # noqa: BLE001 - a broken text stays as it is
        return text
    if not isinstance(data, dict):
        return text
    op = rng.randrange(4)
    if op == 0:  # an empty mapping where an optional model may go
        for t in data.get("transitions") or []:
            if isinstance(t, dict) and rng.random() < 0.5:
                t["handoff"] = {}
        if rng.random() < 0.3:
            data["workshop"] = {}
    else:
        paths = [p for p in _paths(data) if p]
        path = rng.choice(paths)
        node = data
        for part in path[:-1]:
            node = node[part]
        if op == 1:
            node[path[-1]] = rng.choice(_PLAIN)
        elif op == 2 and isinstance(node, dict):
            del node[path[-1]]
        elif op == 3 and isinstance(node, list):
            node.append(node[path[-1]])  # a duplicate entry
    try:
        return yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
    except Exception:  # noqa: BLE001 - e.g. a recursive alias
        return text


def mutants(seeds: list[str] | None = None, count: int = 300, seed: str = "periop-fuzz-1"
            ) -> list[tuple[str, bytes]]:
    """``count`` mutated files (label, UTF-8 bytes, sometimes not valid UTF-8)."""
    seeds = seeds if seeds is not None else seed_texts()
    out: list[tuple[str, bytes]] = [(f"whole-{i}", t.encode("utf-8")) for i, t in enumerate(WHOLE)]
    n = 0
    while len(out) < count:
        rng = random.Random(f"{seed}-{n}")
        n += 1
        text = rng.choice(seeds)
        kinds = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            kind = rng.choice(("value", "value", "text", "structure"))
            kinds.append(kind)
            if kind == "value":
                text = _replace_value(rng, text)
            elif kind == "text":
                text = _text_damage(rng, text)
            else:
                text = _structural(rng, text)
        data = text.encode("utf-8", "surrogatepass")
        if rng.random() < 0.02:
            pos = rng.randrange(len(data) + 1)
            data = data[:pos] + bytes([rng.randrange(256)]) + data[pos:]
        out.append((f"mutant-{n}-{'+'.join(kinds)}", data))
    return out[:count]
