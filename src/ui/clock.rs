//! Times as the agent's browser writes them.

use crate::state::Millis;

/// `at` as hours and minutes in the browser's locale ("14:05", "2:05 PM").
pub fn hours_minutes(at: Millis) -> String {
    let options = js_sys::Object::new();
    // Setting a plain string on a fresh object cannot fail.
    let _ = js_sys::Reflect::set(&options, &"hour".into(), &"2-digit".into());
    let _ = js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into());
    // "default" is a well-formed language tag no engine has data for, so it falls back to the browser's locale.
    js_sys::Date::new(&at.into())
        .to_locale_time_string_with_options("default", &options)
        .into()
}
