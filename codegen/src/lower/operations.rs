//! Operations: names, parameters in place, request bodies, responses, pagination.

use super::lowerer::{esc, resolve_component, Lowerer};
use crate::model::*;
use crate::naming::{self, Scope};
use crate::prose;
use indexmap::IndexMap;
use openapiv3::{
    Parameter, ReferenceOr, SchemaKind, StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::collections::BTreeSet;

impl Lowerer<'_> {
    pub(super) fn operations(&mut self) -> Vec<Operation> {
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
                    &item_ptr,
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
        // Stream methods are named after every operation, so an operation of the spec keeps
        // its own name and the generated `*_stream` method gives way.
        for op in &mut ops {
            if let Some(pg) = &mut op.pagination {
                pg.stream_fn =
                    fn_scope.unique(format!("{}_stream", op.fn_name.trim_start_matches("r#")));
            }
        }
        ops
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn operation(
        &mut self,
        path: &str,
        method: Method,
        item_ptr: &str,
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
        // The method's words by `naming::operation_words`' rule; the id stays in the metadata.
        let words = naming::operation_words(&op_id, op.summary.as_deref()).join(" ");
        let base = naming::value_name(&words);
        let fn_name = fn_scope.unique(base.clone());
        if fn_name != base {
            self.warn(
                ptr,
                format!("operationId `{op_id}` gives the method name `{base}`, which an earlier operation has; this one is `{fn_name}`"),
            );
        }
        let pascal = naming::type_name(&words, "Op");
        // Each description is converted once: its Markdown and the facts in its prose.
        let described = prose::describe(op.description.as_deref().unwrap_or_default());
        for problem in &described.problems {
            self.warn(&format!("{ptr}/description"), problem.clone());
        }
        let doc = {
            let mut parts = Vec::new();
            if let Some(s) = &op.summary {
                parts.push(prose::to_doc_markdown(s));
            }
            parts.extend(described.doc.clone());
            if parts.is_empty() {
                parts.push(crate::docs::operation_fallback(
                    &format!("{method:?}"),
                    path,
                    &op_id,
                ));
            }
            Some(parts.join("\n\n"))
        };

        let params = self.operation_params(path, item_ptr, shared_params, op, ptr, &pascal)?;

        // Body.
        let body = match &op.request_body {
            None => None,
            Some(rb) => {
                let (rb, bp) = match resolve_component(
                    self.doc,
                    rb,
                    &format!("{ptr}/requestBody"),
                    "requestBodies",
                    |c| &c.request_bodies,
                ) {
                    Ok(found) => found,
                    Err(e) => {
                        self.warn(
                            &format!("{ptr}/requestBody"),
                            format!("{e}; operation skipped"),
                        );
                        return None;
                    }
                };
                Some(self.request_body(rb, &bp, &pascal, &op_id)?)
            }
        };

        // Responses: 2xx are successes, and so is `default` when no 2xx is declared; 4xx,
        // 5xx and (otherwise) `default` are typed error bodies.
        let declares_success = op.responses.responses.keys().any(|s| match s {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        });
        let listed = op
            .responses
            .responses
            .iter()
            .map(|(status, resp)| {
                let m = match status {
                    StatusCode::Code(c) => StatusMatch::Code(*c),
                    StatusCode::Range(r) => StatusMatch::Range(*r),
                };
                (m, status.to_string(), resp)
            })
            .chain(
                op.responses
                    .default
                    .iter()
                    .map(|resp| (StatusMatch::Default, "default".to_string(), resp)),
            );
        let mut successes: Vec<(u16, Option<TypeRef>)> = Vec::new();
        let mut errors: Vec<(StatusMatch, TypeRef)> = Vec::new();
        for (m, label, resp) in listed {
            let success = match m {
                StatusMatch::Code(c) => (200..300).contains(&c),
                StatusMatch::Range(r) => r == 2,
                StatusMatch::Default => !declares_success,
            };
            let failure = match m {
                StatusMatch::Code(c) => c >= 400,
                StatusMatch::Range(r) => r >= 4,
                StatusMatch::Default => declares_success,
            };
            if !success && !failure {
                continue;
            }
            let rp = format!("{ptr}/responses/{}", esc(&label));
            let (resp, rp) =
                match resolve_component(self.doc, resp, &rp, "responses", |c| &c.responses) {
                    Ok(found) => found,
                    Err(e) if success => {
                        self.warn(&rp, format!("{e}; operation skipped"));
                        return None;
                    }
                    Err(e) => {
                        self.warn(&rp, format!("{e}; the error body is not typed"));
                        continue;
                    }
                };
            if success {
                let code = match m {
                    StatusMatch::Code(c) => c,
                    _ => 200,
                };
                let hint = match m {
                    StatusMatch::Code(c) if c != 200 => format!("{pascal}Response{c}"),
                    _ => format!("{pascal}Response"),
                };
                let ty = self.response_type(resp, &rp, &hint, true);
                successes.push((code, ty));
            } else {
                let hint = match m {
                    StatusMatch::Code(c) => format!("{pascal}Error{c}"),
                    StatusMatch::Range(r) => format!("{pascal}Error{r}xx"),
                    StatusMatch::Default => format!("{pascal}ErrorDefault"),
                };
                if let Some(ty) = self.response_type(resp, &rp, &hint, false) {
                    errors.push((m, ty));
                }
            }
        }
        let error_body = self.error_body(errors, &pascal);
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

        let (error_codes, rate_limit) =
            self.prose_facts(described.error_codes, described.rate_limit);
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

        let params_struct =
            (!params.other.is_empty()).then(|| self.scope.unique(format!("{pascal}Params")));
        let pagination = self.pagination(&params.other, &response);
        Some(Operation {
            fn_name,
            const_name: const_scope.unique(naming::const_name(&words)),
            error_enum: self.scope.unique(format!("{pascal}ErrorCode")),
            params_struct,
            operation_id: op_id,
            method,
            path: path.to_string(),
            segments: params.segments,
            doc,
            path_params: params.path,
            query: params.other,
            body,
            response,
            error_codes,
            scopes,
            rate_limit,
            pagination,
            error_body,
        })
    }

    /// The type of a response body: JSON as its schema's type; text and binary (successes
    /// only) as `String` and `Vec<u8>`; `None` for no body.
    fn response_type(
        &mut self,
        resp: &openapiv3::Response,
        rp: &str,
        hint: &str,
        raw: bool,
    ) -> Option<TypeRef> {
        match json_media(&resp.content) {
            Some((ct, media)) => {
                let mp = format!("{rp}/content/{}", esc(ct));
                let ty = match &media.schema {
                    Some(s) => self.schema_ref_type(s, hint, &format!("{mp}/schema")),
                    None => TypeRef::Json,
                };
                self.collect_examples(media, &ty, &mp);
                Some(ty)
            }
            None if resp.content.is_empty() || !raw => None,
            None => match pick_media(&resp.content) {
                Some((_, _, MediaKind::Text)) => Some(TypeRef::Text),
                _ => Some(TypeRef::Bytes),
            },
        }
    }

    /// The typed error bodies: one type for every status, or an enum by status (codes, then
    /// classes, then `default`).
    fn error_body(
        &mut self,
        mut cases: Vec<(StatusMatch, TypeRef)>,
        pascal: &str,
    ) -> Option<ErrorBody> {
        if cases.is_empty() {
            return None;
        }
        cases.sort_by_key(|(m, _)| match m {
            StatusMatch::Code(c) => (0, *c),
            StatusMatch::Range(r) => (1, *r),
            StatusMatch::Default => (2, 0),
        });
        let same = cases.windows(2).all(|w| w[0].1 == w[1].1);
        let enum_name = (!same).then(|| self.scope.unique(format!("{pascal}ErrorBody")));
        let cases = cases
            .into_iter()
            .map(|(m, ty)| {
                let variant = match m {
                    StatusMatch::Code(c) => format!("Status{c}"),
                    StatusMatch::Range(r) => format!("Status{r}xx"),
                    StatusMatch::Default => "Default".to_string(),
                };
                (m, variant, ty)
            })
            .collect();
        Some(ErrorBody { enum_name, cases })
    }

    /// A request body: JSON first, then form, multipart, text or binary content; anything
    /// else skips the operation with a warning.
    fn request_body(
        &mut self,
        rb: &openapiv3::RequestBody,
        bp: &str,
        pascal: &str,
        op_id: &str,
    ) -> Option<Body> {
        let (ct, media, encoding) = match pick_media(&rb.content) {
            Some(found) => found,
            None => {
                let types: Vec<&str> = rb.content.keys().map(String::as_str).collect();
                self.warn(bp, format!("operation `{op_id}` skipped: request content types {types:?} are not supported (JSON, form, multipart, text and binary are)"));
                return None;
            }
        };
        let mp = format!("{bp}/content/{}", esc(ct));
        let ty = match (&encoding, &media.schema) {
            // No declared parts: the caller builds the form (`TypeRef::Json` says so).
            (MediaKind::Multipart, schema) => self
                .multipart_type(schema.as_ref(), pascal, &mp)
                .unwrap_or(TypeRef::Json),
            (MediaKind::Text, _) => TypeRef::Text,
            (MediaKind::Binary, _) => TypeRef::Bytes,
            (_, Some(s)) => {
                self.schema_ref_type(s, &format!("{pascal}Body"), &format!("{mp}/schema"))
            }
            (_, None) => TypeRef::Json,
        };
        if matches!(encoding, MediaKind::Json) {
            self.collect_examples(media, &ty, &mp);
        }
        Some(Body {
            ty,
            encoding: match encoding {
                MediaKind::Json => BodyEncoding::Json,
                MediaKind::Form => BodyEncoding::Form,
                MediaKind::Multipart => BodyEncoding::Multipart,
                MediaKind::Text | MediaKind::Binary => BodyEncoding::Raw(ct.clone()),
            },
            required: rb.required,
        })
    }

    /// The struct of a `multipart/form-data` body: one field per part, `format: binary`
    /// strings (and arrays of them) as files. `None` unless the schema is an object with
    /// properties (then the caller passes the runtime's `Multipart` form).
    fn multipart_type(
        &mut self,
        schema: Option<&ReferenceOr<openapiv3::Schema>>,
        pascal: &str,
        mp: &str,
    ) -> Option<TypeRef> {
        let doc = self.doc;
        let (schema, pointer, origin) = match schema? {
            ReferenceOr::Reference { reference } => (
                super::schemas::component_schema(doc, reference)?,
                reference.clone(),
                reference.rsplit('/').next().unwrap_or_default().to_string(),
            ),
            ReferenceOr::Item(s) => (s, format!("{mp}/schema"), format!("{pascal}Form")),
        };
        let (properties, required) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required),
            SchemaKind::Any(a) => (&a.properties, &a.required),
            _ => return None,
        };
        if properties.is_empty() {
            return None;
        }
        let name = self
            .scope
            .unique(naming::inline_type_name(&format!("{pascal}Form"), "Type"));
        // Typed as an object, then each binary property (or array of them) becomes a file.
        let TypeKind::Struct { mut fields, .. } =
            self.struct_kind(&name, properties, required, None, &pointer)
        else {
            return None;
        };
        for (field, prop) in fields.iter_mut().zip(properties.values()) {
            let file = match prop {
                ReferenceOr::Reference { reference } => {
                    super::schemas::component_schema(doc, reference).is_some_and(is_binary)
                }
                ReferenceOr::Item(s) => is_binary(s),
            };
            let files = matches!(prop, ReferenceOr::Item(s) if matches!(
                &s.schema_kind,
                SchemaKind::Type(Type::Array(a)) if matches!(&a.items, Some(ReferenceOr::Item(i)) if is_binary(i))
            ));
            if file {
                field.ty = TypeRef::File;
            } else if files {
                field.ty = TypeRef::Vec(Box::new(TypeRef::File));
            }
        }
        self.types.push(TypeDef {
            name: name.clone(),
            origin,
            pointer,
            doc: prose::doc_of(schema.schema_data.description.as_deref()),
            kind: TypeKind::Multipart { fields },
        });
        Some(TypeRef::Named(name))
    }

    pub(super) fn collect_examples(
        &mut self,
        media: &openapiv3::MediaType,
        ty: &TypeRef,
        pointer: &str,
    ) {
        if media.example.is_some() {
            self.examples.push(Example {
                pointer: format!("{pointer}/example"),
                ty: ty.clone(),
            });
        }
        for (name, ex) in &media.examples {
            // `$ref: '#/components/examples/…'` is followed to the shared example.
            let at = format!("{pointer}/examples/{}", esc(name));
            match resolve_component(self.doc, ex, &at, "examples", |c| &c.examples) {
                Ok((ex, at)) if ex.value.is_some() => self.examples.push(Example {
                    pointer: format!("{at}/value"),
                    ty: ty.clone(),
                }),
                Ok(_) => {}
                Err(e) => self.warn(&at, format!("{e}; the example is not checked")),
            }
        }
    }

    /// `next_token` pagination: a `next_token` query parameter and a response with a
    /// `next_token` field and one array field holding the items.
    pub(super) fn pagination(&self, query: &[Param], response: &Response) -> Option<Pagination> {
        let token_param = query.iter().find(|p| {
            p.wire_name == "next_token"
                && p.location == ParamLocation::Query
                && matches!(
                    p.ty,
                    TypeRef::String | TypeRef::Int(_) | TypeRef::Float | TypeRef::Bool
                )
        })?;
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
            token_type: token_param.ty.clone(),
            // Named in `operations`, once every operation has its name.
            stream_fn: String::new(),
        })
    }
}

