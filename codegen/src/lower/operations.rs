//! Operations: names, parameters in place, request bodies, responses, pagination.

use super::{esc, resolve_component, Lowerer};
use crate::model::*;
use crate::naming::{self, Scope};
use crate::prose;
use indexmap::IndexMap;
use openapiv3::{Parameter, ReferenceOr, StatusCode};
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
        let base = naming::value_name(&op_id);
        let fn_name = fn_scope.unique(base.clone());
        if fn_name != base {
            self.warn(
                ptr,
                format!("operationId `{op_id}` gives the method name `{base}`, which an earlier operation has; this one is `{fn_name}`"),
            );
        }
        let pascal = naming::type_name(&op_id, "Op");
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
            let (resp, rp) =
                match resolve_component(self.doc, resp, &rp, "responses", |c| &c.responses) {
                    Ok(found) => found,
                    Err(e) => {
                        self.warn(&rp, format!("{e}; operation skipped"));
                        return None;
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
                None => match pick_media(&resp.content) {
                    Some((_, _, MediaKind::Text)) => Some(TypeRef::Text),
                    _ => Some(TypeRef::Bytes),
                },
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
            const_name: const_scope.unique(naming::const_name(&op_id)),
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
        })
    }

    /// A request body: JSON first, then form, text or binary content; anything else
    /// (multipart) skips the operation with a warning.
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
                self.warn(bp, format!("operation `{op_id}` skipped: request content types {types:?} are not supported (JSON, form, text and binary are)"));
                return None;
            }
        };
        let mp = format!("{bp}/content/{}", esc(ct));
        let ty = match (&encoding, &media.schema) {
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
                MediaKind::Text | MediaKind::Binary => BodyEncoding::Raw(ct.clone()),
            },
            required: rb.required,
        })
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

/// How a media type is read or written.
enum MediaKind {
    Json,
    Form,
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
