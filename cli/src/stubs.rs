//! Handler stubs: a complete bot crate from the handler rules lowered from the Bots spec.
//!
//! Which handler types exist, which permissions each may request and what fires it all come
//! from [`HandlerRules`] (the `HANDLER_TYPE` enum, its "Allowed values" list and the
//! permissions table). An extractor per permission is the permission's name in
//! `UpperCamelCase` (`user` → `User`); the extractor of each type's own data comes from the
//! rules crate's one list of them ([`cliq_rules::DATA_EXTRACTORS`]), which the runtime's
//! extractors also read, so a stub names exactly what the runtime offers.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use cliq_codegen::model::{HandlerRule, HandlerRules};

/// One chosen handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StubHandler {
    /// The rule it follows.
    pub rule: HandlerRule,
    /// Menu action name (menu handlers).
    pub menu_name: Option<String>,
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
    /// A non-menu type given twice, or two menu actions with one name.
    #[error(
        "handler `{0}` given twice (a bot has one handler per type, menu actions uniquely named)"
    )]
    Duplicate(String),
    /// More menu actions than a bot may have.
    #[error("{0} menu actions; a bot may have at most {1}")]
    TooManyMenus(usize, usize),
    /// Nothing chosen.
    #[error("no handlers given")]
    Empty,
}

/// The handler rules of a Bots spec's text (YAML or JSON).
pub fn handler_rules(spec: &str) -> Result<HandlerRules, String> {
    let doc = cliq_codegen::parse_spec(spec).map_err(|e| e.to_string())?;
    let (model, _) = cliq_codegen::lower(&doc, &cliq_codegen::Settings::default());
    model
        .handler_rules
        .ok_or_else(|| "the spec has no handler permissions table".to_owned())
}

/// A handler type's short name: `message_handler` → `message`.
pub fn short_name(rule: &HandlerRule) -> &str {
    rule.handler_type
        .strip_suffix("_handler")
        .unwrap_or(&rule.handler_type)
}

/// The extractor for a bot handler type's own data in `cliq-webhook`
/// ([`cliq_rules::DATA_EXTRACTORS`]).
pub fn data_extractor(handler_type: &str) -> Option<&'static str> {
    cliq_rules::declared(cliq_rules::Component::Bot, handler_type)
        .and_then(|r| cliq_rules::data_extractor(r.kind))
}

/// A sample argument for the test kit's request builder of a handler type
/// (`TestRequest::<short name>(<arg>)`; the menu's is its action name).
fn kit_sample(handler_type: &str) -> &'static str {
    match handler_type {
        "welcome_handler" | "menu_handler" => "",
        "context_handler" => "\"context\"",
        "participation_handler" => "\"added\"",
        "incoming_webhook_handler" => "\"{}\"",
        "call_handler" => "\"answered\"",
        _ => "\"hello\"",
    }
}

/// The extractor for a permission: its name in `UpperCamelCase`.
pub fn permission_extractor(permission: &str) -> String {
    permission.to_upper_camel_case()
}

/// Parses `message,mention,menu:Deploy,…` against the rules.
pub fn parse_handlers(rules: &HandlerRules, list: &str) -> Result<Vec<StubHandler>, StubError> {
    let known = || {
        rules
            .handlers
            .iter()
            .map(|r| {
                if r.handler_type == "menu_handler" {
                    "menu:<action name>".to_owned()
                } else {
                    short_name(r).to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out: Vec<StubHandler> = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (short, menu_name) = match item.split_once(':') {
            Some((s, n)) => (s.trim(), Some(n.trim().to_owned())),
            None => (item, None),
        };
        let rule = rules
            .handlers
            .iter()
            .find(|r| short_name(r) == short || r.handler_type == short)
            .ok_or_else(|| StubError::UnknownHandler {
                given: item.to_owned(),
                known: known(),
            })?;
        let is_menu = rule.handler_type == "menu_handler";
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
                    known: known(),
                })
            }
            _ => {}
        }
        let dup = out.iter().any(|h| {
            h.rule.handler_type == rule.handler_type && (!is_menu || h.menu_name == menu_name)
        });
        if dup {
            return Err(StubError::Duplicate(item.to_owned()));
        }
        out.push(StubHandler {
            rule: rule.clone(),
            menu_name,
        });
    }
    let menus = out.iter().filter(|h| h.menu_name.is_some()).count();
    if menus > rules.menu_actions_per_bot_max {
        return Err(StubError::TooManyMenus(
            menus,
            rules.menu_actions_per_bot_max,
        ));
    }
    if out.is_empty() {
        return Err(StubError::Empty);
    }
    Ok(out)
}

