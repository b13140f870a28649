//! The widget's languages: which one to use, and every visible sentence in each, as static catalogues.
//!
//! A catalogue is a `Texts` struct of `&'static str` fields, so the compiler proves every language has
//! every message (no map, no parser in the bundle). Parameterised messages are templates with named
//! placeholders ("{party}") filled by [`fill`]; a test checks each language uses English's placeholders.

mod ar;
pub mod days;
mod de;
mod en;
mod errors;
pub mod format;
#[cfg(target_arch = "wasm32")]
mod intl;
pub mod links;
pub mod transcript;

#[cfg(target_arch = "wasm32")]
pub use intl::{page_locale, I18n};

/// A language the widget speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Locale {
    #[default]
    En,
    De,
    Ar,
}

impl Locale {
    pub const ALL: [Self; 3] = [Self::En, Self::De, Self::Ar];

    /// The configured tag (`data-locale`) if its language is supported, else the first of the
    /// browser's `navigator.languages` that is, else English.
    pub fn negotiate(configured: Option<&str>, browser: &[String]) -> Self {
        configured
            .into_iter()
            .chain(browser.iter().map(String::as_str))
            .find_map(Self::from_tag)
            .unwrap_or_default()
    }

    /// The language of a BCP 47 tag by its primary subtag ("ar-EG" → Ar); `None` when unsupported.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Self::ALL
            .into_iter()
            .find(|locale| primary.eq_ignore_ascii_case(locale.tag()))
    }

    /// The tag for `lang` and Intl ("en", "de", "ar").
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
            Self::Ar => "ar",
        }
    }

    /// The writing direction for the `dir` attribute.
    pub fn dir(self) -> &'static str {
        match self {
            Self::Ar => "rtl",
            _ => "ltr",
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Self::En => &en::TEXTS,
            Self::De => &de::TEXTS,
            Self::Ar => &ar::TEXTS,
        }
    }

    /// The plural form of `count` (CLDR one/other for en and de; Arabic messages are worded so the
    /// number stands alone, so every count takes their single form, `other`).
    pub fn plural(self, count: u64) -> PluralForm {
        match self {
            Self::En | Self::De if count == 1 => PluralForm::One,
            _ => PluralForm::Other,
        }
    }

    /// The tag times and numbers are formatted with: the configured or browser tag that chose this
    /// language (so "en-GB" keeps its 24-hour clock), if well-formed; else the language's own tag.
    pub fn format_tag(self, configured: Option<&str>, browser: &[String]) -> String {
        configured
            .into_iter()
            .chain(browser.iter().map(String::as_str))
            .map(str::trim)
            .find(|tag| Self::from_tag(tag) == Some(self) && well_formed(tag))
            .unwrap_or(self.tag())
            .to_owned()
    }
}

/// Whether `tag` looks like a BCP 47 tag (Intl throws a RangeError on a malformed one).
fn well_formed(tag: &str) -> bool {
    tag.split('-').enumerate().all(|(i, subtag)| {
        let letters = subtag.bytes().all(|b| b.is_ascii_alphabetic());
        let alphanumeric = subtag.bytes().all(|b| b.is_ascii_alphanumeric());
        if i == 0 {
            (2..=3).contains(&subtag.len()) && letters
        } else {
            (1..=8).contains(&subtag.len()) && alphanumeric
        }
    })
}

/// A CLDR plural category the catalogues use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluralForm {
    One,
    Other,
}

/// A message whose wording depends on a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plural {
    pub one: &'static str,
    pub other: &'static str,
}

impl Plural {
    pub fn pick(&self, form: PluralForm) -> &'static str {
        match form {
            PluralForm::One => self.one,
            PluralForm::Other => self.other,
        }
    }
}

