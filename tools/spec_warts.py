#!/usr/bin/env python3
"""List the warts of an OpenAPI 3.0 document that a Rust code generator has to cope with.

Usage: tools/.venv/bin/python tools/spec_warts.py SPEC.yaml [SPEC.yaml ...]

Prints one line per finding: `<file> <json-pointer> <kind>: <detail>`. Used to build the
wart tables of spec/README.md; it is a report, not a gate (exit status 0 unless a file
cannot be read or parsed).

Checks: names that are not Rust identifiers or are Rust keywords; names that collide
after Rust case conversion; examples that do not validate against their schema
(jsonschema, OpenAPI 3.0 `nullable` honoured) and example properties the schema does not
declare; `required` names that are not declared; integers beyond 2^53 and limits beyond
i32/u32; objects without declared properties; arrays without `items`; operations without
tags, with several 2xx responses or several 2xx body types, or answering 200 with a
`NoResponse`-style body whose properties are all optional; HTML event-handler attributes and other active HTML in
prose; unused component schemas.
"""

from __future__ import annotations

import collections
import copy
import json
import re
import sys

import jsonschema
import yaml

RUST_KEYWORDS = {
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
    "where", "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final",
    "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
}
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def ptr(*parts) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def words(name: str) -> list[str]:
    """Split a wire name into words the way heck does (roughly): separators and case humps."""
    out = []
    for chunk in re.split(r"[^A-Za-z0-9]+", name):
        out += re.findall(r"[A-Z]+(?=[A-Z][a-z]|\d|\b)|[A-Z]?[a-z]+|[A-Z]+|\d+", chunk)
    return [w.lower() for w in out if w]


def snake(name: str) -> str:
    return "_".join(words(name))


def camel(name: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words(name))


