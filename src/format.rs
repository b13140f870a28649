//! The words and values the widget shows: pure helpers for `ui`, tested natively (`ui` is wasm-only).

use gws_protocol::ImSessionState;
use serde_json::{Number, Value};

use crate::state::{Delivery, Millis};

/// How long ago `since` was, as a short phrase: "just now", "3 min", "1 h 5 min", "2 h".
pub fn time_since(since: Millis, now: Millis) -> String {
    let elapsed = now - since;
    // A clock that went backwards (or a NaN from bad data) still reads as "just now".
    if !elapsed.is_finite() || elapsed < 60_000.0 {
        return "just now".to_owned();
    }
    let minutes = (elapsed / 60_000.0).floor() as u64;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// A session state's label and its BEM modifier; a state this version does not know gets a neutral one.
pub fn state_label(state: &ImSessionState) -> (&'static str, &'static str) {
    match state {
        ImSessionState::Initiating => ("Calling…", "initiating"),
        ImSessionState::Alerting => ("Ringing", "alerting"),
        ImSessionState::Talking => ("Talking", "talking"),
        ImSessionState::Completed => ("Completed", "completed"),
        ImSessionState::Unknown(_) => ("Unknown state", "unknown"),
    }
}

/// Where one of the agent's own messages stands, in words.
pub fn delivery_text(delivery: &Delivery) -> String {
    match delivery {
        Delivery::Queued => "Waiting to send…".to_owned(),
        Delivery::Sending => "Sending…".to_owned(),
        Delivery::Sent => "Sent".to_owned(),
        Delivery::Failed { reason } => format!("Not sent: {reason}"),
    }
}

/// `text` on one line: every run of whitespace (newlines included) becomes one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a case-data value is edited in a textbox (strings, numbers, booleans) or shown read-only.
pub fn is_editable(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

/// A case-data value as text: strings as they are, anything else as compact JSON.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        // `to_string` shares the serializer the runtime already uses (`Display` would add another).
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// What the agent typed for a value that was `original`: a number or boolean again when the original
/// was one and the text reads as one, else the text as a string.
pub fn typed_value(original: &Value, text: &str) -> Value {
    let trimmed = text.trim();
    match original {
        Value::Number(_) => {
            // serde_json's own number reader: already in the bundle, unlike `f64::from_str`.
            if let Ok(number) = serde_json::from_str::<Number>(trimmed) {
                return Value::Number(number);
            }
        }
        Value::Bool(_) => {
            if trimmed.eq_ignore_ascii_case("true") {
                return Value::Bool(true);
            }
            if trimmed.eq_ignore_ascii_case("false") {
                return Value::Bool(false);
            }
        }
        _ => {}
    }
    Value::String(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const MINUTE: Millis = 60_000.0;

    #[test]
    fn time_since_reads_in_minutes_then_hours() {
        let start = 1_700_000_000_000.0;
        assert_eq!(time_since(start, start), "just now");
        assert_eq!(time_since(start, start + 59_999.0), "just now");
        assert_eq!(time_since(start, start + MINUTE), "1 min");
        assert_eq!(time_since(start, start + 3.5 * MINUTE), "3 min");
        assert_eq!(time_since(start, start + 59.9 * MINUTE), "59 min");
        assert_eq!(time_since(start, start + 60.0 * MINUTE), "1 h");
        assert_eq!(time_since(start, start + 65.0 * MINUTE), "1 h 5 min");
        assert_eq!(time_since(start, start + 26.0 * 60.0 * MINUTE), "26 h");
    }

    #[test]
    fn time_since_survives_a_clock_going_backwards_and_bad_numbers() {
        assert_eq!(time_since(10_000.0, 0.0), "just now");
        assert_eq!(time_since(f64::NAN, 0.0), "just now");
        assert_eq!(time_since(0.0, f64::INFINITY), "just now");
    }

    #[test]
    fn every_state_has_a_distinct_label_and_modifier() {
        let states = [
            ImSessionState::Initiating,
            ImSessionState::Alerting,
            ImSessionState::Talking,
            ImSessionState::Completed,
            ImSessionState::Unknown("Held".into()),
        ];
        let labels: Vec<_> = states.iter().map(state_label).collect();
        assert_eq!(labels[0], ("Calling…", "initiating"));
        assert_eq!(labels[1], ("Ringing", "alerting"));
        assert_eq!(labels[4], ("Unknown state", "unknown"));
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert_ne!(a.0, b.0);
                assert_ne!(a.1, b.1);
            }
        }
    }

    #[test]
    fn delivery_reads_as_words() {
        assert_eq!(delivery_text(&Delivery::Queued), "Waiting to send…");
        assert_eq!(delivery_text(&Delivery::Sending), "Sending…");
        assert_eq!(delivery_text(&Delivery::Sent), "Sent");
        assert_eq!(
            delivery_text(&Delivery::Failed {
                reason: "No IM device.".into()
            }),
            "Not sent: No IM device."
        );
    }

    #[test]
    fn previews_are_one_line() {
        assert_eq!(one_line("  Hello\n\nthere\tyou  "), "Hello there you");
        assert_eq!(one_line(""), "");
    }

    #[test]
    fn nested_values_are_read_only_compact_json() {
        assert!(is_editable(&json!("x")));
        assert!(is_editable(&json!(3)));
        assert!(is_editable(&json!(false)));
        assert!(!is_editable(&json!({"a": 1})));
        assert!(!is_editable(&json!([1, 2])));
        assert!(!is_editable(&Value::Null));
        assert_eq!(value_text(&json!("<b>literal</b>")), "<b>literal</b>");
        assert_eq!(value_text(&json!({"a": [1, "b"]})), r#"{"a":[1,"b"]}"#);
        assert_eq!(value_text(&json!(2.5)), "2.5");
    }

    #[test]
    fn typed_values_keep_their_kind_when_the_text_allows() {
        assert_eq!(typed_value(&json!(1), " 42 "), json!(42));
        assert_eq!(typed_value(&json!(1), "-2.5"), json!(-2.5));
        assert_eq!(typed_value(&json!(1), "forty"), json!("forty"));
        assert_eq!(typed_value(&json!(1), "NaN"), json!("NaN"));
        assert_eq!(typed_value(&json!(1), "1e400"), json!("1e400"));
        assert_eq!(typed_value(&json!(1), "0x10"), json!("0x10"));
        assert_eq!(typed_value(&json!(true), "FALSE"), json!(false));
        assert_eq!(typed_value(&json!(false), "true"), json!(true));
        assert_eq!(typed_value(&json!(false), "yes"), json!("yes"));
        assert_eq!(typed_value(&json!("7"), "8"), json!("8"));
        assert_eq!(typed_value(&json!("a"), " spaced "), json!(" spaced "));
    }
}
