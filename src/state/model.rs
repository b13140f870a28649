//! What the widget knows: the sessions in order (each in `session.rs`) with their index, what a
//! change touched, the list load, the connection, the New IM form. Plain data.

use gws_protocol::ImSessionState;

use super::notice::Problem;
use super::session::SessionView;
use super::Millis;

/// Where loading the session list stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ListLoad {
    #[default]
    Loading,
    Loaded,
    Failed(Problem),
}

/// The notification channel, as the agent should understand it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Connection {
    /// Starting up: no CometD session yet.
    #[default]
    Connecting,
    /// A live CometD session: every change arrives.
    Connected,
    /// The channel is interrupted and being re-established; nothing is known lost yet.
    Reconnecting { since: Millis },
    /// The server cannot be reached at all for now.
    Offline { since: Millis },
}

/// How many dismissed session ids a model remembers (see `Model::dismissed`).
pub const DISMISSED_KEPT: usize = 500;

/// Everything the widget shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    pub load: ListLoad,
    /// In the order this client first saw them. Read through [`Model::sessions`]; changed only
    /// through `session_mut`, `change_sessions`, `push_session` and `remove_session`, which note
    /// what they touched (so the runtime re-runs only what shows those sessions).
    pub(super) sessions: Vec<SessionView>,
    /// The session open in the chat pane.
    pub selected: Option<String>,
    pub connection: Connection,
    /// When the last live CometD session ended (start of a possible gap).
    pub live_lost_at: Option<Millis>,
    /// No later than when the last answered `/meta/connect` left: everything published before
    /// it surely arrived, so a gap can begin no earlier than this (`Event::Live(LiveEvent::Round)`).
    pub delivered_before: Option<Millis>,
    /// Completed sessions the agent dismissed that the server still lists: a re-read of the list
    /// must not bring them back. Only ids the last list still had are kept, and at most
    /// [`DISMISSED_KEPT`] (the oldest go first), so memory stays flat over a shift.
    pub dismissed: std::collections::VecDeque<String>,
    /// The last gap (from, until) until the list is read again: a session first seen by that
    /// read (or by a notification before it) may have been live during the gap, so it is marked too.
    pub pending_gap: Option<(Millis, Millis)>,
    /// The agent's IM device (`/devices/{id}`), needed by SendMessage.
    pub device_path: Option<String>,
    /// The outcome of the last "New IM" request, shown in its form.
    pub new_im: NewImStatus,
    /// A problem that is not about one session (shown in the widget's banner).
    pub banner: Option<Problem>,
    /// The agent's GWS session has expired (HTTP 401 / `statusCode` 20): requests fail until they
    /// sign in again, which the widget checks by itself (`Command::CheckSignIn`).
    pub signed_out: bool,
    /// Sign-in checks that found the agent still signed out, for their backoff.
    pub(crate) sign_in_checks: u32,
    /// A `CheckSignIn` is out (its timer or its request): at most one at a time.
    pub(crate) sign_in_pending: bool,
    pub(crate) next_local_id: u64,
    /// Counts the sessions the widget opened by itself (a New IM the agent started): a narrow
    /// widget then shows that chat instead of the list.
    pub opened_by_itself: u32,
    /// How many own lines may be `Unconfirmed` (at least as many as are): 0 spares each connect
    /// round a scan of every transcript.
    pub(crate) unconfirmed: u32,
    /// Failed list loads in a row, for the retry backoff.
    pub(crate) load_failures: u32,
    /// Where each session sits in `sessions`: every row looks its session up on each change, and a
    /// scan per row made a thousand sessions quadratic.
    pub(crate) index: SessionIndex,
    /// The agent was told that storage refused transcripts (they are told once per page).
    pub storage_refused: bool,
    /// The sessions changed since the runtime last asked ([`Model::take_touched`]).
    pub(crate) touched: Touched,
}

/// Which sessions changed since the runtime last looked, and what each showed before: what it
/// tells each session's views, and all the news and host events of a change are made of (a diff
/// of every session per change made a thousand sessions' arrival freeze the page for a second).
/// Derived data, like the index: ignored by `==`. A session looked up for change counts as
/// changed (a view that re-runs for nothing only compares equal again), never the other way round.
#[derive(Debug, Clone, Default)]
pub struct Touched {
    /// The ids of the sessions changed, added or removed.
    pub ids: std::collections::HashSet<String>,
    /// Each of them in the order the change first reached it, with what it showed before (`None`:
    /// the change added it). A list, not a map: a change touches few sessions, and each is read
    /// once (a map and a sort here cost the bundle about 3 KB).
    noted: Vec<(String, Option<Was>)>,
}

impl PartialEq for Touched {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// What a session showed before a change: all that its news and the host's events compare.
#[derive(Debug, Clone, PartialEq)]
pub struct Was {
    pub state: ImSessionState,
    pub incoming: usize,
    pub unread: u32,
}

impl Was {
    pub fn of(view: &SessionView) -> Self {
        Self {
            state: view.state().clone(),
            incoming: view.incoming,
            unread: view.unread,
        }
    }
}

/// A touched session as it is now, with what it was (`None`: the change added it).
#[derive(Debug, Clone, Copy)]
pub struct Changed<'a> {
    pub view: &'a SessionView,
    pub was: Option<&'a Was>,
}

