//! What the host page configures.

/// Settings read from the host element's `data-*` attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetConfig {
    /// The GWS API base, `/api/v2` on the page's own origin unless the host says otherwise.
    pub api_base: String,
}

impl Default for WidgetConfig {
    fn default() -> Self {
        Self {
            api_base: "/api/v2".into(),
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
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
