//! The browser's JSON reader (`gws_im_widget::json`, `JSON.parse` walked into a `serde_json::Value`)
//! against serde_json's own, on the documentation's verbatim samples and on the edge cases where two
//! JSON readers can differ. Runs in headless Chromium (`cargo test --target wasm32-unknown-unknown`).
#![cfg(target_arch = "wasm32")]

use gws_im_widget::json;
use serde_json::Value;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! fixtures {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_str!(concat!("../protocol/tests/fixtures/", $name, ".json")))),*]
    };
}

const FIXTURES: [(&str, &str); 17] = fixtures![
    "attach_user_data_request",
    "attached_data_changed_notification",
    "complete_request",
    "completed_notification",
    "delete_user_data_attached_data_changed_user_data",
    "delete_user_data_request",
    "device",
    "im_sessions_list",
    "initiate_im_session_request",
    "initiate_status_change_user_data",
    "new_message_notification",
    "send_message_request",
    "success_reply",
    "topic_envelope_status_change",
    "unauthenticated_reply",
    "update_user_data_attached_data_changed_user_data",
    "update_user_data_request",
];

/// The same `Value`, and the same text written back: key order too (a `Map`'s `==` ignores order).
fn assert_same(what: &str, ours: &Value, theirs: &Value) {
    assert_eq!(ours, theirs, "{what}");
    assert_eq!(
        serde_json::to_string(ours).unwrap(),
        serde_json::to_string(theirs).unwrap(),
        "{what}: key order"
    );
}

#[wasm_bindgen_test]
fn the_documentation_samples_read_alike_in_both_readers() {
    for (name, text) in FIXTURES {
        let theirs: Value = serde_json::from_str(text).unwrap();
        let ours = json::parse(text).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_same(name, &ours, &theirs);
        assert!(ours.is_object() || ours.is_array(), "{name}: {ours}");
    }
}

#[wasm_bindgen_test]
fn typed_replies_and_notifications_decode_alike() {
    let text = FIXTURES
        .iter()
        .find(|(n, _)| *n == "im_sessions_list")
        .unwrap()
        .1;
    let ours: gws_protocol::ImSessionList = json::decode(text).unwrap();
    let theirs: gws_protocol::ImSessionList = serde_json::from_str(text).unwrap();
    assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
    assert!(!ours.im_sessions.is_empty());
    for name in [
        "new_message_notification",
        "completed_notification",
        "attached_data_changed_notification",
    ] {
        let text = FIXTURES.iter().find(|(n, _)| *n == name).unwrap().1;
        let ours = gws_protocol::ImNotification::from_value(&json::parse(text).unwrap()).unwrap();
        let theirs = gws_protocol::ImNotification::from_json(text).unwrap();
        assert_eq!(format!("{ours:?}"), format!("{theirs:?}"), "{name}");
    }
}

#[wasm_bindgen_test]
fn edge_cases_read_alike_or_as_written_down() {
    // Alike: escapes, whitespace, duplicate keys (the last wins, in the first one's place), a key
    // that is special to JavaScript, numbers serde_json reads as integers or floats.
    for text in [
        r#" {"a": "\u00e9\n\"\\\/", "b": [true, false, null], "c": {}} "#,
        r#"{"a": 1, "b": 2, "a": 3}"#,
        r#"{"__proto__": {"x": 1}, "constructor": 2}"#,
        "[0, -0, 7, -3, 0.5, -2.25, 1e300, 4294967296, -9007199254740991]",
        r#""😀 \ud83d\ude00""#,
    ] {
        let theirs: Value = serde_json::from_str(text).unwrap();
        assert_same(text, &json::parse(text).unwrap(), &theirs);
    }
    // Refused alike: not JSON, trailing commas, single quotes, NaN, an empty text.
    for text in ["{", "[1,]", "{'a': 1}", "NaN", "", "[1] x"] {
        assert!(
            serde_json::from_str::<Value>(text).is_err(),
            "serde_json read {text:?}"
        );
        assert!(
            json::parse(text).is_err(),
            "the browser reader read {text:?}"
        );
    }
    // Nesting: within serde_json's limit both read it, past it both refuse (no stack overflow).
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert!(json::parse(&nested(json::MAX_DEPTH)).is_ok());
    assert!(serde_json::from_str::<Value>(&nested(json::MAX_DEPTH)).is_ok());
    assert!(json::parse(&nested(json::MAX_DEPTH + 1)).is_err());
    assert!(serde_json::from_str::<Value>(&nested(json::MAX_DEPTH + 1)).is_err());
    assert!(json::parse(&nested(100_000)).is_err());
    // Where JavaScript cannot tell what serde_json tells (docs/ARCHITECTURE.md, "JSON"): 1.0 and 1e2
    // are whole numbers, past 2^53 digits are lost, a lone surrogate is U+FFFD instead of an error.
    assert_eq!(
        json::parse("[1.0, 1e2]").unwrap(),
        serde_json::json!([1, 100])
    );
    assert_eq!(
        json::parse("9007199254740993").unwrap(),
        serde_json::json!(9007199254740992u64)
    );
    assert_eq!(
        json::parse(r#""\ud800""#).unwrap(),
        serde_json::json!("\u{fffd}")
    );
    assert!(serde_json::from_str::<Value>(r#""\ud800""#).is_err());
}
