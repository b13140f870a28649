//! The simulator's shared state: configuration, the GWS world, the CometD engine, HTTP sessions,
//! faults, counters and the scripted tasks running against them.

use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use gws_protocol::{ImNotification, IM_SESSIONS_TOPIC};
use serde::Serialize;
use serde_json::Value;
use tokio::task::AbortHandle;
use tokio::time::Instant;

use crate::auth::{HttpSession, HttpSessions};
use crate::bayeux::{Bayeux, BayeuxConfig};
use crate::faults::{FaultPlan, Faults, FaultsPatch, FaultsView};
use crate::model::{Notifications, OpError, World};
use crate::quirks::Presenter;
use crate::script::ScriptState;

/// What the agent did through the API, published by the world for whoever reacts to it (the scripted
/// colleagues of `scenario`): handlers say what happened and never call a reaction themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgentDid {
    /// An accepted InitiateIMSession created session `id`.
    Initiated { id: String },
    /// An accepted SendMessage in session `id`.
    Wrote { id: String, text: String },
    /// A CometD client subscribed to the IM topic.
    Subscribed,
}

/// A reaction to what the agent did; it runs in the handler's task, so it spawns what takes time.
pub type Reaction = Arc<dyn Fn(&SimState, &AgentDid) + Send + Sync>;

/// How many published payloads `/_sim/state` shows (and tests read).
const RECENT_NOTIFICATIONS: usize = 500;

/// Start-up configuration (the command-line flags).
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// `/api/v2` needs a session cookie (or Basic credentials); off with `--no-auth`.
    pub auth: bool,
    /// Writes need the CSRF token; off with `--no-csrf`.
    pub csrf: bool,
    /// The documentation's quirks at start (switchable with `PUT /_sim/quirks`).
    pub quirks: bool,
    /// Divides every scripted pause: 10 makes colleagues ten times faster.
    pub speed: f64,
    /// Seeds the fault dice.
    pub seed: u64,
    /// The built widget served at `/`.
    pub dist: PathBuf,
    pub bayeux: BayeuxConfig,
    /// Origins whose pages may call `/api/v2` with credentials (`--cors-origin`, repeatable;
    /// `*` answers any origin). Empty: same origin only, as GWS without CORS settings.
    pub cors_origins: Vec<String>,
    /// An HTTP session unused this long expires (`--session-idle-timeout-ms`); `None`: never.
    pub session_idle_timeout: Option<Duration>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            auth: true,
            csrf: true,
            quirks: true,
            speed: 1.0,
            seed: 1,
            dist: PathBuf::from("dist"),
            bayeux: BayeuxConfig::default(),
            cors_origins: Vec::new(),
            session_idle_timeout: None,
        }
    }
}

/// Request and event counts, for `/_sim/state` and benchmarks.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counters {
    /// `/api/v2` requests that passed authentication, CometD excluded.
    pub api_requests: u64,
    /// Requests to the CometD endpoint that passed authentication.
    pub notification_requests: u64,
    /// Operation requests by `operationName`, accepted or refused.
    pub operations: BTreeMap<String, u64>,
    /// Operations answered with a non-zero `statusCode`.
    pub refused_operations: u64,
    pub unauthorized: u64,
    pub csrf_rejected: u64,
    pub dropped_requests: u64,
    pub dropped_responses: u64,
    pub server_errors: u64,
    /// Requests held back by the `latencyMs` fault.
    pub delayed_requests: u64,
    pub notifications_published: u64,
    /// Session lists answered (`GET /api/v2/me/im-sessions` with a 2xx reply that was not lost).
    pub session_list_reads: u64,
}

#[derive(Debug, Default)]
struct PublishedLog {
    /// Counts state-change notifications: their capability order alternates with it.
    state_changes: u64,
    recent: VecDeque<Value>,
}

struct Inner {
    config: SimConfig,
    bayeux: Bayeux,
    world: Mutex<World>,
    quirks: AtomicBool,
    public_base: Mutex<String>,
    faults: Mutex<Faults>,
    http_sessions: Mutex<HttpSessions>,
    counters: Mutex<Counters>,
    published: Mutex<PublishedLog>,
    tasks: Mutex<Vec<AbortHandle>>,
    script: Mutex<ScriptState>,
    /// Who reacts to what the agent does, by name (installing one again replaces it).
    reactions: Mutex<BTreeMap<&'static str, Reaction>>,
}

/// Everything the routes share. Cheap to clone.
#[derive(Clone)]
pub struct SimState(Arc<Inner>);

