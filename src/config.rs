//! What the host page configures.

/// Settings read from the host element's `data-*` attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetConfig {
    /// The GWS API base, `/api/v2` on the page's own origin unless the host says otherwise.
    pub api_base: String,
    /// The CometD endpoint; `{api_base}/notifications` unless `data-notifications-url` says otherwise.
    pub notifications_url: Option<String>,
    /// Names for numbers (`data-directory='{"3002":"Supervisor Sam"}'`), shown beside the number.
    pub directory: Vec<(String, String)>,
    /// Phrases the composer's picker inserts (`data-canned-responses`), else three default ones.
    pub canned_responses: Vec<crate::workflow::CannedResponse>,
    /// The waiting timer turns to warning after this many seconds (`data-wait-warning-seconds`).
    pub wait_warning_seconds: u32,
    /// ... and to urgent after this many (`data-wait-urgent-seconds`), never before the warning.
    pub wait_urgent_seconds: u32,
    /// A still-ringing session alerts again this often (`data-ring-repeat-seconds`).
    pub ring_repeat_seconds: u32,
    /// The language tag asked for (`data-locale`, e.g. "de", "ar-EG"); `None` follows the browser.
    pub locale: Option<String>,
    /// Light, dark, or following `prefers-color-scheme` (`data-theme`).
    pub theme: Theme,
    /// Whether alerts play a tone (`data-sound="off"` silences them; the visual alerts stay).
    pub sound: bool,
    /// Where transcripts, drafts and preferences are kept across a reload (`data-storage`).
    pub storage: StorageMode,
    /// A kept transcript is removed this long after its last line (`data-retention-hours`).
    pub retention_minutes: u32,
    /// What was given but could not be used, in words for the console (the default is used instead).
    pub warnings: Vec<String>,
}

/// Where the widget keeps what must survive a reload (`data-storage` / `storage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StorageMode {
    /// `localStorage`: survives a reload and the tab (the default).
    #[default]
    Local,
    /// The tab's `sessionStorage`: survives a reload, not the tab.
    Session,
    /// Memory only: nothing is written.
    None,
}

impl StorageMode {
    /// "local", "session" or "none" (case and spaces ignored); anything else is `None` here.
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "local" => Some(Self::Local),
            "session" => Some(Self::Session),
            "none" => Some(Self::None),
            _ => None,
        }
    }
}

/// A kept transcript outlives its last line by a shift unless the host says otherwise.
pub const DEFAULT_RETENTION_MINUTES: u32 = 12 * 60;

/// Hours as the host writes them ("12", "0.5"), from one minute to 30 days, in whole minutes.
pub fn parse_retention_hours(text: &str) -> Option<u32> {
    // A JSON number (the browser's JSON.parse reads it): `str::parse::<f64>` would add core's float
    // parser (about 30 KB of wasm).
    let hours = crate::json::parse(text.trim()).ok()?.as_f64()?;
    let minutes = (hours * 60.0).round();
    (hours.is_finite() && (1.0..=30.0 * 24.0 * 60.0).contains(&minutes)).then_some(minutes as u32)
}

/// The colour theme the host asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follows the agent's `prefers-color-scheme`.
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    /// "light", "dark" or anything else (auto); case and spaces ignored.
    pub fn parse(value: &str) -> Self {
        match value.trim().to_ascii_lowercase().as_str() {
            "light" => Self::Light,
            "dark" => Self::Dark,
            _ => Self::Auto,
        }
    }

    /// The modifier class on the widget's root, if the theme is forced.
    pub fn class(self) -> &'static str {
        match self {
            Self::Auto => "",
            Self::Light => "imw--light",
            Self::Dark => "imw--dark",
        }
    }
}

impl Default for WidgetConfig {
    fn default() -> Self {
        Self {
            api_base: "/api/v2".into(),
            notifications_url: None,
            directory: Vec::new(),
            canned_responses: crate::workflow::default_canned(),
            wait_warning_seconds: 30,
            wait_urgent_seconds: 60,
            ring_repeat_seconds: 10,
            locale: None,
            theme: Theme::Auto,
            sound: true,
            storage: StorageMode::Local,
            retention_minutes: DEFAULT_RETENTION_MINUTES,
            warnings: Vec::new(),
        }
    }
}

