//! The browser side of i18n: the language from config or `navigator.languages`, and the Intl
//! formatters for times and numbers, created once per widget and reused.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::{Locale, Texts};

/// The browser's preferred languages, best first (`navigator.languages`).
pub fn browser_languages() -> Vec<String> {
    // Through Reflect: web-sys's Navigator feature would be one more binding for one property.
    let languages = js_sys::Reflect::get(&js_sys::global(), &"navigator".into())
        .and_then(|navigator| js_sys::Reflect::get(&navigator, &"languages".into()))
        .ok()
        .filter(js_sys::Array::is_array)
        .map(|list| js_sys::Array::from(&list));
    languages
        .map(|list| list.iter().filter_map(|tag| tag.as_string()).collect())
        .unwrap_or_default()
}

/// The language for a widget whose host configured `configured`, and the tag to format with.
pub fn page_locale(configured: Option<&str>) -> (Locale, String) {
    let browser = browser_languages();
    let locale = Locale::negotiate(configured, &browser);
    (locale, locale.format_tag(configured, &browser))
}

struct Formats {
    time: Option<js_sys::Function>,
    date: Option<js_sys::Function>,
    number: Option<js_sys::Function>,
}

/// `new Intl[class](tag, options).format`, or `None` when Intl throws (through Reflect, which
/// catches: js-sys's constructors would let the exception escape and stop the widget).
fn intl_format(class: &str, tag: &str, options: &js_sys::Object) -> Option<js_sys::Function> {
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let constructor: js_sys::Function = js_sys::Reflect::get(&intl, &class.into())
        .ok()?
        .dyn_into()
        .ok()?;
    let args = js_sys::Array::of2(&JsValue::from_str(tag), options);
    let formatter = js_sys::Reflect::construct(&constructor, &args).ok()?;
    js_sys::Reflect::get(&formatter, &"format".into())
        .ok()?
        .dyn_into()
        .ok()
}

/// The widget's language, provided as context: its catalogue and its time and number formats.
#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: Locale,
    pub texts: &'static Texts,
    formats: StoredValue<Formats, LocalStorage>,
}

impl I18n {
    /// Chooses the language (config, else browser) and builds its formatters.
    pub fn new(configured: Option<&str>) -> Self {
        let (locale, tag) = page_locale(configured);
        let options = js_sys::Object::new();
        // Setting a plain string on a fresh object cannot fail.
        let _ = js_sys::Reflect::set(&options, &"hour".into(), &"2-digit".into());
        let _ = js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into());
        // A tag Intl rejects (RangeError) falls back to the language's own, which it always takes.
        let format = |class: &str, options: &js_sys::Object| {
            intl_format(class, &tag, options).or_else(|| intl_format(class, locale.tag(), options))
        };
        let time = format("DateTimeFormat", &options);
        let date_options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&date_options, &"dateStyle".into(), &"medium".into());
        let date = format("DateTimeFormat", &date_options);
        let number = format("NumberFormat", &js_sys::Object::new());
        Self {
            locale,
            texts: locale.texts(),
            formats: StoredValue::new_local(Formats { time, date, number }),
        }
    }

    /// `at` (milliseconds since the epoch, as `Date` takes them) as hours and minutes in the locale
    /// ("14:05", "02:05 PM", "٠٢:٠٥ م").
    pub fn time(&self, at: f64) -> String {
        self.date_time(at, |f| f.time.as_ref())
    }

    /// `at`'s day in the locale ("Dec 1, 2026", "01.12.2026"), for a day separator.
    pub fn date(&self, at: f64) -> String {
        self.date_time(at, |f| f.date.as_ref())
    }

    fn date_time(&self, at: f64, which: fn(&Formats) -> Option<&js_sys::Function>) -> String {
        let date = js_sys::Date::new(&at.into());
        self.formats
            .with_value(|f| which(f)?.call1(&JsValue::NULL, &date).ok())
            .and_then(|text| text.as_string())
            .unwrap_or_default()
    }

    /// The local day number of `at`, in the browser's time zone (`i18n::days::local_day`).
    pub fn day(at: f64) -> i64 {
        let offset = js_sys::Date::new(&at.into()).get_timezone_offset();
        super::days::local_day(at, offset)
    }

    /// A whole number in the locale's digits.
    pub fn number(&self, n: u64) -> String {
        self.formats
            .with_value(|f| {
                f.number
                    .as_ref()?
                    .call1(&JsValue::NULL, &JsValue::from_f64(n as f64))
                    .ok()
            })
            .and_then(|text| text.as_string())
            .unwrap_or_else(|| n.to_string())
    }
}
