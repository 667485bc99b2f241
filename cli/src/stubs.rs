//! Handler stubs: a complete crate serving bots, slash commands, message actions and functions
//! from the handler rules lowered from the four component specs.
//!
//! Which handler types each component has, which permissions each may request and what fires
//! it all come from [`HandlerRules`] (one per spec: the handler-type enum, its "Allowed values"
//! list and the permissions table), the same lowering that generates `cliq-rules`' table, which
//! the `#[cliq_handler]` macro checks against; each rule is matched to its
//! [`HandlerKind`] there. An extractor per permission is the permission's name in
//! `UpperCamelCase` (`user` → `User`); the extractor of each type's own data comes from the
//! rules crate's one list of them ([`cliq_rules::DATA_EXTRACTORS`]), which the runtime's
//! extractors also read, and what a stub returns from the first reply mode
//! [`cliq_rules::reply_modes`] allows its kind, so a stub names exactly what the runtime
//! offers.
//!
//! Wiring: every function with a button handler gets a button (`Button::invoke(label, item {})`)
//! in the reply of the first stub that answers with a message and is not itself a function
//! (a bot handler, a command or a message action); a function with a submit handler gets a form
//! whose submission invokes it, returned by its view handler and by its button handler (a
//! form function without either gets a button handler that opens its form).

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use cliq_codegen::model::{HandlerRule, HandlerRules};
use cliq_rules::{Component, HandlerKind, ReplyMode};

/// One chosen handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StubHandler {
    /// The rule it follows (from its component's spec).
    pub rule: HandlerRule,
    /// Its kind in the rules crate.
    pub kind: HandlerKind,
    /// Menu action name (bot menu handlers), or the command's, message action's or function's
    /// name.
    pub name: Option<String>,
}

impl StubHandler {
    fn component(&self) -> Component {
        self.kind.component()
    }
}

/// Where the generated crate gets `cliq-webhook` from: a published version, a git repository
/// or a checkout's `webhook/` directory (the same choice as the client's runtime dependency).
pub type Dependency = cliq_codegen::manifest::RuntimeDep;

/// Errors in a handler list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StubError {
    /// A short name that is no handler type.
    #[error("unknown handler `{given}`; known: {known}")]
    UnknownHandler {
        /// What was given.
        given: String,
        /// The accepted short names.
        known: String,
    },
    /// `menu` without a name, or a name too long.
    #[error("menu handler `{0}`: {1}")]
    BadMenu(String, String),
    /// A component without a usable name.
    #[error("{0} `{1}`: {2}")]
    BadName(&'static str, String, String),
    /// A non-menu type given twice, or two menu actions with one name.
    #[error(
        "handler `{0}` given twice (a bot has one handler per type, menu actions uniquely named; a command, message action or function one handler per type)"
    )]
    Duplicate(String),
    /// More menu actions than a bot may have.
    #[error("{0} menu actions; a bot may have at most {1}")]
    TooManyMenus(usize, usize),
    /// A spec rule the rules crate does not know (the binary's specs and `cliq-rules` differ).
    #[error("`{0}` is not in cliq-rules' table; rebuild cargo-cliq")]
    NotInRules(String),
    /// Nothing chosen.
    #[error("no handlers given")]
    Empty,
}

/// The handler rules of a component spec's text (YAML or JSON).
pub fn handler_rules(spec: &str) -> Result<HandlerRules, String> {
    let doc = cliq_codegen::parse_spec(spec).map_err(|e| e.to_string())?;
    let (model, _) = cliq_codegen::lower(&doc, &cliq_codegen::Settings::default());
    model
        .handler_rules
        .ok_or_else(|| "the spec has no handler permissions table".to_owned())
}

/// The component a spec's rules are about.
pub fn component_of(rules: &HandlerRules) -> Option<Component> {
    Component::from_name(&rules.component.name)
}

/// A handler type's short name: `message_handler` → `message`.
pub fn short_type(handler_type: &str) -> &str {
    handler_type
        .strip_suffix("_handler")
        .unwrap_or(handler_type)
}

/// A rule's short name ([`short_type`]).
pub fn short_name(rule: &HandlerRule) -> &str {
    short_type(&rule.handler_type)
}

/// The rules crate's kind of `component`'s handler type `rule`.
fn kind_of(component: Component, rule: &HandlerRule) -> Result<HandlerKind, StubError> {
    cliq_rules::declared(component, &rule.handler_type)
        .map(|r| r.kind)
        .ok_or_else(|| StubError::NotInRules(rule.handler_type.clone()))
}

/// The extractor for a handler kind's own data in `cliq-webhook`
/// ([`cliq_rules::DATA_EXTRACTORS`]).
pub fn data_extractor(kind: HandlerKind) -> Option<&'static str> {
    cliq_rules::data_extractor(kind)
}