/// `template` with each `{name}` replaced by its value; unknown placeholders stay as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (before, from_brace) = rest.split_at(open);
        out.push_str(before);
        let value = from_brace.find('}').and_then(|close| {
            let name = from_brace.get(1..close)?;
            let value = values.iter().find(|(n, _)| *n == name)?.1;
            Some((value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = from_brace.get(close + 1..).unwrap_or("");
            }
            None => {
                out.push('{');
                rest = from_brace.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` with its first letter upper-case (a sentence that starts with "the other party").
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The text before and after `{name}` in `template`, for markup around the value (a number kept
/// left-to-right); the whole template before when it has no such placeholder.
pub fn around<'t>(template: &'t str, name: &str) -> (&'t str, &'t str) {
    let placeholder = format!("{{{name}}}");
    match template.split_once(placeholder.as_str()) {
        Some((before, after)) => (before, after),
        None => (template, ""),
    }
}

/// Every sentence the widget shows, in one language.
#[derive(Debug, PartialEq, Eq)]
pub struct Texts {
    // --- the widget and its header
    pub widget: &'static str,
    /// Shown in place of the widget after a panic.
    pub crashed: &'static str,
    /// Shown in place of the widget after `GwsImWidget.signOut` (in this tab or another).
    pub signed_out_notice: &'static str,
    pub new_im: &'static str,
    pub shortcuts: &'static str,
    pub connecting: &'static str,
    pub connected: &'static str,
    pub reconnecting: &'static str,
    pub offline: &'static str,
    /// The connection indicator while the GWS session has expired.
    pub signed_out: &'static str,
    /// The banner while signed out: what is kept and that the widget carries on by itself.
    pub signed_out_banner: &'static str,
    /// "{count}"
    pub unread_total: &'static str,
    pub enable_alerts: &'static str,
    pub mute_alerts: &'static str,
    /// Shown beside the unread total while alerts are muted.
    pub alerts_muted: &'static str,
    /// The header's menu button: desktop alerts, mute, keyboard shortcuts.
    pub menu: &'static str,
    pub alert_message_title: &'static str,
    /// "{party}"
    pub alert_message_body: &'static str,
    pub alert_ring_title: &'static str,
    /// "{party}"
    pub alert_ring_body: &'static str,
    pub dismiss_message: &'static str,

    // --- the session list
    pub loading: &'static str,
    /// "{reason}"
    pub load_failed: &'static str,
    pub try_again: &'static str,
    pub no_sessions: &'static str,
    pub none_match: &'static str,
    pub sessions: &'static str,
    pub filter_all: &'static str,
    pub filter_active: &'static str,
    pub filter_completed: &'static str,
    pub show_sessions: &'static str,
    pub search_sessions: &'static str,
    pub search_placeholder: &'static str,
    pub unknown_party: &'static str,
    pub fresh: &'static str,
    /// "{count}"
    pub unread_badge: Plural,
    /// The button under a transcript the agent scrolled up in, when lines arrived: "3 new messages".
    pub new_messages: Plural,
    pub state_initiating: &'static str,
    pub state_alerting: &'static str,
    pub state_talking: &'static str,
    pub state_completed: &'static str,
    pub state_unknown: &'static str,
    pub just_now: &'static str,
    /// "{n}"
    pub seconds: &'static str,
    /// "{n}"
    pub minutes: &'static str,
    /// "{n}"
    pub hours: &'static str,
    /// "{duration}"
    pub waiting: &'static str,
    pub wait_warning: &'static str,
    pub wait_urgent: &'static str,

    // --- the chat
    pub select_session: &'static str,
    /// In place of the chat or a dialog while its code is fetched (the first time only).
    pub part_loading: &'static str,
    /// In place of the chat or a dialog when its code could not be fetched (with Retry).
    pub part_failed: &'static str,
    /// "{party}"
    pub chat_with: &'static str,
    pub messages: &'static str,
    pub no_messages: &'static str,
    /// "{party}"
    pub they_wrote_at: &'static str,
    pub you_wrote_at: &'static str,
    pub queued: &'static str,
    pub sending: &'static str,
    pub sent: &'static str,
    /// "{reason}"
    pub not_sent: &'static str,
    pub checking_delivery: &'static str,
    pub not_delivered: &'static str,
    pub maybe_delivered: &'static str,
    pub retry: &'static str,
    pub discard: &'static str,
    pub gap: &'static str,
    /// "{party}"
    pub notice_calling: &'static str,
    /// "{party}"
    pub notice_alerting: &'static str,
    /// "{party}"
    pub notice_talking: &'static str,
    pub notice_ended: &'static str,
    /// "{state}"
    pub notice_state: &'static str,
    pub the_other_party: &'static str,
    pub end_session: &'static str,
    pub ending: &'static str,
    pub dismiss: &'static str,
    /// The agent, in a copied transcript ("08:15 You: …").
    pub you: &'static str,
    pub copy_transcript: &'static str,
    /// The bar that replaces the composer of a completed session: "Ended at {time}".
    pub ended_at: &'static str,
    /// Its label for assistive technology.
    pub session_over: &'static str,
    /// Announced once the transcript is on the clipboard.
    pub transcript_copied: &'static str,
    /// Announced when the browser refused the clipboard.
    pub transcript_not_copied: &'static str,
    pub wait_for_request: &'static str,
    pub message: &'static str,
    pub send: &'static str,
    pub composer_hint: &'static str,
    pub canned_responses: &'static str,
    pub no_canned_match: &'static str,
    pub end_title: &'static str,
    /// "{party}"
    pub end_question: &'static str,
    pub keep_open: &'static str,

    // --- the New IM form
    pub extension: &'static str,
    pub case_data_optional: &'static str,
    pub case_data_key: &'static str,
    pub case_data_value: &'static str,
    pub starting: &'static str,
    pub start_im: &'static str,
    pub cancel: &'static str,

    // --- case data
    pub case_data: &'static str,
    /// Day separators in a transcript (other days show their date).
    pub today: &'static str,
    pub yesterday: &'static str,
    pub no_case_data: &'static str,
    /// The case-data panel's toggle: "{count}" keys.
    pub case_data_count: &'static str,
    pub edit_case_data: &'static str,
    /// Leaves case-data editing for the read view.
    pub done_editing: &'static str,
    /// The button above a long transcript's newest lines.
    pub show_earlier: &'static str,
    /// "{count}", "{hidden}": the button under a long case-data table.
    pub show_more_keys: &'static str,
    pub key: &'static str,
    pub value: &'static str,
    pub actions: &'static str,
    /// "{key}"
    pub value_of: &'static str,
    /// "{key}"
    pub save_key: &'static str,
    /// "{key}"
    pub remove_key: &'static str,
    pub saving: &'static str,
    pub removing: &'static str,
    pub adding: &'static str,
    pub new_key: &'static str,
    pub new_value: &'static str,
    pub add: &'static str,

    // --- keyboard shortcuts (what each does; key names stay keys)
    pub close: &'static str,
    pub shortcut_next: &'static str,
    pub shortcut_previous: &'static str,
    pub shortcut_unread: &'static str,
    pub shortcut_send: &'static str,
    pub shortcut_new_line: &'static str,
    pub shortcut_canned: &'static str,
    pub shortcut_choose: &'static str,
    /// The keys of `shortcut_choose` (key names stay keys; only "then" is a word).
    pub keys_choose: &'static str,
    pub shortcut_escape: &'static str,

    // --- default canned responses (placeholders {name} / {number} are filled by the composer)
    pub canned: [(&'static str, &'static str); 3],

    // --- problems
    pub session_ended: &'static str,
    pub cannot_send: &'static str,
    pub cannot_end: &'static str,
    pub cannot_change_case_data: &'static str,
    pub no_number: &'static str,
    pub no_device: &'static str,
    pub empty_key: &'static str,
    pub empty_extension: &'static str,
    pub one_session_at_a_time: &'static str,
    /// "{action}", "{reason}"
    pub action_failed: &'static str,
    pub action_send: &'static str,
    pub action_attach: &'static str,
    pub action_update: &'static str,
    pub action_delete: &'static str,
    pub action_complete: &'static str,
    /// "{reason}"
    pub refresh_failed: &'static str,
    /// The banner when the browser keeps no transcripts (storage full or refused).
    pub storage_refused: &'static str,

    // --- request errors (`api::Error::describe`)
    /// "{detail}"
    pub error_network: &'static str,
    pub error_signed_out: &'static str,
    pub error_csrf: &'static str,
    pub error_missing: &'static str,
    pub error_invalid_state: &'static str,
    pub error_not_allowed: &'static str,
    pub error_server: &'static str,
    pub error_not_found: &'static str,
    pub error_signed_out_short: &'static str,
    pub error_refused: &'static str,
    /// "{what}"
    pub error_gws: &'static str,
    /// "{what}", "{message}"
    pub error_gws_message: &'static str,
    /// "{status}"
    pub error_http: &'static str,
    /// "{detail}"
    pub error_decode: &'static str,
}

#[cfg(test)]
mod tests;
