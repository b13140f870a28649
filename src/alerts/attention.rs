//! What needs the agent's attention: what is new between two models, unread totals, the waiting
//! timer's escalation, and when a still-ringing session rings again. Pure, tested natively.

use gws_protocol::ImSessionState;

use crate::i18n::format::Digits;
use crate::i18n::{fill, Locale, Texts};
use crate::state::{Changed, LineKind, Millis, Model, SessionView, Touched};

/// Sessions that started ringing and sessions that received a message, in one model change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct News {
    pub ringing: Vec<String>,
    pub incoming: Vec<String>,
}

impl News {
    /// What the change `touched` made to `model` brought: sessions that began ringing (new, or
    /// alerting again) and sessions that received a message, in the order the change reached them.
    pub fn of(touched: &Touched, model: &Model) -> Self {
        let mut news = News::default();
        let alerting = |state: &ImSessionState| *state == ImSessionState::Alerting;
        for Changed { view, was } in touched.changed(model) {
            let rings = alerting(view.state()) && !was.is_some_and(|was| alerting(&was.state));
            if rings {
                news.ringing.push(view.id.clone());
            }
            if was.is_some_and(|was| view.incoming > was.incoming) {
                news.incoming.push(view.id.clone());
            }
        }
        news
    }

    pub fn is_empty(&self) -> bool {
        self.ringing.is_empty() && self.incoming.is_empty()
    }
}

/// What the widget keeps about attention between model changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attention {
    /// News not yet turned into alerts (drained by the alerts effect).
    pub pending: Vec<News>,
    /// Sessions that received something while not open: marked "New" until opened. Each change
    /// to it is a change to a session the reducer touched, so the rows read it untracked.
    pub fresh: std::collections::HashSet<String>,
}

impl Attention {
    /// Records one model change (`touched`, now `model`): queues its news and keeps the "New"
    /// marks in step with the model. Returns whether anything changed, so the runtime notifies
    /// the signal only then without comparing copies (in a full day's arrival the marks and the
    /// queued news hold a thousand entries, and copying them per event made it quadratic).
    pub fn absorb(&mut self, news: News, touched: &Touched, model: &Model) -> bool {
        let mut changed = false;
        let selected = model.selected.as_deref();
        for id in news.ringing.iter().chain(&news.incoming) {
            if selected != Some(id.as_str()) {
                changed |= self.fresh.insert(id.clone());
            }
        }
        if let Some(selected) = selected {
            changed |= self.fresh.remove(selected);
        }
        for id in &touched.ids {
            if model.session(id).is_none() {
                changed |= self.fresh.remove(id);
            }
        }
        if !news.is_empty() {
            self.pending.push(news);
            changed = true;
        }
        changed
    }

    pub fn is_fresh(&self, id: &str) -> bool {
        self.fresh.contains(id)
    }
}

/// A count as a badge shows it: "9+" above nine.
pub fn capped(count: u32) -> String {
    capped_in(count, &|n| n.to_string())
}

/// A count as a badge shows it, in the locale's digits.
pub fn capped_in(count: u32, digits: Digits) -> String {
    if count > 9 {
        format!("{}+", digits(9))
    } else {
        digits(u64::from(count))
    }
}

/// A row's unread badge ("3 unread", "9+ unread"), `None` at zero.
pub fn unread_badge(count: u32, locale: Locale, digits: Digits) -> Option<String> {
    (count > 0).then(|| {
        let template = locale
            .texts()
            .unread_badge
            .pick(locale.plural(u64::from(count)));
        fill(template, &[("count", &capped_in(count, digits))])
    })
}

/// The document title with the unread total in front ("(3) Desk", "(9+) Desk"); the original at zero.
pub fn title_with_unread(original: &str, total: u32) -> String {
    if total == 0 {
        original.to_owned()
    } else {
        format!("({}) {original}", capped(total))
    }
}

/// How urgent the other party's wait is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitLevel {
    Normal,
    Warning,
    Urgent,
}