/// The Rust function name of a stub: `on_message`, `on_menu_deploy`.
fn function_name(h: &StubHandler, index: usize) -> syn::Ident {
    let base = match &h.menu_name {
        Some(n) => {
            let s = n.to_snake_case();
            let s: String = s
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
                format!("menu_{index}")
            } else {
                format!("menu_{s}")
            }
        }
        None => short_name(&h.rule).to_owned(),
    };
    format_ident!("on_{}", base)
}

fn stub(h: &StubHandler, index: usize) -> (TokenStream, TokenStream, TokenStream) {
    let rule = &h.rule;
    let kind = &rule.handler_type;
    let func = function_name(h, index);
    let perms: Vec<syn::Ident> = rule
        .permissions
        .iter()
        .map(|p| format_ident!("{}", p))
        .collect();
    let mut params = Vec::new();
    for p in &rule.permissions {
        let ty = format_ident!("{}", permission_extractor(p));
        let name = format_ident!("_{}", p);
        params.push(quote!(#name: Option<#ty>));
    }
    let sample = kit_sample(kind);
    if let Some(d) = data_extractor(kind) {
        let ty = format_ident!("{}", d);
        let name = format_ident!("_{}", d.to_snake_case());
        params.push(quote!(#name: #ty));
    }
    let mut doc = vec![rule
        .description
        .clone()
        .unwrap_or_else(|| format!("The bot's `{kind}`."))];
    doc.push(String::new());
    doc.push(format!(
        "Cliq sends only what `permissions(...)` asks for; this stub asks for every permission a `{kind}` may have. Remove those the bot does not need."
    ));
    let doc = doc.iter().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    let menu_args = match &h.menu_name {
        Some(n) => quote!(, name = #n),
        None => quote!(),
    };
    let is_call = kind == "call_handler";
    let (ret, body) = if is_call {
        (quote!(), quote!())
    } else {
        let text = format!("{kind}: not implemented yet");
        (quote!(-> Reply), quote!(Reply::text(#text)))
    };
    let item = quote! {
        #(#doc)*
        #[cliq_handler(type = #kind, permissions(#(#perms),*) #menu_args)]
        pub async fn #func(#(#params),*) #ret {
            #body
        }
    };
    let short = format_ident!("{}", short_name(rule));
    let arg: TokenStream = match &h.menu_name {
        Some(n) => quote!(#n),
        None => sample.parse().unwrap_or_default(),
    };
    let test_name = format_ident!("{}_answers", func);
    let assertion = if is_call {
        quote!(assert!(reply.is_empty(), "{:?}", reply.json());)
    } else {
        let text = format!("{kind}: not implemented yet");
        quote!(assert_eq!(reply.text(), Some(#text));)
    };
    let test = quote! {
        #[tokio::test]
        async fn #test_name() {
            let bot = TestBot::new(bot().expect("the handler set follows Cliq's rules"));
            let reply = bot.send(TestRequest::#short(#arg)).await;
            assert_eq!(reply.status(), 200, "{:?}", reply.json());
            #assertion
        }
    };
    (item, quote!(.handler(#func {})), test)
}

/// The bot crate's `Cargo.toml`, built as data (names and paths are escaped by `toml`).
fn bot_cargo_toml(crate_name: &str, dependency: &Dependency) -> String {
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
    let mut doc = Table::new();
    doc.insert("package".into(), Value::Table(pkg));
    doc.insert("dependencies".into(), Value::Table(deps));
    doc.insert("dev-dependencies".into(), Value::Table(dev));
    let body = toml::to_string(&doc).unwrap_or_default();
    format!("{body}\n# A bot crate of its own, not part of an enclosing workspace.\n[workspace]\n")
}

/// The bot crate: relative path → contents (`Cargo.toml`, `src/main.rs`, `src/handlers.rs`).
pub fn bot_crate(
    crate_name: &str,
    handlers: &[StubHandler],
    dependency: &Dependency,
) -> BTreeMap<String, String> {
    let cargo = bot_cargo_toml(crate_name, dependency);
    let mut items = Vec::new();
    let mut registrations = Vec::new();
    let mut tests = Vec::new();
    let mut uses: Vec<String> = Vec::new();
    for (i, h) in handlers.iter().enumerate() {
        let (item, reg, test) = stub(h, i);
        items.push(item);
        registrations.push(reg);
        tests.push(test);
        uses.extend(h.rule.permissions.iter().map(|p| permission_extractor(p)));
        if let Some(d) = data_extractor(&h.rule.handler_type) {
            uses.push(d.to_owned());
        }
    }
    uses.sort();
    uses.dedup();
    let uses = uses.iter().map(|u| format_ident!("{}", u));
    let needs_reply = handlers
        .iter()
        .any(|h| h.rule.handler_type != "call_handler");
    let reply_use = needs_reply.then(|| {
        quote!(
            use cliq_webhook::Reply;
        )
    });
    let doc = quote! {
        //! The bot's handlers, one per handler type, generated by `cargo cliq new`. Edit freely.
    };
    let head = quote! {
        use cliq_webhook::extract::{#(#uses),*};
        use cliq_webhook::{cliq_handler, Bot, BotError};
        #reply_use
    };
    let bot_fn = quote! {
        /// The bot: every handler below, checked against Cliq's rules.
        pub fn bot() -> Result<Bot, BotError> {
            Bot::builder()
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
        format_items([doc, head, bot_fn].into_iter().chain(items))
    );
    let main_rs = format_items([
        quote! {
            //! Serves the bot on axum: `POST /cliq` is the execution URL to give Cliq.
            //! `--print-config` prints the handler configuration instead, for `cargo cliq diff`
            //! and `cargo cliq push`.
        },
        quote! {
            mod handlers;
        },
        quote! {
            #[tokio::main]
            async fn main() -> Result<(), Box<dyn std::error::Error>> {
                let bot = handlers::bot()?;
                if bot.print_config_if_requested() {
                    return Ok(());
                }
                let app = axum::Router::new().route_service("/cliq", bot);
                let addr = std::env::var("BIND").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
                let listener = tokio::net::TcpListener::bind(&addr).await?;
                let local = listener.local_addr()?;
                println!("bot listening on http://{local}/cliq");
                axum::serve(listener, app).await?;
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

    fn rules() -> HandlerRules {
        let rule = |n: &str, p: &[&str]| HandlerRule {
            handler_type: n.into(),
            table_name: n.into(),
            permissions: p.iter().map(|s| s.to_string()).collect(),
            description: None,
        };
        HandlerRules {
            component: cliq_codegen::model::ComponentName {
                api_path: "bots".into(),
                wire: "bot".into(),
                name: "bot".into(),
            },
            permissions_source: cliq_codegen::model::PermissionsSource::Table {
                pointer: String::new(),
            },
            permissions: vec!["chat".into(), "user".into()],
            handlers: vec![
                rule("message_handler", &["chat", "user"]),
                rule("menu_handler", &["chat"]),
            ],
            max_permissions: 5,
            menu_name_max_chars: 15,
            menu_sub_actions_max: 5,
            menu_sub_action_name_max_chars: 15,
            menu_actions_per_bot_max: 5,
        }
    }

    #[test]
    fn handler_lists() {
        let r = rules();
        let hs = parse_handlers(&r, "message, menu:Deploy").unwrap();
        assert_eq!(hs.len(), 2);
        assert_eq!(hs[1].menu_name.as_deref(), Some("Deploy"));
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
        assert!(matches!(parse_handlers(&r, ""), Err(StubError::Empty)));
        let err = parse_handlers(&r, "x").unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown handler `x`; known: message, menu:<action name>"
        );
    }

    #[test]
    fn crate_files() {
        let r = rules();
        let hs = parse_handlers(&r, "message,menu:Deploy").unwrap();
        let files = bot_crate("my-bot", &hs, &Dependency::Path("/x/webhook".into()));
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
        let git = bot_crate(
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
        let odd = bot_crate("b", &hs, &Dependency::Path("C:\\x\"y\n".into()));
        let cargo: toml::Table = odd["Cargo.toml"].parse().unwrap();
        assert_eq!(
            cargo["dependencies"]["cliq-webhook"]["path"].as_str(),
            Some("C:\\x\"y\n")
        );
    }
}
