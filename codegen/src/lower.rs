//! `openapiv3` document → [`Model`]. All `$ref` resolution, naming and validation happen here,
//! once. Problems are collected, never thrown: the caller sees every one of them together.

use crate::model::*;
use crate::naming::{self, Scope};
use crate::prose;
use crate::{Diagnostic, Settings};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr,
    Schema, SchemaKind, StatusCode, Type, VariantOrUnknownOrEmpty,
};
use std::collections::{BTreeMap, BTreeSet};

/// Escape one JSON pointer token.
fn esc(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

struct Lowerer<'a> {
    doc: &'a OpenAPI,
    settings: &'a Settings,
    diags: Vec<Diagnostic>,
    types: Vec<TypeDef>,
    scope: Scope,
    /// `#/components/schemas/X` → Rust name.
    component_names: BTreeMap<String, String>,
    examples: Vec<Example>,
    /// (property or parameter name, values) → inline enum type already defined.
    inline_enums: BTreeMap<(String, Vec<String>), String>,
}

/// Lower a parsed document. Returns the model and every problem found (errors and warnings).
pub fn lower(doc: &OpenAPI, settings: &Settings) -> (Model, Vec<Diagnostic>) {
    let mut l = Lowerer {
        doc,
        settings,
        diags: Vec::new(),
        types: Vec::new(),
        scope: Scope::with_reserved(&[
            "Client", "Error", "Result", "Value", "Map", "Option", "String", "Vec", "Box",
        ]),
        component_names: BTreeMap::new(),
        examples: Vec::new(),
        inline_enums: BTreeMap::new(),
    };
    // Reserve component names first so inline types never take them.
    if let Some(components) = &doc.components {
        for name in components.schemas.keys() {
            let rust = l.scope.unique(naming::type_name(name, "Schema"));
            l.component_names
                .insert(format!("#/components/schemas/{name}"), rust);
        }
        for (name, schema) in &components.schemas {
            let pointer = format!("#/components/schemas/{}", esc(name));
            let rust = l.component_names[&format!("#/components/schemas/{name}")].clone();
            match schema {
                ReferenceOr::Reference { reference } => {
                    let target = l.resolve_ref_type(reference, &pointer);
                    l.types.push(TypeDef {
                        name: rust,
                        origin: name.clone(),
                        pointer,
                        doc: None,
                        kind: TypeKind::Alias(target),
                    });
                }
                ReferenceOr::Item(schema) => {
                    if schema.schema_data.example.is_some() {
                        l.examples.push(Example {
                            pointer: format!("{pointer}/example"),
                            ty: TypeRef::Named(rust.clone()),
                        });
                    }
                    l.define(rust, name, schema, &pointer)
                }
            }
        }
    }
    let operations = l.operations();
    let handler_rules = l.handler_rules();
    box_recursive(&mut l.types);
    let model = Model {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        doc: doc.info.description.as_deref().map(prose::to_doc_markdown),
        types: l.types,
        operations,
        handler_rules,
        examples: l.examples,
    };
    (model, l.diags)
}

