#!/usr/bin/env python3
"""Restore spec/bots.yaml from the user's indentation-less seed.

The seed (`../shared/seeds/003_75da7cbcef408098.txt`) is Zoho Cliq's Bots
OpenAPI 3.0 document with every leading space removed and its HTML prose
reduced to plain text. Zoho's published copy (`../shared/specs/cliq/bots.yml`)
is the same document, indented, with HTML prose.

The tool walks the seed line by line and aligns it against the *structural*
lines of the published copy (every line that is not part of a prose
`description`/`summary` value):

* a structural seed line must equal the next structural line of the published
  copy once leading/trailing white space is dropped; it is emitted with the
  published copy's indentation (this also restores the indentation *inside*
  the Deluge `script: |-` example block scalars);
* a prose key line (`description: …`, `summary: …`, possibly behind `- `) is
  taken from the seed; for `description: |` blocks every following seed line
  up to the next structural line is prose and becomes a block-scalar content
  line indented two columns deeper than its key (as in the published copy).

Anything that does not align aborts with the seed line number, so the output is
either a faithful restoration or nothing. Prose always comes from the seed,
verbatim; structure always comes from the published copy, verbatim.

Usage (from the workspace root):

    python3 spec/restore/restore.py [--seed PATH] [--reference PATH] [--out PATH] [--check]

`--check` compares the result with the existing output file instead of writing.
Needs Python >= 3.9 and PyYAML (`tools/setup.sh` installs it into tools/.venv).
"""

from __future__ import annotations

import argparse
import dataclasses
import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
DEFAULT_SEED = SHARED / "seeds" / "003_75da7cbcef408098.txt"
DEFAULT_REFERENCE = SHARED / "specs" / "cliq" / "bots.yml"
DEFAULT_OUT = ROOT / "spec" / "bots.yaml"

HEADER = (
    "# Zoho Cliq Bots API (REST v3), OpenAPI 3.0. Restored by spec/restore/restore.py from the\n"
    "# user's seed (../shared/seeds/003_75da7cbcef408098.txt: indentation lost, prose as plain text);\n"
    "# structure per Zoho's published Bots spec (../shared/specs/cliq/bots.yml). Zoho's warts are\n"
    "# kept exactly as shipped: see spec/README.md. Regenerate, do not edit by hand.\n"
)

PROSE_KEYS = ("description", "summary")


class RestoreError(Exception):
    """The seed does not align with the reference."""


@dataclasses.dataclass
class Unit:
    """One structural line of the reference, or one prose value."""

    kind: str  # "line" | "prose_plain" | "prose_block"
    indent: int
    text: str  # stripped line text ("line"), or the key prefix incl. ':' (prose)
    ref_line: int  # 0-based line number in the reference
    content_indent: int = 0  # prose_block: indentation of the content lines


def _in_example(path: list) -> bool:
    """True when `path` is inside an example *value* (data, never prose)."""
    for i, part in enumerate(path):
        if part == "example":
            return True
        if part == "examples" and i + 2 < len(path) and path[i + 2] == "value":
            return True
    return False


def prose_scalars(node: yaml.Node) -> dict[int, tuple[str, yaml.ScalarNode]]:
    """Map start line -> (key, scalar node) of every prose value in the document."""
    found: dict[int, tuple[str, yaml.ScalarNode]] = {}

    def walk(n: yaml.Node, path: list) -> None:
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                key = k.value
                if (
                    key in PROSE_KEYS
                    and isinstance(v, yaml.ScalarNode)
                    and not _in_example(path)
                    and (not path or path[-1] != "properties")
                ):
                    if k.start_mark.line in found:
                        raise RestoreError(f"two prose keys on reference line {k.start_mark.line + 1}")
                    found[k.start_mark.line] = (key, v)
                walk(v, path + [key])
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                walk(v, path + [i])

    walk(node, [])
    return found


