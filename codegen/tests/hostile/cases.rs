// The hostile spec corpus: shared by `codegen/tests/hostile.rs` (library: never a panic,
// errors carry a JSON pointer) and `xtask/tests/hostile.rs` (the real binary: exit code 1,
// never 101; accepted specs compile). Large inputs (deep nesting, 50 MB) are built at test
// time, not kept here.

/// What the generator must do with a case.
#[derive(Debug, Clone, Copy)]
#[allow(dead_code)]
pub enum Expect {
    /// Generation fails; the message contains this text (a JSON pointer where the document
    /// has one to give).
    Error(&'static str),
    /// Generation succeeds (and the crate compiles, checked by the xtask test).
    Ok,
    /// Generation succeeds, skipping or working around what it cannot express, with a warning
    /// that contains this text (the JSON pointer of the spot); `--strict` would refuse it.
    Warning(&'static str),
}

const H: &str = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\n";

/// (name, document, expected outcome). Documents start with `@` to get the standard header.
pub const CASES: &[(&str, &str, Expect)] = &[
    // --- not a document at all
    ("empty_file", "", Expect::Error("empty")),
    ("whitespace_only", "  \n\t\n", Expect::Error("empty")),
    ("invalid_yaml", "openapi: [3.0.0\ninfo: {", Expect::Error("cannot read")),
    ("invalid_json", "{\"openapi\": \"3.0.0\", \"info\": ", Expect::Error("cannot read")),
    ("json_trailing_garbage", "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}} }", Expect::Error("trailing")),
    ("json_array", "[1, 2, 3]", Expect::Error("cannot read")),
    ("yaml_scalar", "42", Expect::Error("cannot read")),
    ("yaml_string", "hello world", Expect::Error("cannot read")),
    ("yaml_null", "~", Expect::Error("cannot read")),
    ("truncated_yaml", "@paths:\n  /bots:\n    get:\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/compo", Expect::Error("cannot read")),
    ("truncated_json", "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {\"/a\": {\"get\": {\"resp", Expect::Error("cannot read")),
    ("swagger_2", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n", Expect::Error("openapi")),
    ("duplicate_keys", "@paths: {}\npaths: {}\n", Expect::Error("duplicate")),
    ("alias_bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n", Expect::Error("cannot read")),
    // --- wrong types at every level
    ("openapi_not_string", "openapi: [3]\ninfo: {title: t, version: '1'}\npaths: {}\n", Expect::Error("#/openapi")),
    ("info_is_list", "openapi: 3.0.0\ninfo: [t]\npaths: {}\n", Expect::Error("#/info")),
    ("info_missing", "openapi: 3.0.0\npaths: {}\n", Expect::Error("info")),
    ("paths_is_list", "@paths: [a, b]\n", Expect::Error("#/paths")),
    ("path_item_is_string", "@paths:\n  /a: nope\n", Expect::Error("#/paths: paths: ")),
    ("operation_is_number", "@paths:\n  /a:\n    get: 12\n", Expect::Error("#/paths: paths: ")),
    ("responses_is_list", "@paths:\n  /a:\n    get:\n      responses: [200]\n", Expect::Error("#/paths: paths: ")),
    ("parameters_not_list", "@paths:\n  /a:\n    get:\n      parameters: {name: x}\n      responses: {'200': {description: ok}}\n", Expect::Error("#/paths: paths: ")),
    ("parameter_bad_location", "@paths:\n  /a:\n    get:\n      parameters: [{name: x, in: nowhere, schema: {type: string}}]\n      responses: {'200': {description: ok}}\n", Expect::Error("#/paths: paths: ")),
    ("schema_type_number", "@paths: {}\ncomponents:\n  schemas:\n    A: {type: 12}\n", Expect::Error("#/components/schemas/A")),
    ("properties_is_list", "@paths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: [a, b]}\n", Expect::Error("#/components/schemas/A")),
    ("required_not_list", "@paths: {}\ncomponents:\n  schemas:\n    A: {type: object, required: yes, properties: {a: {type: string}}}\n", Expect::Error("#/components/schemas/A")),
    ("schemas_is_list", "@paths: {}\ncomponents:\n  schemas: [A, B]\n", Expect::Error("#/components/schemas")),
    ("max_length_negative", "@paths: {}\ncomponents:\n  schemas:\n    A: {type: string, maxLength: -1}\n", Expect::Warning("#/components/schemas/A/maxLength")),
    ("max_length_huge", "@paths: {}\ncomponents:\n  schemas:\n    A: {type: string, maxLength: 999999999999999999999999999999}\n", Expect::Warning("#/components/schemas/A/maxLength")),
    // --- references
    ("dangling_schema_ref", "@paths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {b: {$ref: '#/components/schemas/Nope'}}}\n", Expect::Error("#/components/schemas/A/properties/b")),
    ("dangling_parameter_ref", "@paths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/Nope'}]\n      responses: {'200': {description: ok}}\n", Expect::Warning("#/paths/~1a/get/parameters/0")),
    ("dangling_response_ref", "@paths:\n  /a:\n    get:\n      responses: {'200': {$ref: '#/components/responses/Nope'}}\n", Expect::Warning("#/paths/~1a/get/responses/200")),
    ("dangling_request_body_ref", "@paths:\n  /a:\n    post:\n      requestBody: {$ref: '#/components/requestBodies/Nope'}\n      responses: {'200': {description: ok}}\n", Expect::Warning("#/paths/~1a/post/requestBody")),
    ("external_ref", "@paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'other.yaml#/components/schemas/B'}\n", Expect::Error("#/components/schemas/A")),
    // Alias cycles: the generator breaks the cycle and warns with the pointer of the alias.
    ("cyclic_schema_alias", "@paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n", Expect::Warning("#/components/schemas/A")),
    ("self_alias", "@paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/A'}\n", Expect::Warning("#/components/schemas/A")),
    ("cyclic_parameter_ref", "@paths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/P'}]\n      responses: {'200': {description: ok}}\ncomponents:\n  parameters:\n    P: {$ref: '#/components/parameters/Q'}\n    Q: {$ref: '#/components/parameters/P'}\n", Expect::Warning("#/")),
    ("cyclic_response_ref", "@paths:\n  /a:\n    get:\n      responses: {'200': {$ref: '#/components/responses/R'}}\ncomponents:\n  responses:\n    R: {$ref: '#/components/responses/S'}\n    S: {$ref: '#/components/responses/R'}\n", Expect::Warning("#/")),
    ("self_referencing_schema", "@paths:\n  /n:\n    get:\n      operationId: getNode\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Node'}}}}}\ncomponents:\n  schemas:\n    Node: {type: object, properties: {value: {type: string}, next: {$ref: '#/components/schemas/Node'}, children: {type: array, items: {$ref: '#/components/schemas/Node'}}}}\n", Expect::Ok),
    ("mutually_recursive_schemas", "@paths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}}}\n    B: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}\n", Expect::Ok),
    // --- names
    ("colliding_schema_names", "@paths: {}\ncomponents:\n  schemas:\n    bot-id: {type: string}\n    bot_id: {type: integer}\n    BotId: {type: boolean}\n    BOT_ID: {type: number}\n", Expect::Ok),
    ("colliding_property_names", "@paths: {}\ncomponents:\n  schemas:\n    A: {type: object, properties: {bot-id: {type: string}, bot_id: {type: integer}, botId: {type: boolean}, BotId: {type: number}}}\n", Expect::Ok),
    ("colliding_operation_ids", "@paths:\n  /a:\n    get: {operationId: get-bot, responses: {'200': {description: ok}}}\n    post: {operationId: get_bot, responses: {'200': {description: ok}}}\n  /b:\n    get: {operationId: GetBot, responses: {'200': {description: ok}}}\n", Expect::Ok),
    ("rust_keyword_names", "@paths:\n  /k/{type}:\n    get:\n      operationId: self\n      parameters: [{name: type, in: path, required: true, schema: {type: string}}, {name: async, in: query, schema: {type: string}}]\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Self'}}}}}\ncomponents:\n  schemas:\n    Self: {type: object, properties: {type: {type: string}, crate: {type: string}, super: {type: string}, self: {type: string}, Self: {type: string}, fn: {type: string}, r#try: {type: string}}}\n    crate: {type: string, enum: [self, Self, super, '']}\n    Option: {type: string}\n    Result: {type: object}\n", Expect::Ok),
    ("non_ascii_names", "@paths:\n  /größe:\n    get:\n      operationId: größeHolen\n      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Größe'}}}}}\ncomponents:\n  schemas:\n    Größe: {type: object, properties: {名前: {type: string}, émoji😀: {type: string}, 'ünïcödé-kéy': {type: integer}}}\n    名前: {type: string, enum: [ä, ö, '😀']}\n", Expect::Ok),
    ("empty_names", "@paths:\n  /e:\n    get:\n      operationId: ''\n      responses: {'200': {description: ok}}\ncomponents:\n  schemas:\n    '': {type: object, properties: {'': {type: string}, ' ': {type: string}}}\n    E: {type: string, enum: ['', ' ', '-', '_']}\n", Expect::Ok),
    ("digit_and_symbol_names", "@paths: {}\ncomponents:\n  schemas:\n    '123': {type: object, properties: {'1st': {type: string}, '$ref': {type: string}, '@type': {type: string}, '-': {type: string}}}\n    '!!!': {type: string}\n", Expect::Ok),
    ("huge_integer_bounds", "@paths: {}\ncomponents:\n  schemas:\n    A: {type: integer, minimum: -1.0e300, maximum: 1.0e300}\n    B: {type: string, maxLength: 18446744073709551615}\n    C: {type: integer, enum: [9223372036854775807, -9223372036854775808]}\n", Expect::Ok),
    ("injection_in_descriptions", "openapi: 3.0.0\ninfo: {title: '<script>alert(1)</script>', version: '1', description: '<img src=x onerror=alert(1)>'}\npaths:\n  /x:\n    get:\n      operationId: inject\n      summary: '</script><script>alert(2)</script> */ #![no_std]'\n      description: \"```\\ncompile_error!(\\\"doctest ran\\\");\\n```\\n\\n<iframe src=javascript:alert(3)></iframe> [click](javascript:alert(4)) <!-- x\"\n      responses: {'200': {description: '<svg onload=alert(5)>', content: {application/json: {schema: {$ref: '#/components/schemas/I'}}}}}\ncomponents:\n  schemas:\n    I:\n      type: object\n      description: \"*/ } mod evil { #![deny(warnings)] fn x() { panic!() } /* \\n```rust\\nfn main() { panic!() }\\n```\"\n      properties:\n        a: {type: string, description: '<script>document.cookie</script>\\n# Heading\\n---\\n| a | b |'}\n        b: {type: string, enum: ['<b>bold</b>', '\\\"quote', \"back\\\\slash\"], description: \"\\u0000 nul and \\u202e rtl override\"}\n", Expect::Ok),
    ("unclosed_path_template", "@paths:\n  /a/{b:\n    get: {operationId: a, responses: {'200': {description: ok}}}\n", Expect::Warning("#/paths/~1a~1{b")),
    ("path_param_undeclared", "@paths:\n  /a/{b}:\n    get: {operationId: a, responses: {'200': {description: ok}}}\n", Expect::Warning("#/paths/~1a~1{b}")),
];

/// The document text of a case (`@` stands for the standard header).
#[allow(dead_code)]
pub fn text(doc: &str) -> String {
    match doc.strip_prefix('@') {
        Some(rest) => format!("{H}{rest}"),
        None => doc.to_string(),
    }
}

/// `depth` nested flow sequences: the parser's recursion limit must be reached cleanly.
#[allow(dead_code)]
pub fn deep_brackets(depth: usize, json: bool) -> String {
    if json {
        format!(
            "{{\"openapi\": {}{}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        )
    } else {
        format!("{H}paths: {}{}\n", "[".repeat(depth), "]".repeat(depth))
    }
}

/// A valid document whose one schema nests `depth` inline objects: lowering recursion.
#[allow(dead_code)]
pub fn deep_schema(depth: usize) -> String {
    let mut s = String::from(H);
    s.push_str("paths: {}\ncomponents:\n  schemas:\n    Deep: ");
    for _ in 0..depth {
        s.push_str("{type: object, properties: {x: ");
    }
    s.push_str("{type: string}");
    for _ in 0..depth {
        s.push_str("}}");
    }
    s.push('\n');
    s
}

/// A valid document of at least `bytes` bytes: many schemas with long descriptions.
#[allow(dead_code)]
pub fn big_spec(bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 4096);
    s.push_str(H);
    s.push_str("paths: {}\ncomponents:\n  schemas:\n");
    let filler = "lorem ipsum dolor sit amet ".repeat(40);
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(&format!(
            "    S{i}:\n      type: object\n      description: '{filler}'\n      properties:\n        f{i}: {{type: string, description: '{filler}'}}\n"
        ));
        i += 1;
    }
    s
}