impl WidgetConfig {
    /// Reads `data-api-base` through `attribute`; blank or missing values keep the default.
    pub fn from_attributes(attribute: impl Fn(&str) -> Option<String>) -> Self {
        let mut config = Self::default();
        if let Some(base) = attribute("data-api-base").map(|b| b.trim().to_owned()) {
            if !base.is_empty() {
                config.api_base = base.trim_end_matches('/').to_owned();
            }
        }
        if let Some(url) = attribute("data-notifications-url").map(|u| u.trim().to_owned()) {
            if !url.is_empty() {
                config.notifications_url = Some(url);
            }
        }
        if let Some(directory) = attribute("data-directory") {
            // A malformed directory is ignored: numbers are still shown.
            if let Ok(serde_json::Value::Object(entries)) = crate::json::parse(&directory) {
                config.directory = entries
                    .into_iter()
                    .filter_map(|(number, name)| Some((number, name.as_str()?.to_owned())))
                    .collect();
            }
        }
        // A malformed or empty list keeps the defaults: the picker is never empty.
        if let Some(canned) = attribute("data-canned-responses")
            .as_deref()
            .and_then(crate::workflow::parse_canned)
        {
            if !canned.is_empty() {
                config.canned_responses = canned;
            }
        }
        let seconds = |name| attribute(name).as_deref().and_then(parse_seconds);
        if let Some(warning) = seconds("data-wait-warning-seconds") {
            config.wait_warning_seconds = warning;
        }
        if let Some(urgent) = seconds("data-wait-urgent-seconds") {
            config.wait_urgent_seconds = urgent;
        }
        config.wait_urgent_seconds = config.wait_urgent_seconds.max(config.wait_warning_seconds);
        if let Some(repeat) = seconds("data-ring-repeat-seconds") {
            config.ring_repeat_seconds = repeat;
        }
        if let Some(locale) = attribute("data-locale").map(|l| l.trim().to_owned()) {
            if !locale.is_empty() {
                config.locale = Some(locale);
            }
        }
        if let Some(theme) = attribute("data-theme") {
            config.theme = Theme::parse(&theme);
        }
        if let Some(sound) = attribute("data-sound") {
            config.sound = !matches!(
                sound.trim().to_ascii_lowercase().as_str(),
                "off" | "false" | "0" | "no"
            );
        }
        if let Some(storage) = attribute("data-storage") {
            match StorageMode::parse(&storage) {
                Some(mode) => config.storage = mode,
                None => config.warnings.push(format!(
                    "gws-im-widget: storage \"{}\" is not local, session or none; transcripts are kept in localStorage",
                    storage.trim()
                )),
            }
        }
        if let Some(hours) = attribute("data-retention-hours") {
            match parse_retention_hours(&hours) {
                Some(minutes) => config.retention_minutes = minutes,
                None => config.warnings.push(format!(
                    "gws-im-widget: retentionHours \"{}\" is not a number of hours from 0.02 to 720; transcripts are kept 12 hours",
                    hours.trim()
                )),
            }
        }
        config
    }

    /// How long a kept transcript outlives its last line, in milliseconds.
    pub fn retention_ms(&self) -> f64 {
        f64::from(self.retention_minutes) * 60_000.0
    }

    /// Where the CometD client long-polls.
    pub fn notifications_url(&self) -> String {
        self.notifications_url
            .clone()
            .unwrap_or_else(|| format!("{}/notifications", self.api_base))
    }

    /// The directory's name for `number`, if the host gave one.
    pub fn name_for(&self, number: &str) -> Option<&str> {
        let number = number.trim();
        self.directory
            .iter()
            .find(|(n, _)| n == number)
            .map(|(_, name)| name.as_str())
    }
}

