//! Schemas → named types and type references: objects, enums, `oneOf`/`anyOf`/`allOf`,
//! maps, arrays, and boxing of recursive types.

use super::lowerer::{esc, Lowerer};
use crate::error::Diagnostic;
use crate::load::TUPLE;
use crate::model::*;
use crate::naming::{self, Scope};
use crate::prose;
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, ReferenceOr, Schema, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

impl Lowerer<'_> {
    pub(super) fn resolve_ref_type(&mut self, reference: &str, pointer: &str) -> TypeRef {
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

    pub(super) fn component_schema(&self, reference: &str) -> Option<&Schema> {
        component_schema(self.doc, reference)
    }

    /// Define a named type for `schema` (a component or an inline object/enum).
    pub(super) fn define(&mut self, name: String, origin: &str, schema: &Schema, pointer: &str) {
        let doc = prose::doc_of(schema.schema_data.description.as_deref());
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

    /// The inline type just defined as `name`, or an earlier inline type of identical shape
    /// and docs (then `name` is dropped): one Rust type per distinct inline shape.
    pub(super) fn dedup_inline(&mut self, name: String) -> String {
        let Some(last) = self.types.last().filter(|t| t.name == name) else {
            return name;
        };
        let key = format!("{:?}|{:?}", last.kind, last.doc);
        if let Some(earlier) = self.inline_shapes.get(&key) {
            let earlier = earlier.clone();
            self.types.pop();
            return earlier;
        }
        self.inline_shapes.insert(key, name.clone());
        name
    }

    /// The kind of a schema that needs a named type of its own, or `None` for schemas that
    /// are just another type (string, array, map, …).
    pub(super) fn kind_of(
        &mut self,
        name: &str,
        schema: &Schema,
        pointer: &str,
    ) -> Option<TypeKind> {
        if let Some(tuple) = schema.schema_data.extensions.get(TUPLE) {
            return Some(self.tuple_kind(name, tuple, pointer));
        }
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
                let keyword = composition_keyword(&schema.schema_kind);
                // `Other` is the emitted fallback variant (a value matching no alternative).
                let mut scope = Scope::with_reserved(&["Other"]);
                let mut variants = Vec::new();
                for (i, part) in parts.iter().enumerate() {
                    let p = format!("{pointer}/{keyword}/{i}");
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
                let discriminator = schema
                    .schema_data
                    .discriminator
                    .as_ref()
                    .and_then(|d| self.discriminator(d, parts, pointer));
                Some(TypeKind::OneOf {
                    variants,
                    discriminator,
                })
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

    /// The tags of each alternative: the `mapping` entries naming it, else (for a `$ref`) the
    /// schema's name, else (inline) the single `enum` value of its tag property. `None`, with a
    /// warning, when an alternative has no tag: the enum stays untagged.
    fn discriminator(
        &mut self,
        d: &openapiv3::Discriminator,
        parts: &[ReferenceOr<Schema>],
        pointer: &str,
    ) -> Option<Discriminator> {
        let at = format!("{pointer}/discriminator");
        let target = |r: &str| -> String {
            if r.starts_with('#') {
                r.to_string()
            } else {
                format!("#/components/schemas/{r}")
            }
        };
        let mut tags: Vec<Vec<String>> = vec![Vec::new(); parts.len()];
        for (tag, to) in &d.mapping {
            let to = target(to);
            let found = parts.iter().position(
                |p| matches!(p, ReferenceOr::Reference { reference } if *reference == to),
            );
            match found {
                Some(i) => tags[i].push(tag.clone()),
                None => self.warn(
                    &format!("{at}/mapping/{}", esc(tag)),
                    format!("discriminator value `{tag}` maps to `{to}`, which is not one of the alternatives; ignored"),
                ),
            }
        }
        let mapped: BTreeSet<String> = d.mapping.values().map(|t| target(t)).collect();
        for (i, part) in parts.iter().enumerate() {
            if !tags[i].is_empty() {
                continue;
            }
            let implicit = match part {
                ReferenceOr::Reference { reference } if !mapped.contains(reference) => reference
                    .strip_prefix("#/components/schemas/")
                    .map(str::to_string),
                ReferenceOr::Reference { .. } => None,
                ReferenceOr::Item(s) => single_enum_value(s, &d.property_name),
            };
            match implicit {
                Some(tag) => tags[i].push(tag),
                None => {
                    self.warn(
                        &at,
                        format!("alternative {i} has no `{}` value to be recognised by; the alternatives are tried in order instead", d.property_name),
                    );
                    return None;
                }
            }
        }
        // A value names one alternative only: the first to claim it keeps it.
        let mut seen = BTreeSet::new();
        for t in &mut tags {
            t.retain(|v| seen.insert(v.clone()));
        }
        if let Some(i) = tags.iter().position(Vec::is_empty) {
            self.warn(
                &at,
                format!("alternative {i}'s `{}` values all name earlier alternatives; the alternatives are tried in order instead", d.property_name),
            );
            return None;
        }
        Some(Discriminator {
            property: d.property_name.clone(),
            tags,
        })
    }

    /// A 3.1 tuple, as the loader left it in the [`TUPLE`] extension: each element typed like
    /// an array item (`Option` when `nullable`), then the rest.
    fn tuple_kind(&mut self, name: &str, tuple: &serde_json::Value, pointer: &str) -> TypeKind {
        let empty = Vec::new();
        let prefix = tuple
            .get("prefix")
            .and_then(serde_json::Value::as_array)
            .unwrap_or(&empty);
        let mut elements = Vec::new();
        for (i, element) in prefix.iter().enumerate() {
            let at = format!("{pointer}/prefixItems/{i}");
            elements.push(self.tuple_element(element, &format!("{name}Element{i}"), &at));
        }
        let rest = tuple.get("rest").map(|rest| {
            self.tuple_element(rest, &format!("{name}Item"), &format!("{pointer}/items"))
        });
        TypeKind::Tuple { elements, rest }
    }

    /// One schema of a tuple, read from the extension's JSON.
    fn tuple_element(&mut self, schema: &serde_json::Value, hint: &str, pointer: &str) -> TypeRef {
        match ReferenceOr::<Schema>::deserialize(schema) {
            Ok(schema) => self.element(&schema, hint, pointer),
            Err(e) => {
                self.error(pointer, format!("not a schema: {e}"));
                TypeRef::Json
            }
        }
    }

    /// Whether `reference` names a `nullable` schema.
    fn nullable_ref(&self, reference: &str) -> bool {
        self.component_schema(reference)
            .is_some_and(|s| s.schema_data.nullable)
    }

    /// The type of an array item or map value: `Option<T>` when `nullable`.
    fn element<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        let (ty, nullable) = match schema {
            ReferenceOr::Reference { reference } => (
                self.resolve_ref_type(reference, pointer),
                self.nullable_ref(reference),
            ),
            ReferenceOr::Item(s) => {
                let s = s.borrow();
                (self.type_of(s, hint, pointer), s.schema_data.nullable)
            }
        };
        if nullable {
            TypeRef::Nullable(Box::new(ty))
        } else {
            ty
        }
    }

    pub(super) fn enum_kind(&mut self, values: Vec<String>) -> TypeKind {
        let mut scope = Scope::with_reserved(&["Unknown"]);
        let mut seen = BTreeSet::new();
        let variants = values
            .into_iter()
            .filter(|v| seen.insert(v.clone()))
            .map(|wire| Variant {
                rust_name: scope.unique(naming::variant_name(&wire)),
                wire,
            })
            .collect();
        TypeKind::Enum { variants }
    }

    pub(super) fn struct_kind(
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
                ReferenceOr::Reference { reference } => (
                    self.resolve_ref_type(reference, &p),
                    self.nullable_ref(reference),
                    None,
                ),
                ReferenceOr::Item(s) => (
                    self.type_of_named(s, &hint, Some(wire), &p),
                    s.schema_data.nullable,
                    prose::doc_of(s.schema_data.description.as_deref()),
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
            Some(AdditionalProperties::Schema(s)) => Some(self.element(
                s.as_ref(),
                &format!("{name}Value"),
                &format!("{pointer}/additionalProperties"),
            )),
            // Undeclared properties are kept so nothing read from Cliq is lost on write-back.
            _ => Some(TypeRef::Json),
        };
        TypeKind::Struct { fields, extra }
    }

    /// The type of a schema used somewhere (a property, an item, a parameter, a body).
    /// Objects and enums get a named type called `hint`.
    pub(super) fn type_of(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        self.type_of_named(schema, hint, None, pointer)
    }

    /// An inline string enum. Identical enums met under the same property or parameter name
    /// share one type, named after that name when it is free (`HandlerType`, `Scope`).
    pub(super) fn inline_enum(
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
            self.scope.unique(naming::inline_type_name(hint, "Type"))
        };
        self.inline_enums.insert(key, name.clone());
        self.define(name.clone(), hint, schema, pointer);
        TypeRef::Named(name)
    }

    /// Like [`Self::type_of`], with the property/parameter name an enum may be named after.
    pub(super) fn type_of_named(
        &mut self,
        schema: &Schema,
        hint: &str,
        short: Option<&str>,
        pointer: &str,
    ) -> TypeRef {
        if let Some(rust) = self.settings.type_replacements.get(pointer) {
            self.replaced.insert(pointer.to_string());
            if syn::parse_str::<syn::Type>(rust).is_err() {
                self.error(
                    pointer,
                    format!("type replacement `{rust}` is not a Rust type"),
                );
                return TypeRef::Json;
            }
            return TypeRef::External(rust.clone());
        }
        let tuple = schema.schema_data.extensions.contains_key(TUPLE);
        let needs_name = tuple
            || match &schema.schema_kind {
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
            let name = self.scope.unique(naming::inline_type_name(hint, "Type"));
            self.define(name.clone(), hint, schema, pointer);
            return TypeRef::Named(self.dedup_inline(name));
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
                let p = format!("{pointer}/{}/0", composition_keyword(&schema.schema_kind));
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
                Some(other) => {
                    self.warn(
                        &format!("{pointer}/type"),
                        format!("unknown `type: {other}`; the value is typed as serde_json::Value"),
                    );
                    TypeRef::Json
                }
                None => TypeRef::Json,
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

    pub(super) fn items(
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
            Some(items) => self.element(items, &format!("{hint}Item"), &p),
        }
    }

    pub(super) fn map_of(
        &mut self,
        additional: Option<&AdditionalProperties>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        let value = match additional {
            Some(AdditionalProperties::Schema(s)) => self.element(
                s.as_ref(),
                &format!("{hint}Value"),
                &format!("{pointer}/additionalProperties"),
            ),
            _ => TypeRef::Json,
        };
        TypeRef::Map(Box::new(value))
    }

    pub(super) fn schema_ref_type(
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
}

/// The schema a `$ref` to `#/components/schemas/…` names, `$ref` chains followed (bounded,
/// so a cycle ends in `None`).
pub(super) fn component_schema<'d>(
    doc: &'d openapiv3::OpenAPI,
    reference: &str,
) -> Option<&'d Schema> {
    let schemas = &doc.components.as_ref()?.schemas;
    let mut reference = reference;
    for _ in 0..=schemas.len() {
        match schemas.get(reference.strip_prefix("#/components/schemas/")?)? {
            ReferenceOr::Item(s) => return Some(s),
            ReferenceOr::Reference { reference: next } => reference = next,
        }
    }
    None
}

/// The single `enum` value of property `property` of an inline object schema.
fn single_enum_value(s: &Schema, property: &str) -> Option<String> {
    let SchemaKind::Type(Type::Object(o)) = &s.schema_kind else {
        return None;
    };
    let ReferenceOr::Item(p) = o.properties.get(property)? else {
        return None;
    };
    match &p.schema_kind {
        SchemaKind::Type(Type::String(st)) => match st.enumeration.as_slice() {
            [Some(v)] => Some(v.clone()),
            _ => None,
        },
        _ => None,
    }
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

/// The keyword of an `allOf`/`oneOf`/`anyOf` schema, for JSON pointers into it.
fn composition_keyword(kind: &SchemaKind) -> &'static str {
    match kind {
        SchemaKind::AllOf { .. } => "allOf",
        SchemaKind::AnyOf { .. } => "anyOf",
        _ => "oneOf",
    }
}

/// Every named type a type reference mentions.
fn mentions<'t>(ty: &'t TypeRef, out: &mut Vec<&'t str>) {
    match ty {
        TypeRef::Named(n) => out.push(n),
        TypeRef::Vec(t) | TypeRef::Map(t) | TypeRef::Boxed(t) | TypeRef::Nullable(t) => {
            mentions(t, out)
        }
        _ => {}
    }
}

