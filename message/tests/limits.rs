//! Every limit of `cliq_message::limits`, checked at run time: one over the limit is an error
//! naming it (and where), the limit itself passes. Nothing is truncated.

use cliq_message::limits::{self, Limit};
use cliq_message::*;

fn long(n: usize) -> String {
    "é".repeat(n) // multi-byte: lengths count characters, not bytes
}

/// The names of the limits `r` breaks.
fn broken(r: Result<(), LimitErrors>) -> Vec<(&'static str, String)> {
    r.err()
        .map(|e| e.0.into_iter().map(|e| (e.limit.name, e.at)).collect())
        .unwrap_or_default()
}

/// `make(n)` is fine at `limit.max` and breaks exactly `limit` at `limit.max + 1`, at `at`.
fn check(limit: Limit, at: &str, make: impl Fn(usize) -> Result<(), LimitErrors>) {
    assert_eq!(broken(make(limit.max)), vec![], "{} at its max", limit.name);
    assert_eq!(
        broken(make(limit.max + 1)),
        vec![(limit.name, at.to_string())],
        "{} over its max",
        limit.name
    );
}

fn url_button(label: String) -> Button {
    Button::open_url(label, "https://example.com")
}

#[test]
fn message_limits() {
    check(limits::MESSAGE_TEXT, "/text", |n| {
        MessageContent::text(long(n)).validate()
    });
    check(limits::BUTTONS_PER_MESSAGE, "/buttons", |n| {
        let mut m = MessageContent::text("x");
        m.buttons = (0..n).map(|_| url_button("b".into())).collect();
        m.validate()
    });
    check(limits::MESSAGE_BUTTON_LABEL, "/buttons/0/label", |n| {
        MessageContent::text("x")
            .button(url_button(long(n)))
            .validate()
    });
    check(limits::BUTTON_HINT, "/buttons/0/hint", |n| {
        MessageContent::text("x")
            .button(url_button("b".into()).hint(long(n)))
            .validate()
    });
    check(limits::BUTTON_KEY, "/buttons/0/key", |n| {
        MessageContent::text("x")
            .button(url_button("b".into()).key(long(n)))
            .validate()
    });
    check(limits::URL, "/buttons/0/action/data/web", |n| {
        MessageContent::text("x")
            .button(Button::open_url("b", long(n)))
            .validate()
    });
    check(limits::PREVIEW_URL, "/buttons/0/action/data/url", |n| {
        MessageContent::text("x")
            .button(Button::preview_url("b", long(n)))
            .validate()
    });
    check(limits::COPY_TEXT, "/buttons/0/action/data/text", |n| {
        MessageContent::text("x")
            .button(Button::copy("b", long(n)))
            .validate()
    });
    let confirm = |c: Confirm| {
        MessageContent::text("x")
            .button(url_button("b".into()).confirm(c))
            .validate()
    };
    check(
        limits::CONFIRM_TITLE,
        "/buttons/0/action/confirm/title",
        |n| confirm(Confirm::new(long(n), "ok")),
    );
    check(
        limits::CONFIRM_DESCRIPTION,
        "/buttons/0/action/confirm/description",
        |n| confirm(Confirm::new("t", "ok").description(long(n))),
    );
    check(
        limits::CONFIRM_INPUT,
        "/buttons/0/action/confirm/input",
        |n| confirm(Confirm::new("t", "ok").input(long(n), true)),
    );
    check(
        limits::CONFIRM_BUTTON_LABEL,
        "/buttons/0/action/confirm/button_label",
        |n| confirm(Confirm::new("t", long(n))),
    );
    check(limits::SLIDES, "/slides", |n| {
        let mut m = MessageContent::text("x");
        m.slides = (0..n).map(|_| Slide::text("s")).collect();
        m.validate()
    });
}