impl Lowerer<'_> {
    fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(pointer, message));
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(pointer, message));
    }

    fn resolve_ref_type(&mut self, reference: &str, pointer: &str) -> TypeRef {
        match self.component_names.get(reference) {
            Some(name) => TypeRef::Named(name.clone()),
            None => {
                self.error(
                    pointer,
                    format!(
                        "`$ref: {reference}` does not name a schema under #/components/schemas"
                    ),
                );
                TypeRef::Json
            }
        }
    }

    fn component_schema(&self, reference: &str) -> Option<&Schema> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        match self.doc.components.as_ref()?.schemas.get(name)? {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => self.component_schema(reference),
        }
    }

    /// Define a named type for `schema` (a component or an inline object/enum).
    fn define(&mut self, name: String, origin: &str, schema: &Schema, pointer: &str) {
        let doc = schema
            .schema_data
            .description
            .as_deref()
            .map(prose::to_doc_markdown);
        let kind = match self.kind_of(&name, schema, pointer) {
            Some(kind) => kind,
            None => {
                let ty = self.type_of(schema, &name, pointer);
                TypeKind::Alias(ty)
            }
        };
        self.types.push(TypeDef {
            name,
            origin: origin.to_string(),
            pointer: pointer.to_string(),
            doc,
            kind,
        });
    }

    /// The kind of a schema that needs a named type of its own, or `None` for schemas that
    /// are just another type (string, array, map, …).
    fn kind_of(&mut self, name: &str, schema: &Schema, pointer: &str) -> Option<TypeKind> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(obj)) if !obj.properties.is_empty() => {
                Some(self.struct_kind(
                    name,
                    &obj.properties,
                    &obj.required,
                    obj.additional_properties.as_ref(),
                    pointer,
                ))
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => Some(self.struct_kind(
                name,
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                pointer,
            )),
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                Some(self.enum_kind(values))
            }
            SchemaKind::Any(any)
                if !any.enumeration.is_empty()
                    && any.enumeration.iter().all(|v| v.is_string() || v.is_null()) =>
            {
                let values = any
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect();
                Some(self.enum_kind(values))
            }
            SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts } => {
                if parts.len() == 1 {
                    return None;
                }
                let mut scope = Scope::default();
                let mut variants = Vec::new();
                for (i, part) in parts.iter().enumerate() {
                    let p = format!("{pointer}/oneOf/{i}");
                    let (hint, ty) = match part {
                        ReferenceOr::Reference { reference } => {
                            let ty = self.resolve_ref_type(reference, &p);
                            let hint = match &ty {
                                TypeRef::Named(n) => n.clone(),
                                _ => format!("Variant{i}"),
                            };
                            (hint, ty)
                        }
                        ReferenceOr::Item(s) => {
                            let hint = variant_hint(s).unwrap_or_else(|| format!("Variant{i}"));
                            (
                                hint.clone(),
                                self.type_of(
                                    s,
                                    &format!("{name}{}", naming::type_name(&hint, "Variant")),
                                    &p,
                                ),
                            )
                        }
                    };
                    variants.push((scope.unique(naming::type_name(&hint, "Variant")), ty));
                }
                Some(TypeKind::OneOf { variants })
            }
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
                let mut fields = Vec::new();
                let mut scope = Scope::default();
                for (i, part) in all_of.iter().enumerate() {
                    let p = format!("{pointer}/allOf/{i}");
                    let ty = match part {
                        ReferenceOr::Reference { reference } => {
                            self.resolve_ref_type(reference, &p)
                        }
                        ReferenceOr::Item(s) => self.type_of(s, &format!("{name}Part{i}"), &p),
                    };
                    let base = match &ty {
                        TypeRef::Named(n) => naming::value_name(n),
                        _ => format!("part{i}"),
                    };
                    fields.push(Field {
                        rust_name: scope.unique(base),
                        wire_name: String::new(),
                        ty,
                        required: true,
                        flatten: true,
                        doc: None,
                    });
                }
                Some(TypeKind::Struct {
                    fields,
                    extra: None,
                })
            }
            _ => None,
        }
    }

    fn enum_kind(&mut self, values: Vec<String>) -> TypeKind {
        let mut scope = Scope::with_reserved(&["Unknown"]);
        let mut seen = BTreeSet::new();
        let variants = values
            .into_iter()
            .filter(|v| seen.insert(v.clone()))
            .map(|wire| Variant {
                rust_name: scope.unique(naming::type_name(
                    &wire,
                    if wire.is_empty() { "Empty" } else { "V" },
                )),
                wire,
            })
            .collect();
        TypeKind::Enum { variants }
    }

    fn struct_kind(
        &mut self,
        name: &str,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        pointer: &str,
    ) -> TypeKind {
        let mut scope = Scope::with_reserved(&["extra"]);
        let mut fields = Vec::new();
        for (wire, prop) in properties {
            let p = format!("{pointer}/properties/{}", esc(wire));
            let hint = format!("{name}{}", naming::type_name(wire, "Field"));
            let (ty, nullable, doc) = match prop {
                ReferenceOr::Reference { reference } => {
                    (self.resolve_ref_type(reference, &p), false, None)
                }
                ReferenceOr::Item(s) => (
                    self.type_of_named(s, &hint, Some(wire), &p),
                    s.schema_data.nullable,
                    s.schema_data
                        .description
                        .as_deref()
                        .map(prose::to_doc_markdown),
                ),
            };
            fields.push(Field {
                rust_name: scope.unique(naming::value_name(wire)),
                wire_name: wire.clone(),
                ty,
                required: required.contains(wire) && !nullable,
                flatten: false,
                doc,
            });
        }
        for r in required {
            if !properties.contains_key(r) {
                self.warn(pointer, format!("`required` names `{r}`, which is not a declared property; it is kept in `extra`"));
            }
        }
        let extra = match additional {
            Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Schema(s)) => Some(match s.as_ref() {
                ReferenceOr::Reference { reference } => {
                    self.resolve_ref_type(reference, &format!("{pointer}/additionalProperties"))
                }
                ReferenceOr::Item(s) => self.type_of(
                    s,
                    &format!("{name}Value"),
                    &format!("{pointer}/additionalProperties"),
                ),
            }),
            // Undeclared properties are kept so nothing read from Cliq is lost on write-back.
            _ => Some(TypeRef::Json),
        };
        TypeKind::Struct { fields, extra }
    }

    /// The type of a schema used somewhere (a property, an item, a parameter, a body).
    /// Objects and enums get a named type called `hint`.
    fn type_of(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        self.type_of_named(schema, hint, None, pointer)
    }

    /// An inline string enum. Identical enums met under the same property or parameter name
    /// share one type, named after that name when it is free (`HandlerType`, `Scope`).
    fn inline_enum(
        &mut self,
        schema: &Schema,
        st: &openapiv3::StringType,
        short: &str,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        let values: Vec<String> = st.enumeration.iter().flatten().cloned().collect();
        let key = (short.to_string(), values);
        if let Some(name) = self.inline_enums.get(&key) {
            return TypeRef::Named(name.clone());
        }
        let base = naming::type_name(short, "Type");
        let name = if short.len() > 2
            && !matches!(base.as_str(), "Type" | "Status" | "Kind" | "Value")
            && !self.scope.contains(&base)
        {
            self.scope.unique(base)
        } else {
            self.scope.unique(naming::type_name(hint, "Type"))
        };
        self.inline_enums.insert(key, name.clone());
        self.define(name.clone(), hint, schema, pointer);
        TypeRef::Named(name)
    }

    /// Like [`Self::type_of`], with the property/parameter name an enum may be named after.
    fn type_of_named(
        &mut self,
        schema: &Schema,
        hint: &str,
        short: Option<&str>,
        pointer: &str,
    ) -> TypeRef {
        let needs_name = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
            SchemaKind::Type(Type::String(s)) => !s.enumeration.is_empty(),
            SchemaKind::OneOf { one_of: p } | SchemaKind::AnyOf { any_of: p } => p.len() > 1,
            SchemaKind::AllOf { all_of } => all_of.len() > 1,
            SchemaKind::Any(a) => {
                !a.properties.is_empty()
                    || (!a.enumeration.is_empty()
                        && a.enumeration.iter().all(|v| v.is_string() || v.is_null()))
            }
            _ => false,
        };
        if let (SchemaKind::Type(Type::String(st)), Some(short)) = (&schema.schema_kind, short) {
            if !st.enumeration.is_empty() {
                return self.inline_enum(schema, st, short, hint, pointer);
            }
        }
        if needs_name {
            let name = self.scope.unique(naming::type_name(hint, "Type"));
            self.define(name.clone(), hint, schema, pointer);
            return TypeRef::Named(name);
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => TypeRef::String,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Number(_)) => TypeRef::Float,
            SchemaKind::Type(Type::Integer(i)) => TypeRef::Int(match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => "i32",
                VariantOrUnknownOrEmpty::Unknown(f) => match f.as_str() {
                    "uint8" => "u8",
                    "uint16" => "u16",
                    "uint32" => "u32",
                    "uint64" => "u64",
                    "int8" => "i8",
                    "int16" => "i16",
                    _ => "i64",
                },
                _ => "i64",
            }),
            SchemaKind::Type(Type::Array(a)) => {
                TypeRef::Vec(Box::new(self.items(a.items.as_ref(), hint, pointer)))
            }
            SchemaKind::Type(Type::Object(o)) => {
                self.map_of(o.additional_properties.as_ref(), hint, pointer)
            }
            SchemaKind::AllOf { all_of: parts }
            | SchemaKind::OneOf { one_of: parts }
            | SchemaKind::AnyOf { any_of: parts }
                if parts.len() == 1 =>
            {
                let p = format!("{pointer}/0");
                match &parts[0] {
                    ReferenceOr::Reference { reference } => self.resolve_ref_type(reference, &p),
                    ReferenceOr::Item(s) => self.type_of(s, hint, &p),
                }
            }
            SchemaKind::Any(a) => match a.typ.as_deref() {
                Some("string") => TypeRef::String,
                Some("boolean") => TypeRef::Bool,
                Some("integer") => TypeRef::Int("i64"),
                Some("number") => TypeRef::Float,
                Some("array") => {
                    TypeRef::Vec(Box::new(self.items(a.items.as_ref(), hint, pointer)))
                }
                Some("object") => self.map_of(a.additional_properties.as_ref(), hint, pointer),
                _ => TypeRef::Json,
            },
            SchemaKind::Not { .. } => {
                self.warn(
                    pointer,
                    "`not` schemas are not supported; the value is typed as serde_json::Value",
                );
                TypeRef::Json
            }
            _ => TypeRef::Json,
        }
    }

    fn items(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        let p = format!("{pointer}/items");
        match items {
            None => {
                self.warn(
                    pointer,
                    "array without `items`: its elements are typed as serde_json::Value",
                );
                TypeRef::Json
            }
            Some(ReferenceOr::Reference { reference }) => self.resolve_ref_type(reference, &p),
            Some(ReferenceOr::Item(s)) => self.type_of(s, &format!("{hint}Item"), &p),
        }
    }

    fn map_of(
        &mut self,
        additional: Option<&AdditionalProperties>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        let value = match additional {
            Some(AdditionalProperties::Schema(s)) => match s.as_ref() {
                ReferenceOr::Reference { reference } => {
                    self.resolve_ref_type(reference, &format!("{pointer}/additionalProperties"))
                }
                ReferenceOr::Item(s) => self.type_of(
                    s,
                    &format!("{hint}Value"),
                    &format!("{pointer}/additionalProperties"),
                ),
            },
            _ => TypeRef::Json,
        };
        TypeRef::Map(Box::new(value))
    }

    fn schema_ref_type(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_ref_type(reference, pointer),
            ReferenceOr::Item(s) => self.type_of(s, hint, pointer),
        }
    }

    fn operations(&mut self) -> Vec<Operation> {
        let mut ops = Vec::new();
        let mut fn_scope = Scope::default();
        let mut const_scope = Scope::with_reserved(&["ALL"]);
        let doc = self.doc;
        for (path, item) in doc.paths.iter() {
            let item_ptr = format!("#/paths/{}", esc(path));
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    self.error(
                        &item_ptr,
                        format!("path item `$ref: {reference}` is not supported"),
                    );
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let ptr = format!("{item_ptr}/{method}");
                let method = match method {
                    "get" => Method::Get,
                    "post" => Method::Post,
                    "put" => Method::Put,
                    "patch" => Method::Patch,
                    "delete" => Method::Delete,
                    other => {
                        self.warn(&ptr, format!("`{other}` operations are not generated"));
                        continue;
                    }
                };
                if let Some(op) = self.operation(
                    path,
                    method,
                    &item.parameters,
                    op,
                    &ptr,
                    &mut fn_scope,
                    &mut const_scope,
                ) {
                    ops.push(op);
                }
            }
        }
        ops
    }

    fn parameter<'p>(
        &mut self,
        p: &'p ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Option<&'p Parameter> {
        match p {
            ReferenceOr::Item(p) => Some(p),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|n| self.doc.components.as_ref()?.parameters.get(n));
                match found {
                    Some(ReferenceOr::Item(_)) => {
                        self.error(pointer, format!("parameter `$ref: {reference}`: shared parameters are not supported yet"));
                        None
                    }
                    _ => {
                        self.error(
                            pointer,
                            format!("parameter `$ref: {reference}` does not resolve"),
                        );
                        None
                    }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        path: &str,
        method: Method,
        shared_params: &[ReferenceOr<Parameter>],
        op: &openapiv3::Operation,
        ptr: &str,
        fn_scope: &mut Scope,
        const_scope: &mut Scope,
    ) -> Option<Operation> {
        let op_id = match &op.operation_id {
            Some(id) if !id.trim().is_empty() => id.clone(),
            _ => {
                let id = format!("{method:?} {path}").to_lowercase();
                self.warn(
                    ptr,
                    format!(
                        "operation has no operationId; named from its method and path (`{id}`)"
                    ),
                );
                id
            }
        };
        let fn_name = fn_scope.unique(naming::value_name(&op_id));
        let pascal = naming::type_name(&op_id, "Op");
        let description = op.description.clone().unwrap_or_default();
        let doc = {
            let mut parts = Vec::new();
            if let Some(s) = &op.summary {
                parts.push(prose::to_doc_markdown(s));
            }
            if !description.is_empty() {
                parts.push(prose::to_doc_markdown(&description));
            }
            if parts.is_empty() {
                parts.push(format!(
                    "`{} {path}` (`{op_id}`).",
                    format!("{method:?}").to_uppercase()
                ));
            }
            Some(parts.join("\n\n"))
        };

        // Parameters: path-item level first, overridden by operation level with the same name.
        let mut params: IndexMap<(String, &'static str), (Parameter, String)> = IndexMap::new();
        for (i, p) in shared_params.iter().enumerate() {
            let pp = format!("{ptr}/../parameters/{i}");
            if let Some(p) = self.parameter(p, &pp) {
                let loc = param_loc(p);
                params.insert((p.parameter_data_ref().name.clone(), loc), (p.clone(), pp));
            }
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let pp = format!("{ptr}/parameters/{i}");
            if let Some(p) = self.parameter(p, &pp) {
                let loc = param_loc(p);
                params.insert((p.parameter_data_ref().name.clone(), loc), (p.clone(), pp));
            }
        }
        let mut arg_scope = Scope::with_reserved(&["self", "body", "params"]);
        let mut path_params = Vec::new();
        let mut query = Vec::new();
        let mut query_scope = Scope::default();
        for ((name, loc), (p, pp)) in &params {
            let data = p.parameter_data_ref();
            let hint = format!("{pascal}{}", naming::type_name(name, "Param"));
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => {
                    self.type_of_named(s, &hint, Some(name), &format!("{pp}/schema"))
                }
                ParameterSchemaOrContent::Schema(s) => {
                    self.schema_ref_type(s, &hint, &format!("{pp}/schema"))
                }
                ParameterSchemaOrContent::Content(_) => {
                    self.warn(pp, "parameter with `content` is typed as String");
                    TypeRef::String
                }
            };
            let doc = data.description.as_deref().map(prose::to_doc_markdown);
            match *loc {
                "path" => {
                    let custom = self.settings.path_param_types.get(name).cloned();
                    path_params.push(Param {
                        rust_name: arg_scope.unique(naming::value_name(name)),
                        wire_name: name.clone(),
                        ty,
                        custom,
                        required: true,
                        doc,
                    });
                }
                "query" => query.push(Param {
                    rust_name: query_scope.unique(naming::value_name(name)),
                    wire_name: name.clone(),
                    ty,
                    custom: None,
                    required: data.required,
                    doc,
                }),
                other => {
                    self.error(
                        pp,
                        format!("`in: {other}` parameters are not supported (parameter `{name}`)"),
                    );
                }
            }
        }
        // Path parameters in template order; every placeholder must be declared.
        // Keep lowering after a broken path so every problem of the operation is reported.
        let mut broken = false;
        let placeholders = match crate::path_template::placeholders(path) {
            Ok(p) => p,
            Err(e) => {
                self.error(ptr, e);
                broken = true;
                Vec::new()
            }
        };
        let mut ordered = Vec::new();
        for ph in &placeholders {
            match path_params.iter().position(|p| &p.wire_name == ph) {
                Some(i) => ordered.push(path_params.remove(i)),
                None => {
                    self.error(
                        ptr,
                        format!("path placeholder `{{{ph}}}` has no `in: path` parameter"),
                    );
                    broken = true;
                }
            }
        }
        for extra in path_params {
            self.warn(
                ptr,
                format!(
                    "path parameter `{}` does not appear in the path template; ignored",
                    extra.wire_name
                ),
            );
        }

        // Body.
        let body = match &op.request_body {
            None => None,
            Some(ReferenceOr::Reference { reference }) => {
                self.error(
                    &format!("{ptr}/requestBody"),
                    format!("request body `$ref: {reference}` is not supported yet"),
                );
                return None;
            }
            Some(ReferenceOr::Item(rb)) => {
                let bp = format!("{ptr}/requestBody");
                match json_media(&rb.content) {
                    Some((ct, media)) => {
                        let mp = format!("{bp}/content/{}", esc(ct));
                        let ty = match &media.schema {
                            Some(s) => self.schema_ref_type(
                                s,
                                &format!("{pascal}Body"),
                                &format!("{mp}/schema"),
                            ),
                            None => TypeRef::Json,
                        };
                        self.collect_examples(media, &ty, &mp);
                        Some(Body {
                            ty,
                            required: rb.required,
                        })
                    }
                    None => {
                        let types: Vec<&str> = rb.content.keys().map(String::as_str).collect();
                        self.warn(&bp, format!("operation `{op_id}` skipped: request content types {types:?} are not supported (only JSON)"));
                        return None;
                    }
                }
            }
        };

        // Responses.
        let mut successes: Vec<(u16, Option<TypeRef>)> = Vec::new();
        for (status, resp) in &op.responses.responses {
            let code = match status {
                StatusCode::Code(c) => *c,
                StatusCode::Range(r) => r * 100,
            };
            if !(200..300).contains(&code) {
                continue;
            }
            let rp = format!("{ptr}/responses/{}", status);
            let resp = match resp {
                ReferenceOr::Item(r) => r,
                ReferenceOr::Reference { reference } => {
                    match reference
                        .strip_prefix("#/components/responses/")
                        .and_then(|n| self.doc.components.as_ref()?.responses.get(n))
                    {
                        Some(ReferenceOr::Item(r)) => r,
                        _ => {
                            self.error(
                                &rp,
                                format!("response `$ref: {reference}` does not resolve"),
                            );
                            continue;
                        }
                    }
                }
            };
            let ty = match json_media(&resp.content) {
                Some((ct, media)) => {
                    let mp = format!("{rp}/content/{}", esc(ct));
                    let ty = match &media.schema {
                        Some(s) => self.schema_ref_type(
                            s,
                            &format!(
                                "{pascal}Response{}",
                                if code == 200 {
                                    String::new()
                                } else {
                                    code.to_string()
                                }
                            ),
                            &format!("{mp}/schema"),
                        ),
                        None => TypeRef::Json,
                    };
                    self.collect_examples(media, &ty, &mp);
                    Some(ty)
                }
                None if resp.content.is_empty() => None,
                None => {
                    self.warn(&rp, "non-JSON success content is returned as serde_json::Value when it parses, else reported as a decode error");
                    Some(TypeRef::Json)
                }
            };
            successes.push((code, ty));
        }
        let response = {
            let distinct: Vec<&Option<TypeRef>> = successes
                .iter()
                .map(|(_, t)| t)
                .filter(|t| t.is_some())
                .collect();
            let all_same = distinct.windows(2).all(|w| w[0] == w[1]);
            if all_same {
                Response::Single(distinct.first().map(|t| (*t).clone()).unwrap_or(None))
            } else {
                let name = self.scope.unique(format!("{pascal}Success"));
                let variants = successes
                    .iter()
                    .map(|(code, ty)| (*code, format!("Status{code}"), ty.clone()))
                    .collect();
                Response::ByStatus { name, variants }
            }
        };

        // Prose facts.
        let codes = prose::error_codes(&description);
        let mut vscope = Scope::with_reserved(&["Other"]);
        let error_codes = codes
            .into_iter()
            .map(|c| (vscope.unique(naming::type_name(&c.code, "Code")), c))
            .collect();
        let rate_limit = prose::rate_limit(&description);
        let scopes: Vec<String> = op
            .security
            .as_ref()
            .or(self.doc.security.as_ref())
            .map(|reqs| {
                reqs.iter()
                    .flat_map(|r| r.values().flatten().cloned())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect()
            })
            .unwrap_or_default();

        if broken {
            return None;
        }
        let params_struct =
            (!query.is_empty()).then(|| self.scope.unique(format!("{pascal}Params")));
        let pagination = self.pagination(&query, &response);
        Some(Operation {
            fn_name,
            const_name: const_scope.unique(naming::const_name(&op_id)),
            error_enum: self.scope.unique(format!("{pascal}ErrorCode")),
            params_struct,
            operation_id: op_id,
            method,
            path: path.to_string(),
            doc,
            path_params: ordered,
            query,
            body,
            response,
            error_codes,
            scopes,
            rate_limit,
            pagination,
        })
    }

    fn collect_examples(&mut self, media: &openapiv3::MediaType, ty: &TypeRef, pointer: &str) {
        if media.example.is_some() {
            self.examples.push(Example {
                pointer: format!("{pointer}/example"),
                ty: ty.clone(),
            });
        }
        for (name, ex) in &media.examples {
            if let ReferenceOr::Item(ex) = ex {
                if ex.value.is_some() {
                    self.examples.push(Example {
                        pointer: format!("{pointer}/examples/{}/value", esc(name)),
                        ty: ty.clone(),
                    });
                }
            }
        }
    }

    /// `next_token` pagination: a `next_token` query parameter and a response with a
    /// `next_token` field and one array field holding the items.
    fn pagination(&self, query: &[Param], response: &Response) -> Option<Pagination> {
        let token_param = query.iter().find(|p| p.wire_name == "next_token")?;
        let Response::Single(Some(TypeRef::Named(page))) = response else {
            return None;
        };
        let def = self.types.iter().find(|t| &t.name == page)?;
        let TypeKind::Struct { fields, extra } = &def.kind else {
            return None;
        };
        // The token may be undeclared (list subscribers): then it is read from `extra`.
        let token = fields
            .iter()
            .find(|f| f.wire_name == "next_token" && f.ty == TypeRef::String);
        if token.is_none() && extra.as_ref() != Some(&TypeRef::Json) {
            return None;
        }
        let arrays: Vec<&Field> = fields
            .iter()
            .filter(|f| matches!(f.ty, TypeRef::Vec(_)))
            .collect();
        let items = match arrays.iter().find(|f| f.wire_name == "data") {
            Some(f) => *f,
            None => match arrays.as_slice() {
                [only] => *only,
                _ => return None,
            },
        };
        let TypeRef::Vec(item) = &items.ty else {
            return None;
        };
        let sync = fields
            .iter()
            .find(|f| f.wire_name == "sync_token" && f.ty == TypeRef::String);
        Some(Pagination {
            page_type: page.clone(),
            items_field: items.rust_name.clone(),
            item: (**item).clone(),
            token_field: token.map(|t| t.rust_name.clone()),
            sync_field: sync.map(|t| t.rust_name.clone()),
            token_param: token_param.rust_name.clone(),
        })
    }

    /// Extract handler rules when the document has a `HANDLER_TYPE` enum and the permissions
    /// table (the Bots spec).
    fn handler_rules(&mut self) -> Option<HandlerRules> {
        let doc = self.doc;
        let mut enum_values: Option<Vec<String>> = None;
        let mut enum_doc = String::new();
        let mut table = None;
        let mut table_ptr = String::new();
        for (path, item) in doc.paths.iter() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (method, op) in item.iter() {
                for p in &op.parameters {
                    if let ReferenceOr::Item(p) = p {
                        let d = p.parameter_data_ref();
                        if d.name == "HANDLER_TYPE" && enum_values.is_none() {
                            if let ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) =
                                &d.format
                            {
                                if let SchemaKind::Type(Type::String(st)) = &s.schema_kind {
                                    enum_values =
                                        Some(st.enumeration.iter().flatten().cloned().collect());
                                    enum_doc = d.description.clone().unwrap_or_default();
                                }
                            }
                        }
                    }
                }
                if table.is_none() {
                    if let Some(t) = op.description.as_deref().and_then(prose::permissions_table) {
                        table = Some(t);
                        table_ptr = format!("#/paths/{}/{method}/description", esc(path));
                    }
                }
            }
        }
        let (perms, rows) = table?;
        let Some(values) = enum_values else {
            self.warn(
                &table_ptr,
                "permissions table found but no HANDLER_TYPE enum; handler rules not generated",
            );
            return None;
        };
        let mut handlers = Vec::new();
        let mut used_rows = BTreeSet::new();
        for name in &values {
            // The table's `alert_handler` row is the enum's `call_handler`: Zoho's SDK uses
            // `alert_handler` as the wire name of call handlers.
            let row = rows.iter().find(|(r, _)| r == name).or_else(|| {
                (name == "call_handler")
                    .then(|| rows.iter().find(|(r, _)| r == "alert_handler"))
                    .flatten()
            });
            match row {
                Some((table_name, allowed)) => {
                    used_rows.insert(table_name.clone());
                    handlers.push(HandlerRule { name: name.clone(), table_name: table_name.clone(), permissions: allowed.clone(), description: value_description(&enum_doc, name) });
                }
                None => self.warn(&table_ptr, format!("handler type `{name}` has no row in the permissions table; it may request no permissions")),
            }
        }
        for (r, _) in &rows {
            if !used_rows.contains(r) {
                self.warn(
                    &table_ptr,
                    format!("permissions table row `{r}` matches no HANDLER_TYPE value; ignored"),
                );
            }
        }
        // Documented limits: from the HandlerCreate schema where it says them.
        let handler_create = self.component_schema("#/components/schemas/HandlerCreate");
        let prop = |name: &str| -> Option<&Schema> {
            let SchemaKind::Type(Type::Object(o)) = &handler_create?.schema_kind else {
                return None;
            };
            match o.properties.get(name)? {
                ReferenceOr::Item(s) => Some(s.as_ref()),
                ReferenceOr::Reference { reference } => self.component_schema(reference),
            }
        };
        let max_items = |s: Option<&Schema>| match s.map(|s| &s.schema_kind) {
            Some(SchemaKind::Type(Type::Array(a))) => a.max_items,
            _ => None,
        };
        let max_len = |s: Option<&Schema>| match s.map(|s| &s.schema_kind) {
            Some(SchemaKind::Type(Type::String(st))) => st.max_length,
            _ => None,
        };
        let sub_action_name_max = prop("sub_actions").and_then(|s| match &s.schema_kind {
            SchemaKind::Type(Type::Array(a)) => match a.items.as_ref()? {
                ReferenceOr::Item(i) => max_len(Some(i)),
                ReferenceOr::Reference { reference } => max_len(self.component_schema(reference)),
            },
            _ => None,
        });
        Some(HandlerRules {
            permissions: perms,
            handlers,
            max_permissions: max_items(prop("permissions")).unwrap_or(5),
            menu_name_max_chars: max_len(prop("name")).unwrap_or(15),
            menu_sub_actions_max: max_items(prop("sub_actions")).unwrap_or(5),
            menu_sub_action_name_max_chars: sub_action_name_max.unwrap_or(15),
            menu_actions_per_bot_max: 5,
        })
    }
}

