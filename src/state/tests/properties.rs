//! Properties over arbitrary event sequences.

use proptest::prelude::*;

use super::*;

fn id() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["a", "b", "c"]).prop_map(str::to_owned)
}

fn text() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["hi", "ok", " ok ", "", "\u{202e}evil"]).prop_map(str::to_owned)
}

fn state() -> impl Strategy<Value = ImSessionState> {
    prop::sample::select(vec![
        ImSessionState::Initiating,
        ImSessionState::Alerting,
        ImSessionState::Talking,
        ImSessionState::Completed,
        ImSessionState::Unknown(" Parked".into()),
    ])
}

fn a_session() -> impl Strategy<Value = ImSession> {
    (
        id(),
        state(),
        prop::collection::vec(prop::sample::select(ALL.to_vec()), 0..5),
    )
        .prop_map(|(id, state, caps)| session(&id, state, &caps))
}

fn action() -> impl Strategy<Value = Action> {
    prop::sample::select(vec![
        Action::SendMessage,
        Action::AttachUserData,
        Action::UpdateUserData,
        Action::DeleteUserData,
        Action::Complete,
    ])
}

fn event() -> impl Strategy<Value = Event> {
    let at = 0.0..1e6f64;
    prop_oneof![
        (prop::collection::vec(a_session(), 0..4), at.clone())
            .prop_map(|(sessions, at)| Event::SessionsLoaded { sessions, at }),
        text()
            .prop_map(|detail| Event::SessionsFailed(crate::state::RequestError::Network(detail))),
        prop::option::of(Just("/devices/d".to_owned())).prop_map(Event::DeviceFound),
        (a_session(), any::<bool>()).prop_map(|(s, data)| if data {
            data_change(s)
        } else {
            status_change(s)
        }),
        (id(), text(), at.clone()).prop_map(|(id, t, at)| new_message(&id, &t, at)),
        (id(), 0..4u64)
            .prop_map(|(session, local_id)| Event::MessageAccepted { session, local_id }),
        (id(), 0..4u64, text()).prop_map(|(session, local_id, reason)| {
            Event::MessageRejected {
                session,
                local_id,
                reason: Problem::Text(reason),
            }
        }),
        (id(), action()).prop_map(|(session, action)| Event::ActionDone { session, action }),
        (id(), action(), text()).prop_map(|(session, action, reason)| Event::ActionFailed {
            session,
            action,
            reason: crate::state::RequestError::Decode(reason)
        }),
        (at.clone(), any::<bool>())
            .prop_map(|(at, fresh)| Event::Live(LiveEvent::Up { at, fresh })),
        at.clone()
            .prop_map(|at| Event::Live(LiveEvent::Interrupted { at })),
        at.clone()
            .prop_map(|at| Event::Live(LiveEvent::Offline { at })),
        id().prop_map(Event::Select),
        (id(), text()).prop_map(|(session, text)| Event::DraftChanged { session, text }),
        (id(), at.clone()).prop_map(|(session, at)| Event::SendDraft { session, at }),
        (id(), text(), at.clone()).prop_map(|(session, text, at)| Event::PeerOutgoing {
            session,
            text,
            at
        }),
        (id(), text(), text()).prop_map(|(session, text, reason)| Event::PeerOutgoingFailed {
            session,
            text,
            reason
        }),
        (id(), 0..4u64, at.clone()).prop_map(|(session, local_id, at)| Event::Retry {
            session,
            local_id,
            at
        }),
        (id(), 0..4u64).prop_map(|(session, local_id)| Event::Discard { session, local_id }),
        id().prop_map(|session| Event::Complete { session }),
        (id(), text()).prop_map(|(session, key)| Event::AttachUserData {
            session,
            key,
            value: json!("v")
        }),
        (id(), text()).prop_map(|(session, key)| Event::DeleteUserData { session, key }),
        text().prop_map(|destination| Event::StartNewIm {
            destination,
            user_data: UserData::new()
        }),
        id().prop_map(|session| Event::Dismiss { session }),
        (id(), 0..4u64, at.clone()).prop_map(|(session, local_id, at)| {
            Event::MessageUnanswered {
                session,
                local_id,
                at,
            }
        }),
        at.prop_map(|started| Event::Live(LiveEvent::Round { started })),
        Just(Event::RetryLoad),
        Just(Event::Live(LiveEvent::SignedOut)),
        any::<bool>().prop_map(|signed_in| Event::SignInChecked { signed_in }),
        Just(Event::SessionsFailed(
            crate::state::RequestError::Unauthenticated
        )),
    ]
}

