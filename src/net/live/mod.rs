//! The CometD (Bayeux) long-polling client that brings IM-session notifications to the widget.
//!
//! [`machine`] decides everything and is tested natively; [`LiveClient`] (wasm only) carries its
//! decisions out with `fetch`: it POSTs each batch as a JSON array with `credentials: include` and
//! the caller's extra headers, aborts a request after `advice.timeout` + 10 s, and hands every
//! event to the caller. The caller (`src/ui/app.rs`) starts one per widget:
//!
//! ```ignore
//! let live = LiveClient::start(
//!     format!("{api_base}/notifications"),
//!     Rc::new(move || api.csrf_headers()), // the CSRF (name, token) pair, when known
//!     Rc::new(move |event| dispatch(event)), // into state::reduce
//! );
//! // keep `live` as long as the widget lives; dropping it (or `live.stop()`) ends the session.
//! ```

pub mod machine;

pub use machine::{Input, LiveMachine, Output, ResumeToken};

#[cfg(target_arch = "wasm32")]
pub use runtime::LiveClient;

#[cfg(target_arch = "wasm32")]
mod runtime {
    use std::cell::{Cell, RefCell};
    use std::rc::{Rc, Weak};
    use std::time::Duration;

    use gloo_net::http::{Headers, Request};
    use gws_protocol::BayeuxMessage;
    use leptos::prelude::{set_timeout_with_handle, TimeoutHandle};
    use wasm_bindgen::JsValue;
    use wasm_bindgen_futures::spawn_local;
    use web_sys::{AbortController, AbortSignal, RequestCredentials};

    use super::machine::{Input, LiveMachine, Output, ResumeToken};
    use crate::state::LiveEvent;

    /// Why a request failed when the endpoint answered HTTP 401 (the GWS session expired).
    const SIGNED_OUT: &str = "HTTP 401: the GWS session has expired";

    /// The headers every request carries besides the cookie (the CSRF name and token pair).
    type HeaderSource = Rc<dyn Fn() -> Vec<(String, String)>>;
    type EventSink = Rc<dyn Fn(LiveEvent)>;
    /// Told at the end of every step, after its events: the new resume token, if it changed.
    type StepSink = Rc<dyn Fn(Option<ResumeToken>)>;

    /// A running CometD client. Stops (with a best-effort `/meta/disconnect`) on [`LiveClient::stop`]
    /// or when dropped.
    pub struct LiveClient {
        shared: Rc<Shared>,
    }

    struct Shared {
        url: String,
        extra_headers: HeaderSource,
        on_event: EventSink,
        /// Told when a step's events are all out, with the client's resume token when it changed
        /// (after a connect reply): the tabs share a step as one message.
        on_step: Option<StepSink>,
        last_token: RefCell<Option<ResumeToken>>,
        machine: RefCell<LiveMachine>,
        stopped: Cell<bool>,
        /// The wait before the next request, cancelled on stop.
        pending: RefCell<Option<TimeoutHandle>>,
        /// The request in flight, aborted on stop.
        in_flight: RefCell<Option<AbortController>>,
    }

    impl LiveClient {
        /// Handshakes with the CometD endpoint at `url` and keeps a long-poll open from then on.
        pub fn start(url: String, extra_headers: HeaderSource, on_event: EventSink) -> LiveClient {
            Self::resume(url, extra_headers, on_event, None, None)
        }

        /// Like [`LiveClient::start`], but carries on the client `token` names when given (another
        /// tab's), and tells `on_step` when each step's events are out, with every new resume
        /// token of this one.
        pub fn resume(
            url: String,
            extra_headers: HeaderSource,
            on_event: EventSink,
            on_step: Option<StepSink>,
            token: Option<ResumeToken>,
        ) -> LiveClient {
            let shared = Rc::new(Shared {
                url,
                extra_headers,
                on_event,
                on_step,
                last_token: RefCell::new(None),
                machine: RefCell::new(LiveMachine::new()),
                stopped: Cell::new(false),
                pending: RefCell::new(None),
                in_flight: RefCell::new(None),
            });
            let at = js_sys::Date::now();
            let input = match token {
                Some(token) => Input::Resume {
                    client_id: token.client_id,
                    acks: token.acks,
                    batch: token.batch,
                    at,
                },
                None => Input::Start { at },
            };
            feed(&shared, input);
            LiveClient { shared }
        }

        /// Stops without `/meta/disconnect`, so another tab can carry on the same client.
        pub fn abandon(&self) {
            self.halt();
        }

        /// Cancels the wait and aborts the long-poll; false if it was already stopped.
        fn halt(&self) -> bool {
            let shared = &self.shared;
            if shared.stopped.replace(true) {
                return false;
            }
            if let Some(timer) = shared.pending.borrow_mut().take() {
                timer.clear();
            }
            if let Some(request) = shared.in_flight.borrow_mut().take() {
                request.abort();
            }
            true
        }

        /// Ends the session: cancels the wait, aborts the long-poll, sends `/meta/disconnect`.
        pub fn stop(&self) {
            if !self.halt() {
                return;
            }
            let shared = &self.shared;
            let farewell = shared.machine.borrow_mut().step(Input::Stop);
            for output in farewell {
                if let Output::Send { batch, .. } = output {
                    let url = shared.url.clone();
                    let headers = (shared.extra_headers)();
                    spawn_local(async move {
                        // Best effort: the server sweeps the client after maxInterval anyway.
                        let _ = send(&url, headers, &batch, None).await;
                    });
                }
            }
        }
    }

    impl Drop for LiveClient {
        fn drop(&mut self) {
            self.stop();
        }
    }

