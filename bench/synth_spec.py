#!/usr/bin/env python3
"""Writes a synthetic OpenAPI 3.0 document with N operations (JSON) for `cargo xtask bench`.

    python3 bench/synth_spec.py 1000 > target/bench/synth-1000.json

Each resource has 4 operations (list, create, get, delete) on two paths, a request schema and
a response schema with a nested object, an enum and an array, so cost per operation is the same
at every size. Output is deterministic (same N, same bytes). Generated specs are not committed.
"""
import json
import sys


def resource(i):
    name = f"Widget{i}"
    item = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "string", "description": f"Identifier of widget {i}."},
            "name": {"type": "string"},
            "count": {"type": "integer", "format": "int64"},
            "state": {"type": "string", "enum": ["active", "paused", "retired"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "owner": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "email": {"type": "string"}},
            },
        },
    }
    create = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}},
    }
    ref = {"$ref": f"#/components/schemas/{name}"}
    ok = lambda schema: {"description": "OK", "content": {"application/json": {"schema": schema}}}
    err = {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    id_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    paths = {
        f"/widgets{i}": {
            "get": {
                "operationId": f"list_widgets_{i}",
                "summary": f"Lists widgets of family {i}.",
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"200": ok({"type": "array", "items": ref}), "default": err},
            },
            "post": {
                "operationId": f"create_widget_{i}",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}Create"}}}},
                "responses": {"201": ok(ref), "default": err},
            },
        },
        f"/widgets{i}/{{id}}": {
            "get": {"operationId": f"get_widget_{i}", "parameters": [id_param], "responses": {"200": ok(ref), "default": err}},
            "delete": {"operationId": f"delete_widget_{i}", "parameters": [id_param], "responses": {"204": {"description": "Deleted"}, "default": err}},
        },
    }
    return paths, {name: item, f"{name}Create": create}


def main():
    if len(sys.argv) != 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 4:
        sys.exit("usage: synth_spec.py OPERATIONS (a number >= 4; rounded down to a multiple of 4)")
    n = int(sys.argv[1]) // 4
    paths, schemas = {}, {
        "Error": {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}
    }
    for i in range(n):
        p, s = resource(i)
        paths.update(p)
        schemas.update(s)
    doc = {
        "openapi": "3.0.3",
        "info": {"title": f"Synthetic {n * 4}", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
    json.dump(doc, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