pub(super) fn json_media(
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

/// Whether a schema is a file: `type: string, format: binary`.
fn is_binary(s: &openapiv3::Schema) -> bool {
    matches!(
        &s.schema_kind,
        SchemaKind::Type(Type::String(st))
            if st.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
    )
}

/// How a media type is read or written.
enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
}

/// The content the client uses: JSON first, then form, text, binary.
fn pick_media(
    content: &IndexMap<String, openapiv3::MediaType>,
) -> Option<(&String, &openapiv3::MediaType, MediaKind)> {
    if let Some((ct, m)) = json_media(content) {
        return Some((ct, m, MediaKind::Json));
    }
    let base = |ct: &str| {
        ct.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    let find = |pred: &dyn Fn(&str) -> bool| content.iter().find(|(ct, _)| pred(&base(ct)));
    if let Some((ct, m)) = find(&|c| c == "application/x-www-form-urlencoded") {
        return Some((ct, m, MediaKind::Form));
    }
    if let Some((ct, m)) = find(&|c| c == "multipart/form-data") {
        return Some((ct, m, MediaKind::Multipart));
    }
    if let Some((ct, m)) = find(&|c| c.starts_with("text/")) {
        return Some((ct, m, MediaKind::Text));
    }
    find(&|c| {
        c == "application/octet-stream"
            || c.starts_with("image/")
            || c.starts_with("audio/")
            || c.starts_with("video/")
            || c == "application/pdf"
            || c == "application/zip"
    })
    .map(|(ct, m)| (ct, m, MediaKind::Binary))
}