/// `type A = B; type B = A;` (or `type A = Vec<A>;`) does not compile: an alias may not reach
/// itself through aliases alone. Each such alias becomes `serde_json::Value`, with a warning.
pub(super) fn break_alias_cycles(types: &mut [TypeDef]) -> Vec<Diagnostic> {
    let index: BTreeMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    let mut diags = Vec::new();
    for i in 0..types.len() {
        if !matches!(types[i].kind, TypeKind::Alias(_)) {
            continue;
        }
        // Depth-first through aliases only, looking for `i` again.
        let mut seen = vec![false; types.len()];
        let mut stack = vec![i];
        let mut cyclic = false;
        while let Some(n) = stack.pop() {
            let TypeKind::Alias(ty) = &types[n].kind else {
                continue;
            };
            let mut named = Vec::new();
            mentions(ty, &mut named);
            for m in named {
                let Some(&j) = index.get(m) else { continue };
                if j == i {
                    cyclic = true;
                } else if !std::mem::replace(&mut seen[j], true) {
                    stack.push(j);
                }
            }
        }
        if cyclic {
            diags.push(Diagnostic::warning(
                &types[i].pointer,
                format!(
                    "`{}` is defined only in terms of itself (a cycle of `$ref`s or arrays); it is typed as serde_json::Value",
                    types[i].origin
                ),
            ));
            types[i].kind = TypeKind::Alias(TypeRef::Json);
        }
    }
    diags
}