/// `name: text` from an "Allowed values" list in a parameter description.
fn value_description(doc: &str, name: &str) -> Option<String> {
    doc.lines().find_map(|l| {
        let text = l.trim().strip_prefix(name)?.strip_prefix(':')?.trim();
        (!text.is_empty()).then(|| text.to_owned())
    })
}

fn param_loc(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Path { .. } => "path",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

fn json_media(
    content: &IndexMap<String, openapiv3::MediaType>,
) -> Option<(&String, &openapiv3::MediaType)> {
    content.iter().find(|(ct, _)| {
        let ct = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        ct == "application/json" || ct.ends_with("+json") || ct == "*/*"
    })
}

fn variant_hint(s: &Schema) -> Option<String> {
    if let Some(t) = &s.schema_data.title {
        return Some(t.clone());
    }
    // Internally tagged variants: a `type`-like property with a single enum value.
    let SchemaKind::Type(Type::Object(o)) = &s.schema_kind else {
        return None;
    };
    for (_, prop) in &o.properties {
        if let ReferenceOr::Item(p) = prop {
            if let SchemaKind::Type(Type::String(st)) = &p.schema_kind {
                if let [Some(v)] = st.enumeration.as_slice() {
                    return Some(v.clone());
                }
            }
        }
    }
    None
}

/// Wrap fields in `Box` where a struct would otherwise contain itself.
fn box_recursive(types: &mut [TypeDef]) {
    let index: BTreeMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    // Direct (by-value) edges: a field of type Named(x) or Option<Named(x)>.
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct { fields, .. } => fields
                .iter()
                .filter_map(|f| direct(&f.ty).and_then(|n| index.get(n).copied()))
                .collect(),
            TypeKind::OneOf { variants } => variants
                .iter()
                .filter_map(|(_, ty)| direct(ty).and_then(|n| index.get(n).copied()))
                .collect(),
            TypeKind::Alias(ty) => direct(ty)
                .and_then(|n| index.get(n).copied())
                .into_iter()
                .collect(),
            TypeKind::Enum { .. } => Vec::new(),
        })
        .collect();
    let reaches = |from: usize, to: usize| -> bool {
        let mut seen = vec![false; edges.len()];
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if std::mem::replace(&mut seen[n], true) {
                continue;
            }
            stack.extend(edges[n].iter().copied());
        }
        false
    };
    let mut boxes: Vec<(usize, usize)> = Vec::new();
    for (i, t) in types.iter().enumerate() {
        match &t.kind {
            TypeKind::Struct { fields, .. } => {
                for (fi, f) in fields.iter().enumerate() {
                    if let Some(j) = direct(&f.ty).and_then(|n| index.get(n).copied()) {
                        if reaches(j, i) {
                            boxes.push((i, fi));
                        }
                    }
                }
            }
            TypeKind::OneOf { variants } => {
                for (vi, (_, ty)) in variants.iter().enumerate() {
                    if let Some(j) = direct(ty).and_then(|n| index.get(n).copied()) {
                        if reaches(j, i) {
                            boxes.push((i, vi));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for (i, k) in boxes {
        match &mut types[i].kind {
            TypeKind::Struct { fields, .. } => {
                let ty = std::mem::replace(&mut fields[k].ty, TypeRef::Json);
                fields[k].ty = TypeRef::Boxed(Box::new(ty));
            }
            TypeKind::OneOf { variants } => {
                let ty = std::mem::replace(&mut variants[k].1, TypeRef::Json);
                variants[k].1 = TypeRef::Boxed(Box::new(ty));
            }
            _ => {}
        }
    }
}

fn direct(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(n) => Some(n),
        _ => None,
    }
}