impl Touched {
    /// Notes that session `view` is about to change (what it shows now is what it was, unless it
    /// was touched already).
    fn note(&mut self, view: &SessionView) {
        self.note_was(&view.id, Some(Was::of(view)));
    }

    /// Notes session `id` with what it was (`None`: added), unless it was touched already.
    fn note_was(&mut self, id: &str, was: Option<Was>) {
        if self.ids.insert(id.to_owned()) {
            self.noted.push((id.to_owned(), was));
        }
    }

    /// The touched sessions still in `model`, in the order the change reached them, each with what
    /// it was.
    pub fn changed<'a>(&'a self, model: &'a Model) -> impl Iterator<Item = Changed<'a>> {
        self.noted.iter().filter_map(|(id, was)| {
            model.session(id).map(|view| Changed {
                view,
                was: was.as_ref(),
            })
        })
    }

    /// Whether the change moved the unread total (a removed session's unread counts as gone).
    pub fn moved_unread(&self, model: &Model) -> bool {
        let mut delta: i64 = 0;
        for (id, was) in &self.noted {
            let now = model.session(id).map_or(0, |view| view.unread);
            let was = was.as_ref().map_or(0, |was| was.unread);
            delta += i64::from(now) - i64::from(was);
        }
        delta != 0
    }
}

/// Session id → position in `Model::sessions`. Derived data: kept by `push_session` and
/// `remove_session`, checked on every use (a stale or missing entry falls back to a scan), and
/// ignored by `==`.
#[derive(Debug, Clone, Default)]
pub struct SessionIndex(pub(crate) std::collections::HashMap<String, usize>);

impl PartialEq for SessionIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// The "New IM" form's request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum NewImStatus {
    #[default]
    Idle,
    Sending,
    Failed(Problem),
}

impl Model {
    /// Whether the agent dismissed session `id` (and it is still remembered).
    pub fn was_dismissed(&self, id: &str) -> bool {
        self.dismissed.iter().any(|kept| kept == id)
    }

    pub fn session(&self, id: &str) -> Option<&SessionView> {
        let at = self.position(id)?;
        self.sessions.get(at)
    }

    /// Every session, in the order this client first saw them.
    pub fn sessions(&self) -> &[SessionView] {
        &self.sessions
    }

    /// Session `id`, to change it (noted as touched).
    pub(crate) fn session_mut(&mut self, id: &str) -> Option<&mut SessionView> {
        let at = self.position(id)?;
        self.touched.note(&self.sessions[at]);
        self.sessions.get_mut(at)
    }

    /// Offers every session to `change`, noting as touched those it says it changed: a change
    /// that reaches few of a full day's sessions re-runs the views of those few.
    pub(crate) fn change_sessions(&mut self, mut change: impl FnMut(&mut SessionView) -> bool) {
        for view in &mut self.sessions {
            let was = Was::of(view);
            if change(view) {
                self.touched.note_was(&view.id, Some(was));
            }
        }
    }

    /// What changed since the last call, and starts afresh.
    pub fn take_touched(&mut self) -> Touched {
        std::mem::take(&mut self.touched)
    }

    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        match self.index.0.get(id) {
            Some(&at) if self.sessions.get(at).is_some_and(|s| s.id == id) => Some(at),
            _ => self.sessions.iter().position(|s| s.id == id),
        }
    }

    /// A model holding `sessions`, in that order, with its index: the one way tests outside the
    /// reducer build a model from views (a `Model { sessions, .. }` literal would leave the index
    /// empty, and `session(id)` would find nothing).
    #[cfg(test)]
    pub(crate) fn with_sessions(sessions: Vec<SessionView>) -> Self {
        let mut model = Self::default();
        for view in sessions {
            model.push_session(view);
        }
        model
    }

    /// Adds a session at the end of the list.
    pub(crate) fn push_session(&mut self, view: SessionView) {
        self.touched.note_was(&view.id, None);
        self.index.0.insert(view.id.clone(), self.sessions.len());
        self.sessions.push(view);
    }

    /// Removes the session at `at` (the positions after it move up).
    pub(crate) fn remove_session(&mut self, at: usize) {
        if at >= self.sessions.len() {
            return;
        }
        self.touched.note(&self.sessions[at]);
        let gone = self.sessions.remove(at);
        self.index.0.remove(&gone.id);
        for (position, view) in self.sessions.iter().enumerate().skip(at) {
            self.index.0.insert(view.id.clone(), position);
        }
    }

    pub fn selected_session(&self) -> Option<&SessionView> {
        self.selected.as_deref().and_then(|id| self.session(id))
    }

    /// Total unread messages across sessions.
    pub fn unread_total(&self) -> u32 {
        self.sessions.iter().map(|s| s.unread).sum()
    }
}