impl WaitLevel {
    /// The level after `waited` ms, with the host's thresholds in seconds.
    pub fn after(waited: Millis, warning_seconds: u32, urgent_seconds: u32) -> Self {
        let seconds = waited / 1000.0;
        if seconds >= f64::from(urgent_seconds) {
            Self::Urgent
        } else if seconds >= f64::from(warning_seconds) {
            Self::Warning
        } else {
            Self::Normal
        }
    }

    /// The BEM modifier.
    pub fn modifier(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::Warning => "warning",
            Self::Urgent => "urgent",
        }
    }

    /// The icon shown before the text (state is never shown by colour alone).
    pub fn icon(self) -> &'static str {
        match self {
            Self::Normal => "",
            Self::Warning => "⚠ ",
            Self::Urgent => "‼ ",
        }
    }
}

/// When the other party's unanswered message came, if they are waiting for a reply.
pub fn waiting_since(view: &SessionView) -> Option<Millis> {
    if view.is_completed() || !view.awaiting_reply() {
        return None;
    }
    view.last_message().map(|line| line.at)
}

/// A duration in whole seconds as the timer writes it: "45 s", "1 min 5 s", "1 h 2 min".
pub fn duration_text(elapsed: Millis, t: &Texts, digits: Digits) -> String {
    // A clock that went backwards (or a NaN from bad data) reads as zero.
    let seconds = if elapsed.is_finite() && elapsed > 0.0 {
        (elapsed / 1000.0).floor() as u64
    } else {
        0
    };
    let unit = |template: &str, n: u64| fill(template, &[("n", &digits(n))]);
    match (seconds / 3600, (seconds / 60) % 60, seconds % 60) {
        (0, 0, s) => unit(t.seconds, s),
        (0, m, 0) => unit(t.minutes, m),
        (0, m, s) => format!("{} {}", unit(t.minutes, m), unit(t.seconds, s)),
        (h, 0, _) => unit(t.hours, h),
        (h, m, _) => format!("{} {}", unit(t.hours, h), unit(t.minutes, m)),
    }
}

/// The waiting timer's words after its icon ("Waiting 45 s") and the level said to screen readers
/// after them (", warning"; empty when normal).
pub fn waiting_text(
    elapsed: Millis,
    level: WaitLevel,
    t: &Texts,
    digits: Digits,
) -> (String, &'static str) {
    let duration = duration_text(elapsed, t, digits);
    let spoken = match level {
        WaitLevel::Normal => "",
        WaitLevel::Warning => t.wait_warning,
        WaitLevel::Urgent => t.wait_urgent,
    };
    (fill(t.waiting, &[("duration", &duration)]), spoken)
}

/// Which of the `alerting` sessions ring again at `now`: those last rung `repeat` ms ago or more.
/// Updates `last_rung`, and forgets sessions that stopped ringing.
pub fn due_rings(
    alerting: &[String],
    last_rung: &mut Vec<(String, Millis)>,
    now: Millis,
    repeat: Millis,
) -> Vec<String> {
    last_rung.retain(|(id, _)| alerting.contains(id));
    let mut due = Vec::new();
    for id in alerting {
        match last_rung.iter_mut().find(|(rung, _)| rung == id) {
            Some((_, at)) if now - *at >= repeat => {
                *at = now;
                due.push(id.clone());
            }
            Some(_) => {}
            // A session seen ringing for the first time rang through its news already.
            None => last_rung.push((id.clone(), now)),
        }
    }
    due
}

/// The texts of the incoming lines after the first `seen` (a transcript only grows at its end), and
/// `seen` becomes their count: what an open chat announces to screen readers. `lines` may be the
/// newest part of the transcript only, with `before` incoming lines ahead of it.
pub fn unseen_incoming(
    lines: &[crate::state::Line],
    before: usize,
    seen: &mut usize,
) -> Vec<String> {
    let mut count = before;
    let mut texts = Vec::new();
    for line in lines
        .iter()
        .filter(|line| matches!(line.kind, LineKind::Incoming))
    {
        if count >= *seen {
            texts.push(line.text.clone());
        }
        count += 1;
    }
    *seen = count;
    texts
}

#[cfg(test)]
mod tests;