/// Wrap fields in `Box` where a struct would otherwise contain itself.
pub(super) fn box_recursive(types: &mut [TypeDef]) {
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
            TypeKind::OneOf { variants, .. } => variants
                .iter()
                .filter_map(|(_, ty)| direct(ty).and_then(|n| index.get(n).copied()))
                .collect(),
            TypeKind::Tuple { elements, .. } => elements
                .iter()
                .filter_map(|ty| direct(unwrap_nullable(ty)).and_then(|n| index.get(n).copied()))
                .collect(),
            TypeKind::Alias(ty) => direct(ty)
                .and_then(|n| index.get(n).copied())
                .into_iter()
                .collect(),
            TypeKind::Enum { .. } | TypeKind::Multipart { .. } => Vec::new(),
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
            TypeKind::OneOf { variants, .. } => {
                for (vi, (_, ty)) in variants.iter().enumerate() {
                    if let Some(j) = direct(ty).and_then(|n| index.get(n).copied()) {
                        if reaches(j, i) {
                            boxes.push((i, vi));
                        }
                    }
                }
            }
            TypeKind::Tuple { elements, .. } => {
                for (ei, ty) in elements.iter().enumerate() {
                    if let Some(j) = direct(unwrap_nullable(ty)).and_then(|n| index.get(n).copied())
                    {
                        if reaches(j, i) {
                            boxes.push((i, ei));
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
            TypeKind::OneOf { variants, .. } => {
                let ty = std::mem::replace(&mut variants[k].1, TypeRef::Json);
                variants[k].1 = TypeRef::Boxed(Box::new(ty));
            }
            TypeKind::Tuple { elements, .. } => {
                elements[k] = match std::mem::replace(&mut elements[k], TypeRef::Json) {
                    TypeRef::Nullable(ty) => TypeRef::Nullable(Box::new(TypeRef::Boxed(ty))),
                    ty => TypeRef::Boxed(Box::new(ty)),
                };
            }
            _ => {}
        }
    }
}

/// A tuple element's type without its `Option`: an element is held by value either way.
fn unwrap_nullable(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Nullable(inner) => inner,
        other => other,
    }
}

fn direct(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(n) => Some(n),
        _ => None,
    }
}