#[test]
fn card_limits() {
    check(limits::CARD_TITLE, "/title", |n| {
        Card::modern_inline(long(n)).validate()
    });
    check(limits::BUTTONS_PER_CARD, "/buttons", |n| {
        (0..n)
            .fold(Card::modern_inline("t"), |c, _| {
                c.button(url_button("b".into()))
            })
            .validate()
    });
    check(limits::BUTTON_LABEL, "/buttons/0/label", |n| {
        Card::modern_inline("t")
            .button(url_button(long(n)))
            .validate()
    });
    check(limits::POLL_OPTIONS, "/options", |n| {
        Card::poll_from("t", (0..n).map(|i| i.to_string())).validate()
    });
    check(limits::POLL_OPTION_TEXT, "/options/0/text", |n| {
        Card::poll_from("t", [long(n), "b".into()]).validate()
    });
    // A card inside a message is reported under `/card`.
    let m = MessageContent::text("x").card(Card::modern_inline(long(201)));
    assert_eq!(
        broken(m.validate()),
        vec![("CARD_TITLE", "/card/title".to_string())]
    );
}

#[test]
fn slide_limits() {
    check(limits::CHART_SEGMENTS, "/data", |n| {
        Slide::percentage_chart(ChartStyle::Pie, (0..n).map(|i| (i.to_string(), 1))).validate()
    });
    check(limits::GRAPH_CATEGORIES, "/data", |n| {
        Slide::graph(
            GraphStyle::Trend,
            "x",
            "y",
            (0..n).map(|i| (i.to_string(), vec![("a", 1)])),
        )
        .validate()
    });
    check(limits::GRAPH_POINTS, "/data/0/values", |n| {
        Slide::graph(
            GraphStyle::Trend,
            "x",
            "y",
            [("c", (0..n).map(|i| (i.to_string(), 1)).collect::<Vec<_>>())],
        )
        .validate()
    });
    check(limits::CHART_LABEL, "/data/0/label", |n| {
        Slide::percentage_chart(ChartStyle::Pie, [(long(n), 1)]).validate()
    });
    check(limits::CHART_LABEL, "/styles/x_axis", |n| {
        Slide::graph(GraphStyle::Trend, long(n), "y", [("c", vec![("a", 1)])]).validate()
    });
}

fn function() -> ExternalFunction {
    ExternalFunction("f")
}

#[test]
fn form_limits() {
    check(limits::FORM_NAME, "/name", |n| {
        Form::new("t", long(n), function()).validate()
    });
    check(limits::FORM_INPUTS, "/inputs", |n| {
        (0..n)
            .fold(Form::new("t", "f", function()), |f, i| {
                f.input(Input::text(format!("i{i}"), "l"))
            })
            .validate()
    });
    let one = |i: Input| Form::new("t", "f", function()).input(i).validate();
    check(limits::INPUT_NAME, "/inputs/0/name", |n| {
        one(Input::text(long(n), "l"))
    });
    check(limits::INPUT_LABEL, "/inputs/0/label", |n| {
        one(Input::text("n", long(n)))
    });
    check(limits::INPUT_PLACEHOLDER, "/inputs/0/placeholder", |n| {
        one(Input::text("n", "l").placeholder(long(n)))
    });
    check(limits::INPUT_HINT, "/inputs/0/hint", |n| {
        one(Input::date("n", "l").hint(long(n)))
    });
    let opts = |n: usize| {
        (0..n)
            .map(|i| SelectOption::new("o", i.to_string()))
            .collect()
    };
    check(limits::CHECKBOX_OPTIONS, "/inputs/0/options", |n| {
        one(Input::checkbox("n", "l", opts(n)))
    });
    check(limits::OPTION_LABEL, "/inputs/0/options/0/label", |n| {
        one(Input::radio(
            "n",
            "l",
            vec![SelectOption::new(long(n), "v")],
        ))
    });
}

#[test]
fn every_limit_is_tested_and_named_in_errors() {
    let src = include_str!("limits.rs");
    for l in limits::ALL {
        assert!(
            src.contains(&format!("limits::{}", l.name)),
            "{} has no test",
            l.name
        );
        let e = l.check_count(l.max + 1).unwrap_err().to_string();
        assert!(e.contains(l.name) && e.contains(l.source), "{e}");
    }
    // BOT_MESSAGE_TEXT applies to the Bots API's BotMessage: checked by callers that send one.
    assert!(limits::BOT_MESSAGE_TEXT.check_str(&long(5001)).is_err());
}

#[test]
fn all_errors_are_reported_at_once() {
    let m = MessageContent::text(long(10_001)).button(url_button(long(21)).hint(long(101)));
    let names: Vec<_> = broken(m.validate()).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        ["MESSAGE_TEXT", "MESSAGE_BUTTON_LABEL", "BUTTON_HINT"]
    );
}