/// The test kit's request for a handler of `kind` named `name` (the menu action's, the
/// component's), with sample data: `TestRequest::<builder>(<args>)`.
fn kit_request(kind: HandlerKind, name: &str) -> TokenStream {
    use HandlerKind::*;
    match kind {
        BotMessage => quote!(TestRequest::message("hello")),
        BotMention => quote!(TestRequest::mention("hello")),
        BotWelcome => quote!(TestRequest::welcome()),
        BotContext => quote!(TestRequest::context("context")),
        BotParticipation => quote!(TestRequest::participation("added")),
        BotIncomingWebhook => quote!(TestRequest::incoming_webhook("{}")),
        BotMenu => quote!(TestRequest::menu(#name)),
        BotCall => quote!(TestRequest::call("answered")),
        CommandExecution => quote!(TestRequest::command(#name, "hello")),
        CommandSuggestion => quote!(TestRequest::command_suggestion(#name, "he")),
        MessageActionExecution => quote!(TestRequest::message_action(#name, "hello")),
        FunctionButton => {
            quote!(TestRequest::button(#name, serde_json::Value::from_iter([("id", "42")])))
        }
        FunctionFormSubmit => quote!(TestRequest::form_submit(
            #name,
            #name,
            serde_json::Value::from_iter([("note", "hello")])
        )),
        FunctionFormChange => quote!(TestRequest::form_change(
            #name,
            #name,
            "note",
            serde_json::Value::from("hello")
        )),
        FunctionFormDynamicSelect => {
            quote!(TestRequest::form_dynamic_select(#name, #name, "note", "he"))
        }
        FunctionFormView => quote!(TestRequest::form_view(#name)),
        FunctionWidgetButton => quote!(TestRequest::widget_button(#name, "Open")),
    }
}

/// The extractor for a permission: its name in `UpperCamelCase`.
pub fn permission_extractor(permission: &str) -> String {
    permission.to_upper_camel_case()
}

/// The short names `rules`' component accepts, for error messages.
fn known_names(rules: &HandlerRules) -> String {
    rules
        .handlers
        .iter()
        .map(|r| {
            if r.handler_type == HandlerKind::BotMenu.handler_type() {
                "menu:<action name>".to_owned()
            } else {
                short_name(r).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn find_rule<'r>(rules: &'r HandlerRules, short: &str) -> Option<&'r HandlerRule> {
    rules
        .handlers
        .iter()
        .find(|r| short_name(r) == short || r.handler_type == short)
}

/// Parses a bot's `message,mention,menu:Deploy,…` against the Bots rules.
pub fn parse_handlers(rules: &HandlerRules, list: &str) -> Result<Vec<StubHandler>, StubError> {
    let mut out: Vec<StubHandler> = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (short, menu_name) = match item.split_once(':') {
            Some((s, n)) => (s.trim(), Some(n.trim().to_owned())),
            None => (item, None),
        };
        let rule = find_rule(rules, short).ok_or_else(|| StubError::UnknownHandler {
            given: item.to_owned(),
            known: known_names(rules),
        })?;
        let kind = kind_of(Component::Bot, rule)?;
        let is_menu = kind == HandlerKind::BotMenu;
        match (&menu_name, is_menu) {
            (None, true) => {
                return Err(StubError::BadMenu(
                    item.into(),
                    "give the action's name: `menu:Deploy`".into(),
                ))
            }
            (Some(n), true) if n.is_empty() || n.chars().count() > rules.menu_name_max_chars => {
                return Err(StubError::BadMenu(
                    item.into(),
                    format!(
                        "the name must have 1 to {} characters",
                        rules.menu_name_max_chars
                    ),
                ))
            }
            (Some(_), false) => {
                return Err(StubError::UnknownHandler {
                    given: item.to_owned(),
                    known: known_names(rules),
                })
            }
            _ => {}
        }
        let dup = out
            .iter()
            .any(|h| h.kind == kind && (!is_menu || h.name == menu_name));
        if dup {
            return Err(StubError::Duplicate(item.to_owned()));
        }
        out.push(StubHandler {
            rule: rule.clone(),
            kind,
            name: menu_name,
        });
    }
    let menus = out
        .iter()
        .filter(|h| h.kind == HandlerKind::BotMenu)
        .count();
    if menus > rules.menu_actions_per_bot_max {
        return Err(StubError::TooManyMenus(
            menus,
            rules.menu_actions_per_bot_max,
        ));
    }
    Ok(out)
}

/// Parses one `NAME[:TYPE+TYPE…]` of a command, message action or function against its
/// component's rules; without types, the component's first handler type (its spec's enum
/// order: `execution` for commands and message actions, `button` for functions).
pub fn parse_component(rules: &HandlerRules, item: &str) -> Result<Vec<StubHandler>, StubError> {
    let component = component_of(rules)
        .ok_or_else(|| StubError::NotInRules(format!("component `{}`", rules.component.name)))?;
    let what = component.name();
    let (name, types) = match item.split_once(':') {
        Some((n, t)) => (n.trim(), Some(t)),
        None => (item.trim(), None),
    };
    let ident = name.to_snake_case();
    if ident.is_empty()
        || ident.starts_with(|c: char| c.is_ascii_digit())
        || !ident.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(StubError::BadName(
            what,
            item.to_owned(),
            "the name must start with a letter and have only letters, digits, `-` or `_`".into(),
        ));
    }
    let shorts: Vec<&str> = match types {
        Some(t) => t
            .split('+')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect(),
        None => rules.handlers.first().map(short_name).into_iter().collect(),
    };
    if shorts.is_empty() {
        return Err(StubError::UnknownHandler {
            given: item.to_owned(),
            known: known_names(rules),
        });
    }
    let mut out: Vec<StubHandler> = Vec::new();
    for short in shorts {
        let rule = find_rule(rules, short).ok_or_else(|| StubError::UnknownHandler {
            given: format!("{name}:{short}"),
            known: known_names(rules),
        })?;
        let kind = kind_of(component, rule)?;
        if out.iter().any(|h| h.kind == kind) {
            return Err(StubError::Duplicate(format!("{name}:{short}")));
        }
        out.push(StubHandler {
            rule: rule.clone(),
            kind,
            name: Some(name.to_owned()),
        });
    }
    Ok(out)
}

/// Adds the handlers the wiring needs (a button handler opening a form function's form when
/// the function has no way to open it) and refuses duplicates and an empty list.
pub fn complete(
    mut handlers: Vec<StubHandler>,
    function_rules: Option<&HandlerRules>,
) -> Result<Vec<StubHandler>, StubError> {
    for (i, a) in handlers.iter().enumerate() {
        if a.component() != Component::Bot
            && handlers[..i]
                .iter()
                .any(|b| b.kind == a.kind && b.name == a.name)
        {
            return Err(StubError::Duplicate(format!(
                "{}:{}",
                a.name.as_deref().unwrap_or_default(),
                short_name(&a.rule)
            )));
        }
    }
    if handlers.is_empty() {
        return Err(StubError::Empty);
    }
    let button = function_rules.and_then(|r| {
        r.handlers
            .iter()
            .find(|h| h.handler_type == HandlerKind::FunctionButton.handler_type())
    });
    let mut i = 0;
    while i < handlers.len() {
        let h = &handlers[i];
        if h.kind == HandlerKind::FunctionFormSubmit {
            let opened = handlers.iter().any(|o| {
                o.name == h.name
                    && matches!(
                        o.kind,
                        HandlerKind::FunctionButton | HandlerKind::FunctionFormView
                    )
            });
            if let (false, Some(rule)) = (opened, button) {
                let added = StubHandler {
                    rule: rule.clone(),
                    kind: HandlerKind::FunctionButton,
                    name: h.name.clone(),
                };
                handlers.insert(i, added);
                i += 1;
            }
        }
        i += 1;
    }
    Ok(handlers)
}

/// The Rust function name of a stub: `on_message`, `on_menu_deploy`, `command_deploy` (its
/// execution handler), `command_deploy_suggestion`, `function_approve_button`.
fn function_name(h: &StubHandler, index: usize) -> syn::Ident {
    let clean = |n: &str| -> Option<String> {
        let s: String = n
            .to_snake_case()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        (!s.is_empty() && !s.starts_with(|c: char| c.is_ascii_digit())).then_some(s)
    };
    let short = short_name(&h.rule);
    match (h.component(), &h.name) {
        (Component::Bot, Some(n)) => match clean(n) {
            Some(s) => format_ident!("on_menu_{}", s),
            None => format_ident!("on_menu_{}", index),
        },
        (Component::Bot, None) => format_ident!("on_{}", short),
        (c, n) => {
            let n = n
                .as_deref()
                .and_then(clean)
                .unwrap_or_else(|| index.to_string());
            // A command's or message action's main handler is the component itself.
            if short == "execution" {
                format_ident!("{}_{}", c.name(), n)
            } else {
                format_ident!("{}_{}_{}", c.name(), n, short)
            }
        }
    }
}

/// What a stub returns and answers, from the first reply mode its kind allows.
struct Answer {
    ret: TokenStream,
    body: TokenStream,
    assertion: TokenStream,
    uses: &'static [&'static str],
}

/// A form whose submission invokes the function item `submit`.
fn form(label: &str, name: &str, submit: &syn::Ident) -> TokenStream {
    quote!(Form::new(#label, #name, #submit {}).text_input("note", "Note"))
}

/// The answer of a stub, by its first reply mode ([`cliq_rules::reply_modes`]).
fn answer(h: &StubHandler, plan: &Plan, func: &syn::Ident) -> Answer {
    let kind = h.kind;
    let text = format!("{}: not implemented yet", h.rule.handler_type);
    let name = h.name.as_deref().unwrap_or_default();
    let label = name.to_upper_camel_case();
    let form_assertion = quote! {
        assert_eq!(reply.output_type(), Some("form"), "{:?}", reply.json());
        let submit = reply.json().pointer("/output/action/name");
        assert_eq!(submit.and_then(serde_json::Value::as_str), Some(#name));
    };
    let form_submit = plan
        .form_submit_of(name)
        .filter(|_| h.component() == Component::Function);
    // A function's button opens its form when it has a submit handler.
    if kind == HandlerKind::FunctionButton
        && cliq_rules::reply_modes(kind).contains(&ReplyMode::Form)
    {
        if let Some(submit) = &form_submit {
            return Answer {
                ret: quote!(-> Form),
                body: form(&label, name, submit),
                assertion: form_assertion,
                uses: &["Form"],
            };
        }
    }
    if kind == HandlerKind::BotCall {
        return Answer {
            ret: quote!(),
            body: quote!(),
            assertion: quote!(assert!(reply.is_empty(), "{:?}", reply.json());),
            uses: &[],
        };
    }
    let mode = cliq_rules::reply_modes(kind)
        .first()
        .copied()
        .unwrap_or(ReplyMode::Immediate);
    match mode {
        ReplyMode::Immediate | ReplyMode::Deferred | ReplyMode::FormErrors => {
            let buttons: Vec<TokenStream> = if plan.host == Some(func.clone()) {
                plan.buttons
                    .iter()
                    .map(|(label, item)| quote!(.button(Button::invoke(#label, #item {}))))
                    .collect()
            } else {
                Vec::new()
            };
            let labels: Vec<&str> = if buttons.is_empty() {
                Vec::new()
            } else {
                plan.buttons.iter().map(|(l, _)| l.as_str()).collect()
            };
            let button_check =
                (!labels.is_empty()).then(|| quote!(assert_eq!(reply.buttons(), [#(#labels),*]);));
            Answer {
                ret: quote!(-> Reply),
                body: quote!(Reply::text(#text) #(#buttons)*),
                assertion: quote! {
                    assert_eq!(reply.text(), Some(#text));
                    #button_check
                },
                uses: if labels.is_empty() {
                    &["Reply"]
                } else {
                    &["Reply", "Button"]
                },
            }
        }
        ReplyMode::Form => {
            let submit = form_submit.unwrap_or_else(|| func.clone());
            Answer {
                ret: quote!(-> Form),
                body: form(&label, name, &submit),
                assertion: form_assertion,
                uses: &["Form"],
            }
        }
        ReplyMode::Suggestions => Answer {
            ret: quote!(-> Suggestions),
            body: quote!(Suggestions(Vec::from([Suggestion::new("example").description(#text)]))),
            assertion: quote!(assert_eq!(reply.suggestion_titles(), ["example"]);),
            uses: &["Suggestion", "Suggestions"],
        },
        ReplyMode::FormModification => Answer {
            ret: quote!(-> FormModification),
            body: quote!(FormModification::new()),
            assertion: quote!(assert_eq!(reply.output_type(), Some("form_modification"));),
            uses: &["FormModification"],
        },
        ReplyMode::SelectOptions => Answer {
            ret: quote!(-> SelectOptions),
            body: quote!(SelectOptions::new().option("Example", "example")),
            assertion: quote!(assert_eq!(reply.option_values(), ["example"]);),
            uses: &["SelectOptions"],
        },
    }
}

/// The links between stubs: which stub carries the buttons, which buttons, each form
/// function's submit item.
struct Plan {
    /// The first stub answering with a message that is no function's.
    host: Option<syn::Ident>,
    /// `(label, button handler item)` of each function with a button handler.
    buttons: Vec<(String, syn::Ident)>,
    /// `(function name, submit handler item)`.
    submits: Vec<(String, syn::Ident)>,
}

impl Plan {
    fn new(handlers: &[StubHandler]) -> Plan {
        let mut plan = Plan {
            host: None,
            buttons: Vec::new(),
            submits: Vec::new(),
        };
        for (i, h) in handlers.iter().enumerate() {
            let func = function_name(h, i);
            let name = h.name.clone().unwrap_or_default();
            match h.kind {
                HandlerKind::FunctionButton => {
                    plan.buttons.push((name.to_upper_camel_case(), func));
                }
                HandlerKind::FunctionFormSubmit => plan.submits.push((name, func)),
                k if plan.host.is_none()
                    && k.component() != Component::Function
                    && k != HandlerKind::BotCall
                    && cliq_rules::reply_modes(k).first() == Some(&ReplyMode::Immediate) =>
                {
                    plan.host = Some(func);
                }
                _ => {}
            }
        }
        plan
    }

    fn form_submit_of(&self, name: &str) -> Option<syn::Ident> {
        self.submits
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, f)| f.clone())
    }
}

struct Stub {
    item: TokenStream,
    registration: TokenStream,
    test: TokenStream,
    /// Extractors it names (`cliq_webhook::extract::…`).
    extractors: Vec<String>,
    /// Reply types it names (`cliq_webhook::…`).
    replies: &'static [&'static str],
}

fn stub(h: &StubHandler, index: usize, plan: &Plan) -> Stub {
    let rule = &h.rule;
    let kind = &rule.handler_type;
    let component = h.component();
    let func = function_name(h, index);
    let perms: Vec<syn::Ident> = rule
        .permissions
        .iter()
        .map(|p| format_ident!("{}", p))
        .collect();
    let mut extractors: Vec<String> = Vec::new();
    let mut params = Vec::new();
    for p in &rule.permissions {
        let ty = permission_extractor(p);
        let ident = format_ident!("{}", ty);
        let name = format_ident!("_{}", p);
        params.push(quote!(#name: Option<#ident>));
        extractors.push(ty);
    }
    if let Some(d) = data_extractor(h.kind) {
        let ty = format_ident!("{}", d);
        let name = format_ident!("_{}", d.to_snake_case());
        params.push(quote!(#name: #ty));
        extractors.push(d.to_owned());
    }
    let owner = match component {
        Component::Bot => "bot".to_owned(),
        c => format!(
            "{} `{}`",
            c.name().replace('_', " "),
            h.name.as_deref().unwrap_or_default()
        ),
    };
    let mut doc = vec![rule
        .description
        .clone()
        .unwrap_or_else(|| format!("The {owner}'s `{kind}`."))];
    doc.push(String::new());
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    doc.push(format!(
        "Cliq sends only what `permissions(...)` asks for; this stub asks for every permission {article} `{kind}` may have. Remove those the {owner} does not need."
    ));
    let doc = doc.iter().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    let component_arg = match component {
        Component::Bot => quote!(),
        c => {
            let c = format_ident!("{}", c.name());
            quote!(component = #c,)
        }
    };
    let name_arg = match &h.name {
        Some(n) => quote!(, name = #n),
        None => quote!(),
    };
    let answer = answer(h, plan, &func);
    let (ret, body) = (&answer.ret, &answer.body);
    let item = quote! {
        #(#doc)*
        #[cliq_handler(#component_arg type = #kind, permissions(#(#perms),*) #name_arg)]
        pub async fn #func(#(#params),*) #ret {
            #body
        }
    };
    let request = kit_request(h.kind, h.name.as_deref().unwrap_or_default());
    let test_name = format_ident!("{}_answers", func);
    let assertion = &answer.assertion;
    let test = quote! {
        #[tokio::test]
        async fn #test_name() {
            let app = TestBot::new(app().expect("the handler set follows Cliq's rules"));
            let reply = app.send(#request).await;
            assert_eq!(reply.status(), 200, "{:?}", reply.json());
            #assertion
        }
    };
    Stub {
        item,
        registration: quote!(.handler(#func {})),
        test,
        extractors,
        replies: answer.uses,
    }
}

/// The crate's `Cargo.toml`, built as data (names and paths are escaped by `toml`).
fn crate_cargo_toml(crate_name: &str, dependency: &Dependency) -> String {
    use toml::{Table, Value};
    let mut pkg = Table::new();
    pkg.insert("name".into(), crate_name.into());
    pkg.insert("version".into(), "0.1.0".into());
    pkg.insert("edition".into(), "2021".into());
    pkg.insert("publish".into(), false.into());
    let mut deps = Table::new();
    deps.insert(
        "cliq-webhook".into(),
        Value::Table(cliq_codegen::manifest::source_table(dependency, &[])),
    );
    deps.insert("axum".into(), "0.8".into());
    let mut tokio = Table::new();
    tokio.insert("version".into(), "1".into());
    tokio.insert(
        "features".into(),
        Value::Array(vec![
            "macros".into(),
            "rt-multi-thread".into(),
            "net".into(),
        ]),
    );
    deps.insert("tokio".into(), Value::Table(tokio));
    let mut dev = Table::new();
    dev.insert(
        "cliq-webhook".into(),
        Value::Table(cliq_codegen::manifest::source_table(
            dependency,
            &["testing"],
        )),
    );
    // The tests' sample arguments and form values (`serde_json::json!`).
    dev.insert("serde_json".into(), "1".into());
    let mut doc = Table::new();
    doc.insert("package".into(), Value::Table(pkg));
    doc.insert("dependencies".into(), Value::Table(deps));
    doc.insert("dev-dependencies".into(), Value::Table(dev));
    let body = toml::to_string(&doc).unwrap_or_default();
    format!("{body}\n# A crate of its own, not part of an enclosing workspace.\n[workspace]\n")
}

/// The crate: relative path → contents (`Cargo.toml`, `src/main.rs`, `src/handlers.rs`).
pub fn app_crate(
    crate_name: &str,
    handlers: &[StubHandler],
    dependency: &Dependency,
) -> BTreeMap<String, String> {
    let cargo = crate_cargo_toml(crate_name, dependency);
    let plan = Plan::new(handlers);
    let mut items = Vec::new();
    let mut registrations = Vec::new();
    let mut tests = Vec::new();
    let mut extractors: Vec<String> = Vec::new();
    let mut replies: Vec<&str> = Vec::new();
    for (i, h) in handlers.iter().enumerate() {
        let stub = stub(h, i, &plan);
        items.push(stub.item);
        registrations.push(stub.registration);
        tests.push(stub.test);
        extractors.extend(stub.extractors);
        replies.extend(stub.replies);
    }
    extractors.sort();
    extractors.dedup();
    replies.extend(["App", "BotError", "cliq_handler"]);
    replies.sort_by_key(|r| (r.starts_with(char::is_uppercase), *r));
    replies.dedup();
    let extract_use = (!extractors.is_empty()).then(|| {
        let extractors = extractors.iter().map(|u| format_ident!("{}", u));
        quote!(use cliq_webhook::extract::{#(#extractors),*};)
    });
    let replies = replies.iter().map(|u| format_ident!("{}", u));
    let mut kinds: Vec<&str> = Vec::new();
    for c in Component::ALL {
        if handlers.iter().any(|h| h.component() == *c) {
            kinds.push(match c {
                Component::Bot => "a bot",
                Component::Command => "slash commands",
                Component::MessageAction => "message actions",
                Component::Function => "functions",
            });
        }
    }
    let kinds = match kinds.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    let doc = format!(
        " The handlers of {kinds}, one stub per handler type, generated by `cargo cliq new`. Edit freely."
    );
    let doc = quote! {
        #![doc = #doc]
    };
    let head = quote! {
        #extract_use
        use cliq_webhook::{#(#replies),*};
    };
    let app_fn = quote! {
        /// The app: every handler below, checked against Cliq's rules.
        pub fn app() -> Result<App, BotError> {
            App::builder()
                #(#registrations)*
                .build()
        }
    };
    let test_uses = quote! {
        use super::*;
        use cliq_webhook::testing::{TestBot, TestRequest};
    };
    let test_mod = format!(
        "#[cfg(test)]\nmod tests {{\n{}}}\n",
        indent(&format_items(std::iter::once(test_uses).chain(tests)))
    );
    let handlers_rs = format!(
        "{}\n{test_mod}",
        format_items([doc, head, app_fn].into_iter().chain(items))
    );
    let main_rs = format_items([
        quote! {
            //! Serves the app on axum: `POST /cliq` is the execution URL to give Cliq (for the
            //! bot, each command, message action and function alike). `--print-config` prints
            //! the declared configuration instead, for `cargo cliq diff` and `cargo cliq push`.
        },
        quote! {
            mod handlers;
        },
        quote! {
            #[tokio::main]
            async fn main() -> Result<(), Box<dyn std::error::Error>> {
                let app = handlers::app()?;
                if app.print_config_if_requested() {
                    return Ok(());
                }
                let router = axum::Router::new().route_service("/cliq", app);
                let addr = std::env::var("BIND").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
                let listener = tokio::net::TcpListener::bind(&addr).await?;
                let local = listener.local_addr()?;
                println!("listening on http://{local}/cliq");
                axum::serve(listener, router).await?;
                Ok(())
            }
        },
    ]);
    let mut files = BTreeMap::new();
    files.insert("Cargo.toml".to_owned(), cargo);
    files.insert("src/main.rs".to_owned(), main_rs);
    files.insert("src/handlers.rs".to_owned(), handlers_rs);
    files
}

/// Each group of items formatted on its own and the groups separated by a blank line, as a
/// person would write them (prettyplease puts none between items).
fn format_items(groups: impl IntoIterator<Item = TokenStream>) -> String {
    groups
        .into_iter()
        .map(format_file)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Indents every non-empty line by four spaces (the body of an inline module).
fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_owned()
            } else {
                format!("    {l}\n")
            }
        })
        .collect()
}

fn format_file(tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => tokens.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(n: &str, p: &[&str]) -> HandlerRule {
        HandlerRule {
            handler_type: n.into(),
            table_name: n.into(),
            permissions: p.iter().map(|s| s.to_string()).collect(),
            description: None,
        }
    }

    fn component_rules(name: &str, wire: &str, handlers: Vec<HandlerRule>) -> HandlerRules {
        HandlerRules {
            component: cliq_codegen::model::ComponentName {
                api_path: format!("{wire}s"),
                wire: wire.into(),
                name: name.into(),
            },
            permissions_source: cliq_codegen::model::PermissionsSource::Table {
                pointer: String::new(),
            },
            permissions: vec!["chat".into(), "user".into()],
            handlers,
            max_permissions: 5,
            menu_name_max_chars: 15,
            menu_sub_actions_max: 5,
            menu_sub_action_name_max_chars: 15,
            menu_actions_per_bot_max: 5,
        }
    }

    fn rules() -> HandlerRules {
        component_rules(
            "bot",
            "bot",
            vec![
                rule("message_handler", &["chat", "user"]),
                rule("menu_handler", &["chat"]),
            ],
        )
    }

    fn functions() -> HandlerRules {
        component_rules(
            "function",
            "function",
            vec![
                rule("button_handler", &["user"]),
                rule("form_submit_handler", &["user"]),
                rule("form_view_handler", &["user"]),
            ],
        )
    }

    fn commands() -> HandlerRules {
        component_rules(
            "command",
            "command",
            vec![
                rule("execution_handler", &["user"]),
                rule("suggestion_handler", &["user"]),
            ],
        )
    }

    #[test]
    fn handler_lists() {
        let r = rules();
        let hs = parse_handlers(&r, "message, menu:Deploy").unwrap();
        assert_eq!(hs.len(), 2);
        assert_eq!(hs[1].name.as_deref(), Some("Deploy"));
        assert_eq!(hs[1].kind, HandlerKind::BotMenu);
        assert!(matches!(
            parse_handlers(&r, "nope"),
            Err(StubError::UnknownHandler { .. })
        ));
        assert!(matches!(
            parse_handlers(&r, "menu"),
            Err(StubError::BadMenu(..))
        ));
        assert!(matches!(
            parse_handlers(&r, "menu:ThisNameIsTooLong"),
            Err(StubError::BadMenu(..))
        ));
        assert!(matches!(
            parse_handlers(&r, "message,message"),
            Err(StubError::Duplicate(_))
        ));
        assert!(parse_handlers(&r, "menu:A,menu:B").is_ok());
        assert!(matches!(complete(Vec::new(), None), Err(StubError::Empty)));
        let err = parse_handlers(&r, "x").unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown handler `x`; known: message, menu:<action name>"
        );
    }

    #[test]
    fn component_lists() {
        let c = commands();
        let hs = parse_component(&c, "deploy").unwrap();
        assert_eq!(hs.len(), 1);
        assert_eq!(hs[0].kind, HandlerKind::CommandExecution, "the first type");
        assert_eq!(hs[0].name.as_deref(), Some("deploy"));
        let hs = parse_component(&c, "deploy:execution+suggestion").unwrap();
        assert_eq!(hs[1].kind, HandlerKind::CommandSuggestion);
        assert_eq!(
            parse_component(&c, "deploy:button")
                .unwrap_err()
                .to_string(),
            "unknown handler `deploy:button`; known: execution, suggestion"
        );
        assert!(matches!(
            parse_component(&c, "deploy:execution+execution"),
            Err(StubError::Duplicate(_))
        ));
        assert!(matches!(
            parse_component(&c, "9lives"),
            Err(StubError::BadName(..))
        ));
        let twice = [
            parse_component(&c, "deploy").unwrap(),
            parse_component(&c, "deploy").unwrap(),
        ]
        .concat();
        assert!(matches!(
            complete(twice, None),
            Err(StubError::Duplicate(_))
        ));
        // A form function gets the button handler that opens its form.
        let f = functions();
        let hs = complete(
            parse_component(&f, "approve:form_submit").unwrap(),
            Some(&f),
        )
        .unwrap();
        let kinds: Vec<_> = hs.iter().map(|h| h.kind).collect();
        assert_eq!(
            kinds,
            [HandlerKind::FunctionButton, HandlerKind::FunctionFormSubmit]
        );
        // …not when its view handler opens it.
        let hs = complete(
            parse_component(&f, "approve:form_view+form_submit").unwrap(),
            Some(&f),
        )
        .unwrap();
        assert_eq!(hs.len(), 2);
    }

    #[test]
    fn crate_files() {
        let r = rules();
        let hs = parse_handlers(&r, "message,menu:Deploy").unwrap();
        let files = app_crate("my-bot", &hs, &Dependency::Path("/x/webhook".into()));
        let cargo: toml::Table = files["Cargo.toml"].parse().unwrap();
        assert_eq!(cargo["package"]["name"].as_str(), Some("my-bot"));
        assert_eq!(
            cargo["dependencies"]["cliq-webhook"]["path"].as_str(),
            Some("/x/webhook")
        );
        assert_eq!(
            cargo["dev-dependencies"]["cliq-webhook"]["features"][0].as_str(),
            Some("testing")
        );
        assert!(cargo["workspace"].as_table().unwrap().is_empty());
        let h = &files["src/handlers.rs"];
        assert!(
            h.contains("#[cliq_handler(type = \"message_handler\", permissions(chat, user))]"),
            "{h}"
        );
        assert!(h.contains("pub async fn on_menu_deploy(_chat: Option<Chat>, _menu_action: MenuAction) -> Reply"), "{h}");
        assert!(h.contains("TestRequest::menu(\"Deploy\")"), "{h}");
        // A blank line after every item, at the top level and in `mod tests`.
        for w in h.lines().collect::<Vec<_>>().windows(2) {
            let closes_item = matches!(w[0], "}" | "    }");
            assert!(
                !closes_item || w[1].is_empty() || w[1].trim() == "}",
                "no blank line after an item: {w:?}\n{h}"
            );
        }
        let main = &files["src/main.rs"];
        assert!(
            main.contains("push`.\n\nmod handlers;\n\n#[tokio::main]"),
            "{main}"
        );
        assert!(h.contains("Edit freely.\n\nuse "), "{h}");
        let git = app_crate(
            "b",
            &hs,
            &Dependency::Git {
                url: "https://g/x".into(),
                rev: Some("v1".into()),
            },
        );
        let cargo: toml::Table = git["Cargo.toml"].parse().unwrap();
        let dep = &cargo["dependencies"]["cliq-webhook"];
        assert_eq!(dep["git"].as_str(), Some("https://g/x"));
        assert_eq!(dep["rev"].as_str(), Some("v1"));
        // Names and paths that need escaping stay one TOML string.
        let odd = app_crate("b", &hs, &Dependency::Path("C:\\x\"y\n".into()));
        let cargo: toml::Table = odd["Cargo.toml"].parse().unwrap();
        assert_eq!(
            cargo["dependencies"]["cliq-webhook"]["path"].as_str(),
            Some("C:\\x\"y\n")
        );
    }

    #[test]
    fn functions_are_wired() {
        let f = functions();
        let mut hs = parse_handlers(&rules(), "message").unwrap();
        hs.extend(parse_component(&commands(), "deploy:suggestion").unwrap());
        hs.extend(parse_component(&f, "approve:button+form_submit").unwrap());
        hs.extend(parse_component(&f, "survey:form_view+form_submit").unwrap());
        let hs = complete(hs, Some(&f)).unwrap();
        let files = app_crate("app", &hs, &Dependency::Path("/x/webhook".into()));
        let h = &files["src/handlers.rs"];
        for expected in [
            // The bot's message stub carries the button invoking `approve`, by its item.
            ".button(Button::invoke(\"Approve\", function_approve_button {}))",
            "assert_eq!(reply.buttons(), [\"Approve\"]);",
            // The button opens the function's form, whose submission is the function.
            "_button_click: ButtonClick,\n) -> Form {",
            "Form::new(\"Approve\", \"approve\", function_approve_form_submit {})",
            // The view handler returns the form of its function.
            "Form::new(\"Survey\", \"survey\", function_survey_form_submit {})",
            "    component = function,\n    type = \"form_submit_handler\",\n    permissions(user),\n    name = \"approve\"\n)]",
            "    component = command,\n    type = \"suggestion_handler\",\n    permissions(user),\n    name = \"deploy\"\n)]",
            "-> Suggestions {",
            "serde_json::Value::from_iter([(\"note\", \"hello\")])",
            "assert_eq!(submit.and_then(serde_json::Value::as_str), Some(\"approve\"));",
            "pub fn app() -> Result<App, BotError> {",
        ] {
            assert!(h.contains(expected), "missing {expected:?} in:\n{h}");
        }
    }
}