/// Locks a mutex, shrugging off poisoning: a panicked task must not take the simulator down.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl SimState {
    pub fn new(mut config: SimConfig) -> Self {
        if !config.speed.is_finite() || config.speed <= 0.0 {
            config.speed = 1.0;
        }
        // Ids differ between runs so a client's stored transcripts never match a new session.
        let run_entropy = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let bayeux = Bayeux::new(config.bayeux.clone());
        let mut world = World::new(config.seed ^ run_entropy);
        world.keep_capabilities_on_complete = config.quirks;
        Self(Arc::new(Inner {
            quirks: AtomicBool::new(config.quirks),
            faults: Mutex::new(Faults::off(config.seed, config.bayeux.ack_extension)),
            http_sessions: Mutex::new(HttpSessions::new(
                run_entropy ^ config.seed.rotate_left(17),
                config.session_idle_timeout,
            )),
            public_base: Mutex::new("http://127.0.0.1:8080".into()),
            world: Mutex::new(world),
            counters: Mutex::new(Counters::default()),
            published: Mutex::new(PublishedLog::default()),
            tasks: Mutex::new(Vec::new()),
            script: Mutex::new(ScriptState::default()),
            reactions: Mutex::new(BTreeMap::new()),
            bayeux,
            config,
        }))
    }

    pub fn config(&self) -> &SimConfig {
        &self.0.config
    }

    pub fn bayeux(&self) -> &Bayeux {
        &self.0.bayeux
    }

    /// Where clients reach this server (for `uri` without quirks); set once the port is known.
    pub fn set_public_base(&self, base: impl Into<String>) {
        *lock(&self.0.public_base) = base.into();
    }

    pub fn quirks(&self) -> bool {
        self.0.quirks.load(Ordering::SeqCst)
    }

    pub fn set_quirks(&self, on: bool) {
        let mut world = lock(&self.0.world);
        world.keep_capabilities_on_complete = on;
        self.0.quirks.store(on, Ordering::SeqCst);
    }

    pub fn presenter(&self) -> Presenter {
        Presenter {
            quirks: self.quirks(),
            public_base: lock(&self.0.public_base).clone(),
        }
    }

    /// A scripted pause of `ms` milliseconds at the configured speed.
    pub fn pause(&self, ms: u64) -> Duration {
        // A tiny speed could overflow a Duration: treat it as "never".
        Duration::try_from_secs_f64(ms as f64 / 1000.0 / self.0.config.speed)
            .unwrap_or(Duration::MAX)
    }

    /// Reads the world.
    pub fn read<T>(&self, f: impl FnOnce(&World) -> T) -> T {
        f(&lock(&self.0.world))
    }

    /// Changes the world and publishes what the change caused, in order, before anyone else
    /// can change it again (the world stays locked while publishing).
    pub fn commit<T>(
        &self,
        change: impl FnOnce(&mut World, u64) -> Result<(T, Notifications), OpError>,
    ) -> Result<T, OpError> {
        let mut world = lock(&self.0.world);
        let (value, notifications) = change(&mut world, now_ms())?;
        let presenter = self.presenter();
        for notification in &notifications {
            self.publish(&presenter, notification);
        }
        Ok(value)
    }

    fn publish(&self, presenter: &Presenter, notification: &ImNotification) {
        let payload = {
            let mut log = lock(&self.0.published);
            let payload = presenter.notification(notification, log.state_changes);
            if matches!(notification, ImNotification::StateChange { .. }) {
                log.state_changes += 1;
            }
            if log.recent.len() >= RECENT_NOTIFICATIONS {
                log.recent.pop_front();
            }
            log.recent.push_back(payload.clone());
            payload
        };
        self.count(|c| c.notifications_published += 1);
        self.0.bayeux.publish(IM_SESSIONS_TOPIC, payload);
    }

    /// The last payloads published on `/v2/me/im-sessions`, oldest first.
    pub fn published(&self) -> Vec<Value> {
        lock(&self.0.published).recent.iter().cloned().collect()
    }

    pub fn count(&self, f: impl FnOnce(&mut Counters)) {
        f(&mut lock(&self.0.counters));
    }

    pub fn counters(&self) -> Counters {
        lock(&self.0.counters).clone()
    }

    // ---- HTTP sessions ----

    pub fn create_http_session(&self) -> HttpSession {
        lock(&self.0.http_sessions).create(Instant::now())
    }

    /// The live HTTP session `jsessionid` names; the lookup counts as a use (idle expiry).
    pub fn http_session(&self, jsessionid: &str) -> Option<HttpSession> {
        lock(&self.0.http_sessions).touch(jsessionid, Instant::now())
    }

    /// Every HTTP session ends now, and with them the CometD clients (GWS ties a CometD session
    /// to its HTTP session): each client must sign in and handshake again. Returns how many ended.
    pub fn expire_http_sessions(&self) -> usize {
        let ended = lock(&self.0.http_sessions).expire_all();
        self.0.bayeux.forget_all_clients();
        ended
    }

    /// Another agent signs in at this browser (`POST /_sim/login` with an agent): the desk's GWS
    /// session becomes theirs, so the previous agent's HTTP sessions and CometD clients end and
    /// their IM sessions are not the new agent's. Returns whether the agent changed.
    pub fn sign_in_agent(&self, agent: crate::model::Agent) -> bool {
        let changed = {
            let mut world = lock(&self.0.world);
            let changed = world.agent != agent;
            if changed {
                world.agent = agent;
                world.clear();
            }
            changed
        };
        if changed {
            self.expire_http_sessions();
        }
        changed
    }

    pub fn expired_http_sessions(&self) -> u64 {
        lock(&self.0.http_sessions).expired()
    }

    pub fn anonymous_http_session(&self) -> HttpSession {
        lock(&self.0.http_sessions).anonymous()
    }

    pub fn http_session_count(&self) -> usize {
        lock(&self.0.http_sessions).len()
    }

    // ---- faults ----

    pub fn fault_plan(&self) -> FaultPlan {
        lock(&self.0.faults).plan(Instant::now())
    }

    pub fn faults(&self) -> FaultsView {
        lock(&self.0.faults).view(Instant::now())
    }

    pub fn patch_faults(&self, patch: &FaultsPatch) -> Result<FaultsView, crate::error::ApiError> {
        let view = {
            let mut faults = lock(&self.0.faults);
            faults.patch(patch, Instant::now())?;
            faults.view(Instant::now())
        };
        self.0.bayeux.set_close_polls_early(view.close_polls_early);
        self.0.bayeux.set_ack_extension(view.ack_extension);
        Ok(view)
    }

    pub fn clear_faults(&self) -> FaultsView {
        let view = {
            let mut faults = lock(&self.0.faults);
            let seed = faults.seed;
            *faults = Faults::off(seed, self.0.config.bayeux.ack_extension);
            faults.view(Instant::now())
        };
        self.0.bayeux.set_close_polls_early(false);
        self.0.bayeux.set_ack_extension(view.ack_extension);
        view
    }

    // ---- scripted tasks ----

    /// Runs `task` in the background until it ends or `/_sim/reset` cancels it.
    pub fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) -> AbortHandle {
        let handle = tokio::spawn(task).abort_handle();
        let mut tasks = lock(&self.0.tasks);
        tasks.retain(|task| !task.is_finished());
        tasks.push(handle.clone());
        handle
    }

    /// Installs `reaction` under `name` (replacing one of the same name): it hears every
    /// [`AgentDid`] from now on.
    pub fn react(&self, name: &'static str, reaction: Reaction) {
        lock(&self.0.reactions).insert(name, reaction);
    }

    /// Publishes what the agent did to every installed reaction (outside the lock, so a reaction
    /// may use the simulator freely).
    pub fn agent_did(&self, did: AgentDid) {
        let reactions: Vec<Reaction> = lock(&self.0.reactions).values().cloned().collect();
        for reaction in reactions {
            reaction(self, &did);
        }
    }

    pub(crate) fn script(&self) -> MutexGuard<'_, ScriptState> {
        lock(&self.0.script)
    }

    /// Back to a fresh start: no sessions, no scripts, faults off, quirks and counters as at start.
    /// HTTP sessions and CometD clients are kept so a connected client carries on.
    pub fn reset(&self) {
        for task in lock(&self.0.tasks).drain(..) {
            task.abort();
        }
        self.script().reset();
        lock(&self.0.world).clear();
        self.set_quirks(self.0.config.quirks);
        self.clear_faults();
        *lock(&self.0.counters) = Counters::default();
        self.0.bayeux.reset_counters();
        lock(&self.0.published).recent.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_agent_did_reaches_each_installed_reaction_once() {
        let sim = SimState::new(SimConfig::default());
        let heard = Arc::new(Mutex::new(Vec::new()));
        let install = |name: &'static str, tag: &'static str| {
            let heard = Arc::clone(&heard);
            sim.react(
                name,
                Arc::new(move |_: &SimState, did: &AgentDid| {
                    lock(&heard).push((tag, did.clone()));
                }),
            );
        };
        install("colleagues", "first");
        // Installing under the same name replaces: the first never hears anything.
        install("colleagues", "second");
        install("auditor", "third");
        sim.agent_did(AgentDid::Wrote {
            id: "s1".into(),
            text: "hi".into(),
        });
        sim.agent_did(AgentDid::Subscribed);
        let wrote = AgentDid::Wrote {
            id: "s1".into(),
            text: "hi".into(),
        };
        assert_eq!(
            *lock(&heard),
            vec![
                ("third", wrote.clone()),
                ("second", wrote),
                ("third", AgentDid::Subscribed),
                ("second", AgentDid::Subscribed),
            ],
            "in name order, each reaction once, the replaced one never"
        );
    }
}
