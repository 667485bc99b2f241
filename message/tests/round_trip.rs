//! Generated values serialize and read back unchanged (proptest), and what Cliq adds stays
//! readable: unknown kinds become `Other` and unknown fields `extra`, both written back as
//! they came.

use cliq_message::*;
use proptest::prelude::*;
use serde_json::{json, Value};

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 é_.-]{0,12}"
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        text().prop_map(Action::open_url),
        text().prop_map(|n| Action::invoke(ExternalFunction::new(n))),
        text().prop_map(Action::preview_url),
        text().prop_map(Action::copy),
        text().prop_map(|z| Action::system_api(SystemApi::VideoCall(z))),
    ]
}

fn button() -> impl Strategy<Value = Button> {
    (
        text(),
        action(),
        any::<bool>(),
        proptest::option::of(text()),
    )
        .prop_map(|(l, a, neg, hint)| {
            let mut b = Button::new(l, a).style(if neg {
                ButtonStyle::Negative
            } else {
                ButtonStyle::Positive
            });
            if let Some(h) = hint {
                b = b
                    .hint(h)
                    .confirm(Confirm::new("Sure?", "Yes").input("Why", neg));
            }
            b
        })
}

fn slide() -> impl Strategy<Value = Slide> {
    prop_oneof![
        proptest::collection::vec(text(), 0..4).prop_map(Slide::list),
        proptest::collection::vec(text(), 0..4).prop_map(Slide::images),
        text().prop_map(Slide::text),
        proptest::collection::vec((text(), text()), 0..4).prop_map(Slide::label),
        proptest::collection::vec((text(), any::<i32>()), 0..4)
            .prop_map(|s| Slide::percentage_chart(ChartStyle::Doughnut, s)),
        (text(), text()).prop_map(|(a, b)| Slide::table(["A", "B"], [[("A", a), ("B", b)]])),
    ]
}

fn message() -> impl Strategy<Value = MessageContent> {
    (
        proptest::option::of(text()),
        proptest::collection::vec(button(), 0..5),
        proptest::collection::vec(slide(), 0..4),
        proptest::option::of((text(), proptest::collection::vec(button(), 0..3))),
    )
        .prop_map(|(t, buttons, slides, card)| {
            let mut m = MessageContent::default();
            m.text = t;
            m.buttons = buttons;
            m.slides = slides;
            m.card = card.map(|(title, bs)| {
                bs.into_iter().fold(
                    Card::modern_inline(title).section(Section::new("S").field("k", "v")),
                    Card::button,
                )
            });
            m
        })
}

fn input() -> impl Strategy<Value = Input> {
    (text(), 0..8u8).prop_map(|(n, k)| {
        let name = format!("f{n}");
        match k {
            0 => Input::text(name, "L").placeholder("p"),
            1 => Input::number(name, "L").min(1).max(9),
            2 => Input::email(name, "L"),
            3 => Input::select(name, "L", vec![SelectOption::new("A", "a")]),
            4 => Input::native_select(name, "L", NativeSource::Channels),
            5 => Input::toggle(name, "L").mandatory(false),
            6 => Input::hidden(name, "v"),
            _ => Input::datetime(name, "L").hint("h"),
        }
    })
}

proptest! {
    #[test]
    fn messages_round_trip(m in message()) {
        let v = serde_json::to_value(&m).unwrap();
        let back: MessageContent = serde_json::from_value(v.clone()).unwrap();
        prop_assert_eq!(&back, &m);
        prop_assert_eq!(serde_json::to_value(&back).unwrap(), v);
    }

    #[test]
    fn forms_round_trip(inputs in proptest::collection::vec(input(), 0..6)) {
        let f = inputs.into_iter().fold(Form::new("T", "n", ExternalFunction("f")), Form::input);
        let v = serde_json::to_value(&f).unwrap();
        let back: Form = serde_json::from_value(v.clone()).unwrap();
        prop_assert_eq!(&back, &f);
        prop_assert_eq!(serde_json::to_value(&back).unwrap(), v);
    }
}

fn same<T: serde::de::DeserializeOwned + serde::Serialize>(v: Value) -> T {
    let t: T = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(serde_json::to_value(&t).unwrap(), v);
    t
}

#[test]
fn what_cliq_adds_reads_and_writes_back_unchanged() {
    let b: Button = same(
        json!({"label": "x", "action": {"type": "open.meeting", "data": {"id": 1}}, "new": true}),
    );
    assert!(matches!(b.action, Action::Other(_)));
    assert_eq!(b.extra["new"], true);
    // a known type whose data lacks what it needs stays as sent
    let b: Button = same(json!({"label": "x", "action": {"type": "open.url", "data": {}}}));
    assert!(matches!(b.action, Action::Other(_)));
    let s: Slide = same(json!({"type": "video", "data": {"url": "u"}}));
    assert!(matches!(s, Slide::Other(_)));
    let c: Card = same(json!({"theme": "fancy", "title": "t", "color": "red"}));
    assert_eq!(c.theme, Some(Theme::Other("fancy".into())));
    let i: Input = same(json!({"type": "rating", "name": "r", "stars": 5}));
    assert!(matches!(i, Input::Other(_)));
    let i: Input =
        same(json!({"type": "text", "name": "n", "label": "l", "format": "ssn", "x": 1}));
    assert!(matches!(i, Input::Text(_)));
}

#[test]
fn spec_warts_read_both_ways() {
    // confirm.mandatory: the spec's string and a boolean, each written back as it came
    for m in [json!("true"), json!(true)] {
        let b: Button = same(
            json!({"label": "x", "action": {"type": "copy", "data": {"text": "t"},
            "confirm": {"title": "t", "button_label": "ok", "mandatory": m}}}),
        );
        let Action::Copy(body) = b.action else {
            panic!("copy")
        };
        assert!(body.confirm.unwrap().mandatory.unwrap().value);
    }
    // preview.url: `url` (buttons.yml) and `web`
    for d in [json!({"url": "u"}), json!({"web": "u"})] {
        let a: Action = same(json!({"type": "preview.url", "data": d}));
        assert!(matches!(a, Action::PreviewUrl(_)));
    }
    // label slides: `{"<label>": "<value>"}` and `{label, value}`
    for item in [
        json!({"Revenue": "$5"}),
        json!({"label": "Revenue", "value": "$5"}),
    ] {
        let s: Slide = same(json!({"type": "label", "data": [item]}));
        assert!(matches!(s, Slide::Label(_)));
    }
    // the builders write what the spec examples send
    let v = serde_json::to_value(Confirm::new("t", "ok").input("i", true)).unwrap();
    assert_eq!(v["mandatory"], "true");
    assert_eq!(
        serde_json::to_value(Action::preview_url("u")).unwrap()["data"],
        json!({"url": "u"})
    );
}

#[test]
fn mentions_render_as_mentions_yml_documents() {
    assert_eq!(Mention::team("T1").to_string(), "{@T1}");
    assert_eq!(
        Mention::silent_email("A B", "a@b.c").to_string(),
        "[A B](mail:a@b.c)"
    );
}