/// The (local id, failed at) of every own line still being checked.
fn unconfirmed(model: &Model) -> Vec<(u64, Millis)> {
    model
        .sessions
        .iter()
        .flat_map(|v| &v.transcript)
        .filter_map(|l| match l.kind {
            LineKind::Outgoing {
                local_id,
                delivery: Delivery::Unconfirmed { since },
                ..
            } => Some((local_id, since)),
            _ => None,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_event_sequence_keeps_the_model_consistent(events in prop::collection::vec(event(), 0..60)) {
        let mut model = Model::default();
        // Sign-in checks pending: one at a time, and one whenever the agent is signed out.
        let mut checks_pending = 0u32;
        for event in events {
            let checking = unconfirmed(&model);
            if matches!(event, Event::SignInChecked { .. }) {
                checks_pending = checks_pending.saturating_sub(1);
            }
            let round = match event {
                Event::Live(LiveEvent::Round { started }) => Some(started),
                Event::Live(LiveEvent::Up { fresh: true, .. }) => Some(f64::INFINITY),
                _ => None,
            };
            let before = model.clone();
            let commands = reduce(&mut model, event);
            // What the change touched misses nothing: every session it added, removed or changed in
            // any way is noted (so its views re-run), and what it was is what it showed before.
            let touched = model.take_touched();
            let changed: Vec<_> = touched.changed(&model).collect();
            for view in &model.sessions {
                let noted = changed.iter().find(|c| c.view.id == view.id);
                match before.session(&view.id) {
                    None => prop_assert!(
                        noted.is_some_and(|c| c.was.is_none()),
                        "an added session is noted as added"
                    ),
                    Some(old) if old != view => {
                        prop_assert!(noted.is_some(), "a changed session is noted");
                        prop_assert_eq!(
                            noted.and_then(|c| c.was),
                            Some(&crate::state::Was::of(old)),
                            "with what it showed before"
                        );
                    }
                    Some(_) => {}
                }
            }
            for old in &before.sessions {
                if model.session(&old.id).is_none() {
                    prop_assert!(touched.ids.contains(&old.id), "a removed session is noted");
                }
            }
            let left = unconfirmed(&model);
            prop_assert!(left.len() <= model.unconfirmed as usize, "the count of checks never falls short");
            if let Some(started) = round {
                prop_assert!(left.iter().all(|(_, since)| *since >= started), "a round ends every check that began before it");
            }
            checks_pending += commands.iter().filter(|c| matches!(c, Command::CheckSignIn { .. })).count() as u32;
            prop_assert!(checks_pending <= 1, "one sign-in check at a time");
            prop_assert!(!model.signed_out || checks_pending == 1, "signed out, a check is always pending");
            for command in &commands {
                if let Command::RetryLoadLater { delay_ms } = command {
                    prop_assert!((2_000..=30_000).contains(delay_ms), "list retries back off within 2-30 s");
                }
                if let Command::Operate { local_id: Some(id), .. } = command {
                    prop_assert!(checking.iter().all(|(c, _)| c != id), "a message being checked is never sent again");
                }
                if let Command::Operate { session, operation, .. } = command {
                    let view = model.session(session);
                    prop_assert!(view.is_some(), "an operation on a session the model has");
                    let action = Action::from_operation(operation);
                    prop_assert!(view.is_some_and(|v| v.allows(action)), "only allowed operations are requested");
                }
            }
            let mut ids: Vec<&str> = model.sessions.iter().map(|s| s.id.as_str()).collect();
            let count = ids.len();
            ids.sort_unstable();
            ids.dedup();
            prop_assert_eq!(ids.len(), count, "no session twice");
            for (at, view) in model.sessions.iter().enumerate() {
                prop_assert_eq!(model.index.0.get(&view.id), Some(&at), "the index knows every session's place");
            }
            prop_assert_eq!(model.index.0.len(), count, "the index holds nothing else");
            if let Some(selected) = &model.selected {
                let view = model.session(selected);
                prop_assert!(view.is_some(), "the open session exists");
                prop_assert_eq!(view.map(|v| v.unread), Some(0), "the open session has nothing unread");
            }
            for view in &model.sessions {
                let incoming = view.transcript.iter().filter(|l| l.kind == LineKind::Incoming).count();
                prop_assert_eq!(view.incoming, incoming, "the incoming count is exact");
                let pending = view.transcript.iter().filter(|l| l.is_pending()).count();
                prop_assert_eq!(view.outbox, pending, "the outbox count is exact");
                let in_flight = view.transcript.iter()
                    .filter(|l| matches!(l.kind, LineKind::Outgoing { delivery: Delivery::Sending, .. }))
                    .count();
                prop_assert!(in_flight <= 1, "one SendMessage in flight per session");
                let mut local_ids = Vec::new();
                for line in &view.transcript {
                    if let LineKind::Outgoing { local_id, delivery, echoed } = &line.kind {
                        prop_assert!(!*echoed || *delivery == Delivery::Sent, "an echoed message is sent");
                        prop_assert!(!local_ids.contains(local_id), "local ids are unique");
                        local_ids.push(*local_id);
                    }
                }
            }
        }
    }
}