    /// Steps the machine and carries out what it says. Borrows end before any callback runs,
    /// so `on_event` may stop the client.
    fn feed(shared: &Rc<Shared>, input: Input) {
        if shared.stopped.get() {
            return;
        }
        let (outputs, timeout_ms, token) = {
            let mut machine = shared.machine.borrow_mut();
            let outputs = machine.step(input);
            (
                outputs,
                machine.request_timeout_ms(),
                machine.resume_token(),
            )
        };
        for output in outputs {
            if shared.stopped.get() {
                return;
            }
            match output {
                Output::Event(event) => (shared.on_event)(event),
                Output::Problem(text) => warn(&text),
                Output::Send { batch, delay_ms } => schedule(shared, batch, delay_ms, timeout_ms),
            }
        }
        // After the events: a tab that hears this token has heard everything it covers.
        if let Some(on_step) = &shared.on_step {
            if shared.stopped.get() {
                return;
            }
            let changed = token.filter(|token| shared.last_token.borrow().as_ref() != Some(token));
            if let Some(token) = &changed {
                *shared.last_token.borrow_mut() = Some(token.clone());
            }
            on_step(changed);
        }
    }

    /// Sends `batch` after `delay_ms` — through a timer even at 0, so that the view updates for the
    /// events just handed over (microtasks) run before the next long-poll is started.
    fn schedule(shared: &Rc<Shared>, batch: Vec<BayeuxMessage>, delay_ms: u32, timeout_ms: u32) {
        let later: Weak<Shared> = Rc::downgrade(shared);
        let timer = set_timeout_with_handle(
            move || {
                let Some(shared) = later.upgrade() else {
                    return;
                };
                shared.pending.borrow_mut().take();
                if !shared.stopped.get() {
                    spawn_local(exchange(shared, batch, timeout_ms));
                }
            },
            Duration::from_millis(delay_ms.into()),
        );
        match timer {
            Ok(handle) => *shared.pending.borrow_mut() = Some(handle),
            Err(_) => warn("could not schedule the next CometD request; live updates stop"),
        }
    }

    /// One request and its outcome, fed back into the machine.
    async fn exchange(shared: Rc<Shared>, batch: Vec<BayeuxMessage>, timeout_ms: u32) {
        if shared.stopped.get() {
            return;
        }
        let outcome = post(&shared, &batch, timeout_ms).await;
        if shared.stopped.get() {
            return;
        }
        let at = js_sys::Date::now();
        if matches!(&outcome, Err(reason) if reason == SIGNED_OUT) {
            // The machine retries as for any failure; the widget says why and watches for sign-in.
            (shared.on_event)(LiveEvent::SignedOut);
            if shared.stopped.get() {
                return;
            }
        }
        let input = match outcome {
            Ok(batch) => Input::Replied { batch, at },
            Err(reason) => Input::Failed { at, reason },
        };
        feed(&shared, input);
    }

    /// POSTs `batch`, aborted by `stop` or after `timeout_ms`.
    async fn post(
        shared: &Shared,
        batch: &[BayeuxMessage],
        timeout_ms: u32,
    ) -> Result<Vec<BayeuxMessage>, String> {
        let controller = AbortController::new().map_err(|err| js_text(&err))?;
        *shared.in_flight.borrow_mut() = Some(controller.clone());
        let timed_out = Rc::new(Cell::new(false));
        let on_timeout = {
            let controller = controller.clone();
            let timed_out = Rc::clone(&timed_out);
            move || {
                timed_out.set(true);
                controller.abort();
            }
        };
        let timer =
            set_timeout_with_handle(on_timeout, Duration::from_millis(timeout_ms.into())).ok();
        let headers = (shared.extra_headers)();
        let result = send(&shared.url, headers, batch, Some(&controller.signal())).await;
        if let Some(timer) = timer {
            timer.clear();
        }
        shared.in_flight.borrow_mut().take();
        match result {
            Err(_) if timed_out.get() => Err(format!("no answer within {timeout_ms} ms")),
            other => other,
        }
    }

    async fn send(
        url: &str,
        extra_headers: Vec<(String, String)>,
        batch: &[BayeuxMessage],
        signal: Option<&AbortSignal>,
    ) -> Result<Vec<BayeuxMessage>, String> {
        let body = serde_json::to_string(batch).map_err(|err| err.to_string())?;
        let headers = web_sys::Headers::new().map_err(|err| js_text(&err))?;
        headers
            .set("Content-Type", "application/json;charset=UTF-8")
            .map_err(|err| js_text(&err))?;
        for (name, value) in extra_headers {
            // A malformed header from the server is left out rather than failing every poll.
            if headers.set(&name, &value).is_err() {
                warn(&format!("left out the malformed header {name:?}"));
            }
        }
        let response = Request::post(url)
            .credentials(RequestCredentials::Include)
            .headers(Headers::from_raw(headers))
            .abort_signal(signal)
            .body(body)
            .map_err(|err| err.to_string())?
            .send()
            .await
            .map_err(|err| err.to_string())?;
        if response.status() == 401 {
            return Err(SIGNED_OUT.to_owned());
        }
        if !response.ok() {
            return Err(format!(
                "HTTP {} {}",
                response.status(),
                response.status_text()
            ));
        }
        let text = response.text().await.map_err(|err| err.to_string())?;
        BayeuxMessage::decode_batch_value(crate::json::parse(&text)?).map_err(|err| err.to_string())
    }

    fn js_text(value: &JsValue) -> String {
        value.as_string().unwrap_or_else(|| format!("{value:?}"))
    }

    fn warn(text: &str) {
        web_sys::console::warn_1(&JsValue::from_str(&format!("gws-im-widget live: {text}")));
    }
}
