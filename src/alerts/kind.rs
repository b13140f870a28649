//! What kind of alert fires, and what the browser allows: enums rather than strings.

/// Why the widget alerts the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertKind {
    /// A session began ringing.
    Ring,
    /// A session still rings (every `ringRepeatSeconds`).
    RingRepeat,
    /// The other party wrote while the agent could not see it.
    Message,
}

impl AlertKind {
    /// Its name in `window.__imwAlerts` (what tests and curious hosts read).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ring => "ring",
            Self::RingRepeat => "ring-repeat",
            Self::Message => "message",
        }
    }

    /// Rings get the two-tone beep; a message the single tone.
    pub fn is_urgent(self) -> bool {
        self != Self::Message
    }
}

/// The browser's answer about desktop notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Granted,
    Denied,
    /// Not asked yet: the header offers "Enable desktop alerts".
    Undecided,
    /// No Notification API here.
    Unsupported,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_keep_their_recorded_names_and_only_rings_are_urgent() {
        let kinds = [AlertKind::Ring, AlertKind::RingRepeat, AlertKind::Message];
        assert_eq!(
            kinds.map(AlertKind::as_str),
            ["ring", "ring-repeat", "message"]
        );
        assert_eq!(kinds.map(AlertKind::is_urgent), [true, true, false]);
    }
}