def reference_units(text: str) -> list[Unit]:
    """Split the reference into structural lines and prose values."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    prose = prose_scalars(yaml.compose(text))
    units: list[Unit] = []
    skip_until = -1
    for no, raw in enumerate(lines):
        if no <= skip_until:
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        stripped = raw.strip()
        if no in prose:
            key, scalar = prose[no]
            at = raw.index(key + ":")
            prefix = raw[indent : at + len(key) + 1]
            if scalar.style == "|":
                end = scalar.end_mark.line  # first line after the block
                content = [l for l in lines[no + 1 : end] if l.strip()]
                cindent = min((len(l) - len(l.lstrip(" ")) for l in content), default=at + 2)
                units.append(Unit("prose_block", indent, prefix, no, cindent))
                skip_until = end - 1
            elif scalar.style is None and scalar.end_mark.line == no:
                units.append(Unit("prose_plain", indent, prefix, no))
            else:
                raise RestoreError(
                    f"reference line {no + 1}: unsupported prose style {scalar.style!r}"
                )
            continue
        units.append(Unit("line", indent, stripped, no))
    return units


def _matches(unit: Unit, seed_line: str) -> bool:
    s = seed_line.strip()
    if unit.kind == "line":
        return s == unit.text
    if unit.kind == "prose_block":
        return s in (unit.text + " |", unit.text + " |-")
    return s.startswith(unit.text + " ") or s == unit.text


def _plain_ok(value: str) -> bool:
    """Whether `key: value` round-trips to the string as written (or a quoted string)."""
    try:
        loaded = yaml.safe_load("k: " + value)
    except yaml.YAMLError:
        return False
    if not isinstance(loaded, dict) or not isinstance(loaded.get("k"), str):
        return False
    if value[:1] in ("'", '"'):
        return True
    return loaded["k"] == value


def restore(seed: str, reference: str) -> str:
    units = reference_units(reference)
    seed_lines = seed.split("\n")
    if seed_lines and seed_lines[-1] == "":
        seed_lines.pop()
    out: list[str] = []
    i = 0  # seed line index
    for u_no, unit in enumerate(units):
        if i >= len(seed_lines):
            raise RestoreError(f"seed ended early; reference line {unit.ref_line + 1} unmatched")
        line = seed_lines[i]
        if not _matches(unit, line):
            raise RestoreError(
                f"seed line {i + 1} {line.strip()[:80]!r} does not match reference line "
                f"{unit.ref_line + 1} {unit.text[:80]!r}"
            )
        pad = " " * unit.indent
        if unit.kind == "line":
            out.append(pad + unit.text)
            i += 1
            continue
        nxt = units[u_no + 1] if u_no + 1 < len(units) else None
        # prose lines run until the next unit's seed line
        j = i + 1
        while j < len(seed_lines) and not (nxt is not None and _matches(nxt, seed_lines[j])):
            j += 1
        body = [l.strip() for l in seed_lines[i + 1 : j]]
        if unit.kind == "prose_block":
            out.append(pad + line.strip())
            cpad = " " * unit.content_indent
            out.extend(cpad + b if b else "" for b in body)
        else:
            value = line.strip()[len(unit.text) :].strip()
            if body:
                raise RestoreError(
                    f"seed line {i + 1}: single-line prose in the reference continues "
                    f"over {len(body)} seed line(s)"
                )
            if not _plain_ok(value):
                raise RestoreError(f"seed line {i + 1}: prose {value[:60]!r} is not a plain YAML scalar")
            out.append(pad + line.strip())
        i = j
    if i != len(seed_lines):
        raise RestoreError(f"seed lines {i + 1}.. left over after the last reference line")
    return HEADER + "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=pathlib.Path, default=DEFAULT_SEED)
    ap.add_argument("--reference", type=pathlib.Path, default=DEFAULT_REFERENCE)
    ap.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="fail if --out differs from the restoration")
    args = ap.parse_args()
    try:
        restored = restore(
            args.seed.read_text(encoding="utf-8"), args.reference.read_text(encoding="utf-8")
        )
        yaml.safe_load(restored)  # must be valid YAML
    except (OSError, RestoreError, yaml.YAMLError) as e:
        print(f"restore: {e}", file=sys.stderr)
        return 1
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != restored:
            print(f"restore: {args.out} is not the restoration of the seed; rerun without --check", file=sys.stderr)
            return 1
        print(f"restore: {args.out} is up to date")
        return 0
    args.out.write_text(restored, encoding="utf-8")
    print(f"restore: wrote {args.out} ({restored.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
