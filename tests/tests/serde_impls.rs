//! The generated crate's written-out serde impls (objects, string enums) read and write what
//! serde's derive with `#[serde(flatten)] extra` and `#[serde(untagged)] Unknown` did, on types
//! of `cliq-api`: declared keys, undeclared ones kept, absent and `null` optionals, missing
//! required ones, escaped keys, enum values listed or not, and the documented differences
//! (an array is not an object; a repeated key keeps its last value).

use cliq_api::stars::types::{StarInformation, StarMessageRequest, StarType};
use serde_json::{json, Value};

#[test]
fn objects_read_declared_keys_and_keep_the_others() {
    let read: StarMessageRequest = serde_json::from_value(json!({
        "chat_id": "CT_1",
        "message_id": "M_1",
        "star_type": "to_do",
        "added_later": {"nested": [1, 2]},
    }))
    .unwrap();
    assert_eq!(read.chat_id, "CT_1");
    assert_eq!(read.message_id, "M_1");
    assert_eq!(read.star_type, StarType::ToDo);
    assert_eq!(
        read.extra.get("added_later"),
        Some(&json!({"nested": [1, 2]}))
    );
    // Written back: declared keys first, in the spec's order, then what was kept.
    assert_eq!(
        serde_json::to_string(&read).unwrap(),
        r#"{"chat_id":"CT_1","message_id":"M_1","star_type":"to_do","added_later":{"nested":[1,2]}}"#
    );
}

#[test]
fn optional_keys_absent_or_null_are_none_and_are_not_written() {
    let read: StarInformation = serde_json::from_str(r#"{"old_star_type": null}"#).unwrap();
    assert_eq!(read, StarInformation::default());
    assert_eq!(serde_json::to_value(&read).unwrap(), json!({}));
    let read: StarInformation =
        serde_json::from_str(r#"{"star_type": "note", "file_permission": {"file_scope": "org"}}"#)
            .unwrap();
    assert_eq!(read.star_type, Some(StarType::Note));
    assert_eq!(
        read.file_permission.and_then(|p| p.file_scope).as_deref(),
        Some("org")
    );
}

#[test]
fn a_missing_required_key_is_named() {
    let err =
        serde_json::from_str::<StarMessageRequest>(r#"{"chat_id": "CT_1", "star_type": "note"}"#)
            .unwrap_err();
    assert_eq!(
        err.to_string(),
        "missing field `message_id` at line 1 column 40"
    );
}

#[test]
fn escaped_keys_match_declared_names() {
    let read: StarMessageRequest = serde_json::from_str(
        r#"{"chat\u005fid": "CT_1", "message_id": "M_1", "star_type": "important"}"#,
    )
    .unwrap();
    assert_eq!(read.chat_id, "CT_1");
    assert!(read.extra.is_empty());
}

#[test]
fn the_same_json_from_a_reader_and_from_a_value() {
    let text = r#"{"chat_id":"CT_1","message_id":"M_1","star_type":"manager","x":1}"#;
    let from_str: StarMessageRequest = serde_json::from_str(text).unwrap();
    let from_reader: StarMessageRequest = serde_json::from_reader(text.as_bytes()).unwrap();
    let from_value: StarMessageRequest =
        serde_json::from_value(serde_json::from_str::<Value>(text).unwrap()).unwrap();
    assert_eq!(from_str, from_reader);
    assert_eq!(from_str, from_value);
}

#[test]
fn enum_values_not_listed_are_kept_verbatim() {
    let read: StarType = serde_json::from_str(r#""pinned_forever""#).unwrap();
    assert_eq!(read, StarType::Unknown("pinned_forever".into()));
    assert_eq!(serde_json::to_string(&read).unwrap(), r#""pinned_forever""#);
    assert_eq!(
        serde_json::to_string(&StarType::FollowUp).unwrap(),
        r#""follow_up""#
    );
    let err = serde_json::from_str::<StarType>("5").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid type: integer `5`, expected a string at line 1 column 1"
    );
}

#[test]
fn documented_differences_from_the_derive() {
    // An object is read from a JSON object only.
    let err = serde_json::from_str::<StarInformation>(r#"["note"]"#).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invalid type: sequence, expected struct StarInformation"),
        "{err}"
    );
    // A key repeated in one object keeps its last value (as `serde_json::Value` does).
    let read: StarInformation =
        serde_json::from_str(r#"{"star_type": "note", "star_type": "to_do"}"#).unwrap();
    assert_eq!(read.star_type, Some(StarType::ToDo));
}
