//! JSON text to a `serde_json::Value`: in the browser by its own `JSON.parse`, natively by serde_json.
//!
//! Every JSON text the widget reads (replies, CometD batches, other tabs' messages, stored
//! transcripts, the host's attributes) comes through [`parse`], and typed values are read from the
//! `Value` (`serde_json::from_value`). So serde_json's text parser, and a copy of every derived
//! decoder for it, stay out of the WebAssembly module (issue 17): the browser parses, this walks the
//! result once. Both readers give the same `Value` for the same text: a browser test
//! (`tests/browser_json.rs`) runs the protocol's verbatim fixtures through both.
//!
//! Where they could differ, the browser's reading is made to match (docs/ARCHITECTURE.md, "JSON text:
//! the browser reads it"):
//! - numbers: a whole number that a `u64` or `i64` holds exactly becomes an integer, any other (and
//!   `-0`) a float, as serde_json does; `1.0` is the integer 1 (JavaScript cannot tell them apart), and
//!   whole numbers past 2^53 lose precision (GWS's identifiers are strings);
//! - nesting deeper than serde_json reads ([`MAX_DEPTH`]) is an error, not a stack overflow;
//! - a lone surrogate escape (`"\ud800"`), which serde_json refuses, reads as U+FFFD.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// The deepest nesting serde_json reads (its recursion limit, 128, refuses the 128th array or
/// object inside another): deeper JSON is refused the same way by both readers.
pub const MAX_DEPTH: usize = 127;

/// Reads JSON text; the error says what was wrong in words for a log.
pub fn parse(text: &str) -> Result<Value, String> {
    imp::parse(text)
}

/// Reads JSON text as `T` (through a `Value`).
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_value(parse(text)?).map_err(|err| err.to_string())
}

/// A JavaScript number as JSON: an integer when it is one a `u64`/`i64` holds exactly, else a float;
/// not a number at all (`NaN`, infinities: JSON has none) is `None`.
pub fn number(n: f64) -> Option<serde_json::Number> {
    // serde_json reads "-0" as the float -0.0; any other whole number as an integer.
    if n.fract() == 0.0 && !(n == 0.0 && n.is_sign_negative()) {
        // 2^64 and -2^63 as floats; inside them the cast is exact for a whole number.
        if (0.0..18_446_744_073_709_551_616.0).contains(&n) {
            return Some((n as u64).into());
        }
        if (-9_223_372_036_854_775_808.0..0.0).contains(&n) {
            return Some((n as i64).into());
        }
    }
    serde_json::Number::from_f64(n)
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use serde_json::Value;

    pub fn parse(text: &str) -> Result<Value, String> {
        serde_json::from_str(text).map_err(|err| err.to_string())
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use js_sys::{Array, Object, Reflect};
    use serde_json::{Map, Value};
    use wasm_bindgen::{JsCast, JsValue};

    pub fn parse(text: &str) -> Result<Value, String> {
        let value = js_sys::JSON::parse(text).map_err(|err| {
            err.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| "not JSON".to_owned())
        })?;
        from_js(&value, 0)
    }

    /// What `JSON.parse` made, as a `Value` (it makes only these six kinds). Each question to
    /// JavaScript is a call across the boundary, so the common kinds are asked first.
    fn from_js(value: &JsValue, depth: usize) -> Result<Value, String> {
        if value.is_string() {
            return Ok(Value::String(value.as_string().unwrap_or_default()));
        }
        if !value.is_object() {
            if let Some(n) = value.as_f64() {
                return super::number(n)
                    .map(Value::Number)
                    .ok_or_else(|| "number out of range".to_owned());
            }
            if let Some(flag) = value.as_bool() {
                return Ok(Value::Bool(flag));
            }
            return Ok(Value::Null);
        }
        if depth >= super::MAX_DEPTH {
            return Err("recursion limit exceeded".to_owned());
        }
        if Array::is_array(value) {
            let array: &Array = value.unchecked_ref();
            return array
                .iter()
                .map(|item| from_js(&item, depth + 1))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array);
        }
        let object: &Object = value.unchecked_ref();
        let mut map = Map::new();
        for key in Object::keys(object).iter() {
            let item = Reflect::get(object, &key).map_err(|_| "unreadable member".to_owned())?;
            map.insert(
                key.as_string().unwrap_or_default(),
                from_js(&item, depth + 1)?,
            );
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_serde_json_reads_them() {
        for text in [
            "0",
            "7",
            "-3",
            "18446744073709551615",
            "-9223372036854775808",
            "0.5",
            "-2.25",
            "1e300",
        ] {
            let theirs: Value = serde_json::from_str(text).unwrap();
            let ours = Value::Number(number(theirs.as_f64().unwrap()).unwrap());
            // 2^64-1 is not a float: as a JavaScript number it is 2^64, a float again.
            if text == "18446744073709551615" {
                assert!(ours.is_f64(), "{text}: {ours}");
                continue;
            }
            assert_eq!(ours, theirs, "{text}");
        }
        assert_eq!(number(1.0), Some(1u64.into()));
        // serde_json keeps the sign of "-0" as a float; so does this.
        assert_eq!(
            Value::Number(number(-0.0).unwrap()),
            serde_json::from_str::<Value>("-0").unwrap()
        );
        assert!(number(-0.0).unwrap().is_f64());
        assert_eq!(number(f64::NAN), None);
        assert_eq!(number(f64::INFINITY), None);
    }

    #[test]
    fn decode_reads_a_typed_value_and_says_what_is_wrong() {
        let pair: (u32, String) = decode(r#"[1, "a"]"#).unwrap();
        assert_eq!(pair, (1, "a".to_owned()));
        assert!(decode::<u32>("{").is_err());
        assert!(decode::<u32>(r#""x""#)
            .unwrap_err()
            .contains("invalid type"));
        // The browser reader's depth limit is serde_json's (tests/browser_json.rs checks both).
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        assert!(parse(&nested(MAX_DEPTH + 1)).is_err());
    }
}
