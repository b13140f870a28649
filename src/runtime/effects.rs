//! The effects the reducer asks for (`Command`s): REST calls whose outcomes come back as events,
//! and what the other tabs must hear of them.

use std::rc::Rc;
use std::time::Duration;

use gws_protocol::ImSessionOperation;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Runtime, WidgetContext};
use crate::net::api::Error;
use crate::state::{Command, Event, Millis};

impl Runtime {
    pub(super) fn execute(self: &Rc<Self>, command: Command) {
        let runtime = Rc::clone(self);
        match command {
            Command::LoadSessions => spawn_local(async move { runtime.load_sessions().await }),
            Command::Operate {
                session,
                local_id,
                operation,
            } => {
                if let (Some(_), ImSessionOperation::SendMessage { text, .. }) =
                    (local_id, &operation)
                {
                    if let Some(tabs) = self.live.borrow().as_ref() {
                        tabs.announce_outgoing(&session, text, WidgetContext::clock());
                    }
                }
                spawn_local(async move {
                    let outcome = runtime.api.operate(&session, &operation).await;
                    let action = crate::state::Action::from_operation(&operation);
                    let event = match (outcome, local_id) {
                        (Ok(()), Some(local_id)) => Event::MessageAccepted { session, local_id },
                        // No answer: the server may have it; its echo (or its absence) decides.
                        (Err(Error::Network(_)), Some(local_id)) => Event::MessageUnanswered {
                            session,
                            local_id,
                            at: WidgetContext::clock(),
                        },
                        (Err(err), Some(local_id)) => {
                            if let ImSessionOperation::SendMessage { text, .. } = &operation {
                                if let Some(tabs) = runtime.live.borrow().as_ref() {
                                    tabs.announce_failed(
                                        &session,
                                        text,
                                        &err.describe(runtime.texts),
                                    );
                                }
                            }
                            Event::MessageRejected {
                                session,
                                local_id,
                                reason: crate::state::Problem::Request(err),
                            }
                        }
                        (Ok(()), None) => Event::ActionDone { session, action },
                        (Err(err), None) => Event::ActionFailed {
                            session,
                            action,
                            reason: err,
                        },
                    };
                    runtime.dispatch(event);
                })
            }
            Command::Initiate(request) => spawn_local(async move {
                let event = match runtime.api.initiate(&request).await {
                    Ok(()) => Event::NewImAccepted,
                    Err(err) => Event::NewImFailed(initiate_error(err)),
                };
                runtime.dispatch(event);
            }),
            Command::RetryLoadLater { delay_ms } => {
                let weak = Rc::downgrade(self);
                let timer = set_timeout_with_handle(
                    move || {
                        if let Some(runtime) = weak.upgrade() {
                            runtime.load_retry.borrow_mut().take();
                            runtime.dispatch(Event::RetryLoad);
                        }
                    },
                    Duration::from_millis(u64::from(delay_ms)),
                )
                .ok();
                if let Some(old) = self.load_retry.replace(timer) {
                    old.clear();
                }
            }
            Command::CheckSignIn { delay_ms } => {
                let weak = Rc::downgrade(self);
                let timer = set_timeout_with_handle(
                    move || {
                        if let Some(runtime) = weak.upgrade() {
                            runtime.sign_in_check.borrow_mut().take();
                            spawn_local(async move { runtime.check_sign_in().await });
                        }
                    },
                    Duration::from_millis(u64::from(delay_ms)),
                )
                .ok();
                if let Some(old) = self.sign_in_check.replace(timer) {
                    old.clear();
                }
            }
            Command::Forget { session } => {
                if let Some(store) = self.store.borrow().as_ref() {
                    store.forget(&session);
                }
            }
        }
    }

    /// Reads the list again, with `GET /me` beside it: a list of another agent's (the desk changed
    /// hands under this page) is never shown; the widget starts again for that agent instead.
    pub(super) async fn load_sessions(self: &Rc<Self>) {
        let requested_at = WidgetContext::clock();
        let (listed, me) =
            futures_util::future::join(self.api.list_sessions(), self.api.me()).await;
        if self.stopped.get() {
            return;
        }
        if me.is_ok_and(|user| self.is_other_agent(user.storage_key())) {
            self.change_agent();
            return;
        }
        self.dispatch(Self::listed(listed, requested_at));
    }

    /// The event a session-list reply makes; it is as of when the request left (`requested_at`).
    pub(super) fn listed(
        reply: Result<Vec<gws_protocol::ImSession>, Error>,
        requested_at: Millis,
    ) -> Event {
        match reply {
            Ok(sessions) => Event::SessionsLoaded {
                sessions,
                at: requested_at,
            },
            Err(err) => Event::SessionsFailed(err),
        }
    }
}

/// The "one IM session at a time" rule, in plain words; other errors as they are.
fn initiate_error(err: Error) -> crate::state::Problem {
    match err {
        Error::Gws {
            code: gws_protocol::StatusCode::InvalidState,
            ..
        } => crate::state::Problem::OneSessionAtATime,
        other => crate::state::Problem::Request(other),
    }
}