class Scanner:
    def __init__(self, label: str, doc: dict):
        self.label = label
        self.doc = doc
        self.findings: list[tuple[str, str, str]] = []

    def add(self, pointer: str, kind: str, detail: str) -> None:
        self.findings.append((pointer, kind, detail))

    # ---- helpers ---------------------------------------------------------------------
    def resolve(self, schema):
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 20:
            ref = schema["$ref"]
            node = self.doc
            for part in ref.lstrip("#/").split("/"):
                node = node.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(node, dict) else {}
            schema = node
            seen += 1
        return schema

    def to_jsonschema(self, schema, closed: bool):
        """OpenAPI 3.0 schema -> JSON Schema (draft 4 style), refs inlined."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return {}
        out = {}
        for k, v in schema.items():
            if k in ("description", "summary", "example", "examples", "xml", "externalDocs",
                     "readOnly", "writeOnly", "deprecated", "discriminator", "nullable", "format"):
                continue
            if k == "properties":
                out[k] = {n: self.to_jsonschema(s, closed) for n, s in v.items()}
            elif k == "items":
                out[k] = self.to_jsonschema(v, closed)
            elif k in ("allOf", "oneOf", "anyOf"):
                out[k] = [self.to_jsonschema(s, closed and k != "allOf") for s in v]
            elif k == "additionalProperties" and isinstance(v, dict):
                out[k] = self.to_jsonschema(v, closed)
            elif k == "not":
                out[k] = self.to_jsonschema(v, closed)
            else:
                out[k] = copy.deepcopy(v)
        if schema.get("nullable") and "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = list(out["enum"]) + [None]
        if closed and "properties" in out and "additionalProperties" not in out and "allOf" not in out:
            out["additionalProperties"] = False
        return out

    def check_example(self, pointer: str, schema, example) -> None:
        for closed in (False, True):
            js = self.to_jsonschema(schema, closed)
            try:
                errors = sorted(jsonschema.Draft4Validator(js).iter_errors(example), key=lambda e: list(e.path))
            except jsonschema.exceptions.SchemaError as e:
                self.add(pointer, "schema-invalid", str(e).splitlines()[0])
                return
            for e in errors:
                where = "/".join(str(p) for p in e.absolute_path)
                kind = "example-undeclared-property" if closed else "example-invalid"
                if closed and e.validator != "additionalProperties":
                    continue
                msg = e.message if len(e.message) < 160 else e.message[:157] + "..."
                self.add(pointer + (("/" + where) if where else ""), kind, msg)

    # ---- walks -----------------------------------------------------------------------
    def schema_walk(self, schema, pointer: str, owner: str) -> None:
        if not isinstance(schema, dict) or "$ref" in schema:
            return
        props = schema.get("properties") or {}
        t = schema.get("type")
        if t == "object" or props:
            if not props and "additionalProperties" not in schema and not any(k in schema for k in ("allOf", "oneOf", "anyOf")):
                self.add(pointer, "object-without-properties", "type: object with no properties/additionalProperties")
            seen = collections.defaultdict(list)
            for name in props:
                seen[snake(name)].append(name)
                if not IDENT.match(name):
                    self.add(ptr(*pointer.strip("/").split("/")) if False else pointer + ptr("properties", name), "property-name-not-identifier", repr(name))
                elif name in RUST_KEYWORDS or snake(name) in RUST_KEYWORDS:
                    self.add(pointer + ptr("properties", name), "property-name-keyword", repr(name))
            for s, names in seen.items():
                if len(names) > 1:
                    self.add(pointer + "/properties", "property-names-collide", f"{names} -> {s}")
            for r in schema.get("required", []) or []:
                if props and r not in props:
                    self.add(pointer + "/required", "required-not-declared", repr(r))
        if t == "array" and "items" not in schema:
            self.add(pointer, "array-without-items", "type: array with no items")
        for key in ("maxLength", "minLength", "maxItems", "maximum", "minimum"):
            v = schema.get(key)
            if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**31 - 1:
                self.add(pointer + "/" + key, "limit-beyond-i32", f"{key}: {v}")
        if "enum" in schema:
            variants = collections.defaultdict(list)
            for v in schema["enum"]:
                if isinstance(v, str):
                    variants[camel(v)].append(v)
                    if not v or not IDENT.match(camel(v) or "_"):
                        self.add(pointer + "/enum", "enum-value-not-identifier", repr(v))
            for c, vs in variants.items():
                if len(vs) > 1:
                    self.add(pointer + "/enum", "enum-values-collide", f"{vs} -> {c}")
        for key in ("items", "additionalProperties", "not"):
            if isinstance(schema.get(key), dict):
                self.schema_walk(schema[key], pointer + "/" + key, owner)
        for key in ("allOf", "oneOf", "anyOf"):
            for i, s in enumerate(schema.get(key, []) or []):
                self.schema_walk(s, pointer + ptr(key, i), owner)
        for name, s in props.items():
            self.schema_walk(s, pointer + ptr("properties", name), owner)
        if "example" in schema:
            self.check_example(pointer + "/example", schema, schema["example"])

    def big_ints(self, node, pointer: str) -> None:
        if isinstance(node, bool):
            return
        if isinstance(node, int) and abs(node) > 2**53:
            self.add(pointer, "integer-beyond-2^53", str(node))
        elif isinstance(node, dict):
            for k, v in node.items():
                self.big_ints(v, pointer + ptr(k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                self.big_ints(v, pointer + ptr(i))

    def prose(self, node, pointer: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                p = pointer + ptr(k)
                if k in ("description", "summary") and isinstance(v, str):
                    ev = sorted(set(re.findall(r"\son[a-z]+\s*=", v)))
                    if ev:
                        self.add(p, "html-event-attribute", ", ".join(x.strip() for x in ev))
                    for tag in ("script", "iframe", "style", "form", "input", "img"):
                        if re.search(rf"<{tag}\b", v, re.I):
                            self.add(p, "html-active-tag", f"<{tag}>")
                else:
                    self.prose(v, p)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                self.prose(v, pointer + ptr(i))

    def scan(self) -> None:
        doc = self.doc
        comps = doc.get("components", {}) or {}
        schemas = comps.get("schemas", {}) or {}
        # component names
        by_camel = collections.defaultdict(list)
        for name, s in schemas.items():
            by_camel[camel(name)].append(name)
            if not IDENT.match(name):
                self.add(ptr("components", "schemas", name), "schema-name-not-identifier", repr(name))
            self.schema_walk(s, ptr("components", "schemas", name), name)
        for c, names in by_camel.items():
            if len(names) > 1:
                self.add("/components/schemas", "schema-names-collide", f"{names} -> {c}")
        # operations
        op_ids = collections.defaultdict(list)
        refs = set(re.findall(r"#/components/schemas/([^\"'\s]+)", json.dumps(doc)))
        for name in schemas:
            if name not in refs:
                self.add(ptr("components", "schemas", name), "unused-schema", name)
        for path, item in (doc.get("paths") or {}).items():
            path_params = [p for p in item.get("parameters", []) or []]
            for method in METHODS:
                op = item.get(method)
                if not isinstance(op, dict):
                    continue
                p0 = ptr("paths", path, method)
                oid = op.get("operationId")
                if oid is None:
                    self.add(p0, "operation-without-id", f"{method.upper()} {path}")
                else:
                    op_ids[snake(oid)].append(oid)
                    if not IDENT.match(oid):
                        self.add(p0 + "/operationId", "operation-id-not-identifier", repr(oid))
                if not op.get("tags"):
                    self.add(p0, "operation-without-tags", repr(oid))
                responses = op.get("responses", {}) or {}
                ok = [c for c in responses if str(c).startswith("2")]
                if len(ok) > 1:
                    self.add(p0 + "/responses", "several-2xx-responses", ", ".join(map(str, ok)))
                for code in ok:
                    r = responses[code]
                    content = (r or {}).get("content", {}) or {}
                    types = set()
                    for mt, media in content.items():
                        sch = media.get("schema")
                        if sch is None:
                            continue
                        types.add(json.dumps(sch, sort_keys=True)[:80])
                        rs = self.resolve(sch)
                        name = sch.get("$ref", "inline").split("/")[-1]
                        props = rs.get("properties", {}) if isinstance(rs, dict) else {}
                        if str(code) == "200" and re.fullmatch(r"(?i)no.?response", name) and not rs.get("required"):
                            self.add(p0 + ptr("responses", code), "200-status-only-body",
                                     f"{name} {sorted(props)} (a real server may answer 204 with no body)")
                        if "oneOf" in rs or "anyOf" in rs:
                            self.add(p0 + ptr("responses", code), "success-body-union",
                                     ", ".join(s.get("$ref", "inline").split("/")[-1] for s in rs.get("oneOf", rs.get("anyOf"))))
                        self.media_examples(p0 + ptr("responses", code, "content", mt), media, sch)
                    if len(types) > 1:
                        self.add(p0 + ptr("responses", code), "several-success-types", f"{len(types)} schemas")
                rb = (op.get("requestBody") or {}).get("content", {}) or {}
                for mt, media in rb.items():
                    self.media_examples(p0 + ptr("requestBody", "content", mt), media, media.get("schema"))
                located = [(p0 + ptr("parameters", i), par) for i, par in enumerate(op.get("parameters") or [])]
                located += [(ptr("paths", path, "parameters", i), par) for i, par in enumerate(path_params)] if method == next(m for m in METHODS if isinstance(item.get(m), dict)) else []
                for pp, par in located:
                    par = self.resolve(par)
                    name = par.get("name", "")
                    if not IDENT.match(name) or snake(name) in RUST_KEYWORDS:
                        self.add(pp, "parameter-name", repr(name))
                    sch = par.get("schema", {})
                    self.schema_walk(sch, pp + "/schema", name)
                    if "example" in par:
                        self.check_example(pp + "/example", sch, par["example"])
                    for en, ex in (par.get("examples") or {}).items():
                        if "value" in ex:
                            self.check_example(pp + ptr("examples", en, "value"), sch, ex["value"])
        for s, ids in op_ids.items():
            if len(ids) > 1:
                self.add("/paths", "operation-ids-collide", f"{ids} -> {s}")
        self.big_ints(doc, "")
        self.prose(doc, "")

    def media_examples(self, pointer: str, media: dict, schema) -> None:
        if schema is None:
            return
        if isinstance(schema, dict) and "$ref" not in schema:
            self.schema_walk(schema, pointer + "/schema", "inline")
        if "example" in media:
            self.check_example(pointer + "/example", schema, media["example"])
        for en, ex in (media.get("examples") or {}).items():
            if isinstance(ex, dict) and "value" in ex:
                self.check_example(pointer + ptr("examples", en, "value"), schema, ex["value"])


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    for path in argv[1:]:
        try:
            with open(path, encoding="utf-8") as f:
                doc = yaml.safe_load(f)
        except (OSError, yaml.YAMLError) as e:
            print(f"spec_warts: {path}: {e}", file=sys.stderr)
            return 1
        s = Scanner(path, doc)
        s.scan()
        label = path.rsplit("/", 1)[-1]
        for pointer, kind, detail in s.findings:
            print(f"{label} {pointer or '/'} {kind}: {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