/// A host-given number of seconds: a whole number from 1 to a day; anything else is ignored.
pub fn parse_seconds(text: &str) -> Option<u32> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|seconds| (1..=86_400).contains(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_whole_positive_and_at_most_a_day() {
        assert_eq!(parse_seconds(" 45 "), Some(45));
        for bad in ["", "0", "-3", "1.5", "abc", "86401"] {
            assert_eq!(parse_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn defaults_to_api_v2_on_the_same_origin() {
        assert_eq!(WidgetConfig::from_attributes(|_| None).api_base, "/api/v2");
        assert_eq!(
            WidgetConfig::from_attributes(|_| Some("  ".into())).api_base,
            "/api/v2"
        );
    }

    #[test]
    fn takes_the_host_api_base_without_trailing_slash() {
        let config = WidgetConfig::from_attributes(|name| {
            (name == "data-api-base").then(|| "https://gws.example/api/v2/".into())
        });
        assert_eq!(config.api_base, "https://gws.example/api/v2");
        assert_eq!(
            config.notifications_url(),
            "https://gws.example/api/v2/notifications"
        );
    }

    #[test]
    fn reads_the_directory_and_ignores_a_malformed_one() {
        let config = WidgetConfig::from_attributes(|name| {
            (name == "data-directory").then(|| r#"{"3002":"Supervisor Sam","3003":7}"#.into())
        });
        assert_eq!(config.name_for(" 3002 "), Some("Supervisor Sam"));
        assert_eq!(config.name_for("3003"), None);
        let config = WidgetConfig::from_attributes(|name| {
            (name == "data-directory").then(|| "{nope".into())
        });
        assert!(config.directory.is_empty());
    }

    #[test]
    fn reads_canned_responses_and_keeps_the_defaults_when_none_or_malformed() {
        let config = WidgetConfig::from_attributes(|name| {
            (name == "data-canned-responses")
                .then(|| r#"["Hi {name}", {"title":"Bye","text":"Goodbye {number}"}]"#.into())
        });
        let titles: Vec<_> = config
            .canned_responses
            .iter()
            .map(|c| c.title.as_str())
            .collect();
        assert_eq!(titles, ["Hi {name}", "Bye"]);
        let defaults = crate::workflow::default_canned();
        assert_eq!(
            WidgetConfig::from_attributes(|_| None).canned_responses,
            defaults
        );
        for bad in ["{nope", "[]", r#"{"a":1}"#] {
            let config = WidgetConfig::from_attributes(|name| {
                (name == "data-canned-responses").then(|| bad.into())
            });
            assert_eq!(config.canned_responses, defaults, "{bad}");
        }
    }

    #[test]
    fn reads_the_attention_thresholds_and_keeps_defaults_for_bad_values() {
        let config = WidgetConfig::from_attributes(|_| None);
        assert_eq!(
            (
                config.wait_warning_seconds,
                config.wait_urgent_seconds,
                config.ring_repeat_seconds
            ),
            (30, 60, 10)
        );
        let config = WidgetConfig::from_attributes(|name| match name {
            "data-wait-warning-seconds" => Some(" 2 ".into()),
            "data-wait-urgent-seconds" => Some("4".into()),
            "data-ring-repeat-seconds" => Some("nope".into()),
            _ => None,
        });
        assert_eq!(
            (
                config.wait_warning_seconds,
                config.wait_urgent_seconds,
                config.ring_repeat_seconds
            ),
            (2, 4, 10)
        );
        let config = WidgetConfig::from_attributes(|name| match name {
            "data-wait-warning-seconds" => Some("90".into()),
            "data-ring-repeat-seconds" => Some("0".into()),
            _ => None,
        });
        assert_eq!(
            config.wait_urgent_seconds, 90,
            "urgent never comes before warning"
        );
        assert_eq!(config.ring_repeat_seconds, 10, "zero would ring every tick");
    }

    #[test]
    fn reads_locale_theme_and_sound() {
        let config = WidgetConfig::from_attributes(|_| None);
        assert_eq!(
            (config.locale, config.theme, config.sound),
            (None, Theme::Auto, true)
        );
        let config = WidgetConfig::from_attributes(|name| match name {
            "data-locale" => Some(" ar-EG ".into()),
            "data-theme" => Some("Dark".into()),
            "data-sound" => Some("off".into()),
            _ => None,
        });
        assert_eq!(config.locale.as_deref(), Some("ar-EG"));
        assert_eq!(config.theme, Theme::Dark);
        assert!(!config.sound);
        assert_eq!(Theme::parse("purple"), Theme::Auto);
        assert_eq!(Theme::Light.class(), "imw--light");
    }

    #[test]
    fn reads_storage_and_retention_and_says_what_it_could_not_use() {
        let config = WidgetConfig::from_attributes(|_| None);
        assert_eq!(
            (config.storage, config.retention_minutes),
            (StorageMode::Local, 720)
        );
        assert!(config.warnings.is_empty());
        let config = WidgetConfig::from_attributes(|name| match name {
            "data-storage" => Some(" Session ".into()),
            "data-retention-hours" => Some("0.5".into()),
            _ => None,
        });
        assert_eq!(
            (
                config.storage,
                config.retention_minutes,
                config.retention_ms()
            ),
            (StorageMode::Session, 30, 1_800_000.0)
        );
        assert_eq!(StorageMode::parse("none"), Some(StorageMode::None));
        let config = WidgetConfig::from_attributes(|name| match name {
            "data-storage" => Some("cookies".into()),
            "data-retention-hours" => Some("forever".into()),
            _ => None,
        });
        assert_eq!(
            (config.storage, config.retention_minutes),
            (StorageMode::Local, 720)
        );
        assert_eq!(config.warnings.len(), 2, "{:?}", config.warnings);
        assert!(config.warnings[0].contains("\"cookies\""));
        assert!(config.warnings[1].contains("\"forever\""));
        for bad in ["", "0", "-1", "0.001", "721", "NaN", "inf"] {
            assert_eq!(parse_retention_hours(bad), None, "{bad}");
        }
        assert_eq!(parse_retention_hours("720"), Some(43_200));
        assert_eq!(parse_retention_hours(" 24 "), Some(1_440));
    }
}
