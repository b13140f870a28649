//! Scenario files, scripted colleagues, the demo and the load generator — on tokio's paused clock.

mod common;

use std::time::Duration;

use axum::http::Method;
use common::{config, send_message, unwrap_data, Browser};
use gws_sim::SimConfig;
use serde_json::{json, Value};

async fn wait(ms: u64) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

fn kinds(published: &[Value]) -> Vec<String> {
    published
        .iter()
        .map(|p| {
            let p = unwrap_data(p);
            match p["notificationType"].as_str() {
                Some("NewMessage") => {
                    format!("NewMessage:{}", p["message"].as_str().unwrap_or_default())
                }
                Some(kind) => format!(
                    "{kind}:{}",
                    p["imSession"]["state"].as_str().unwrap_or_default().trim()
                ),
                None => p.to_string(),
            }
        })
        .collect()
}

fn transcript(state: &Value, index: usize) -> Vec<(String, String)> {
    state["sessions"][index]["transcript"]
        .as_array()
        .map(|lines| {
            lines
                .iter()
                .map(|l| {
                    (
                        l["direction"].as_str().unwrap_or("").to_owned(),
                        l["text"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(start_paused = true)]
async fn a_scenario_file_runs_every_action_at_the_scaled_times() {
    let agent = Browser::new(SimConfig {
        speed: 10.0,
        ..config()
    })
    .await;
    let scenario = json!({
        "name": "every action",
        "steps": [
            {"action": "ring", "session": "in", "from": "3003", "userData": {"caseId": "CS-1"}},
            {"waitMs": 1000, "action": "message", "session": "in", "text": "Hi there"},
            {"waitMs": 1000, "action": "agentMessage", "session": "in", "text": "Hello!"},
            {"waitMs": 1000, "action": "attach", "session": "in", "userData": {"bestNumber": "3"}},
            {"waitMs": 1000, "action": "capabilities", "session": "in", "capabilities": ["Complete"]},
            {"action": "initiate", "session": "out", "to": "3004"},
            {"waitMs": 1000, "action": "answer", "session": "out"},
            {"action": "complete", "session": "in"}
        ]
    });
    let started = tokio::time::Instant::now();
    let reply = agent
        .control(Method::POST, "/_sim/scenario?wait=true", Some(scenario))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(500) && elapsed < Duration::from_millis(600),
        "5 s at speed 10: {elapsed:?}"
    );
    let report = reply.json();
    assert_eq!(report["finished"], true);
    assert_eq!(report["stepsDone"], 8);
    assert_eq!(report["errors"], json!([]));
    let ids = &report["sessions"];
    assert!(ids["in"].is_string() && ids["out"].is_string());
    assert_eq!(
        kinds(&agent.published()),
        [
            "StatusChange:Alerting",
            "NewMessage:Hi there",
            "StatusChange:Talking",
            "NewMessage:Hello!",
            "AttachedDataChanged:Talking",
            "StatusChange:Talking",
            "StatusChange:Initiating",
            "StatusChange:Talking",
            "StatusChange:Completed",
        ]
    );
    let state = agent.state().await;
    assert_eq!(
        transcript(&state, 0),
        [
            ("in".into(), "Hi there".into()),
            ("out".into(), "Hello!".into())
        ]
    );
    assert_eq!(state["scenarios"][0]["name"], "every action");
}

#[tokio::test(start_paused = true)]
async fn refused_steps_are_reported_and_the_run_carries_on() {
    let agent = Browser::new(config()).await;
    let scenario = json!({"steps": [
        {"action": "ring", "session": "a", "from": "3003"},
        {"action": "answer", "session": "a"},
        {"action": "message", "session": "a", "text": "still here"}
    ]});
    let report = agent
        .control(Method::POST, "/_sim/scenario?wait=true", Some(scenario))
        .await
        .json();
    assert_eq!(report["errors"].as_array().unwrap().len(), 1, "{report}");
    assert!(report["errors"][0]
        .as_str()
        .unwrap()
        .starts_with("step 1 (answer)"));
    assert_eq!(
        kinds(&agent.published()).last().unwrap(),
        "NewMessage:still here"
    );
}

#[tokio::test]
async fn invalid_scenarios_are_refused() {
    let agent = Browser::new(config()).await;
    for bad in [
        json!({"steps": [{"action": "message", "session": "ghost", "text": "boo"}]}),
        json!({"steps": [{"action": "fly", "session": "a"}]}),
        json!({"steps": "none"}),
        json!({"steps": [], "thenRingEveryMs": 0}),
    ] {
        let reply = agent
            .control(Method::POST, "/_sim/scenario", Some(bad.clone()))
            .await;
        assert_eq!(reply.status, 400, "{bad}");
        assert!(reply.json()["statusMessage"].is_string());
    }
    let accepted = agent
        .control(Method::POST, "/_sim/scenario", Some(json!({"steps": []})))
        .await;
    assert_eq!(accepted.status, 202);
}

#[tokio::test(start_paused = true)]
async fn the_demo_waits_for_a_subscriber_then_plays_live() {
    let agent = Browser::new(config()).await;
    gws_sim::scenario::start(&agent.sim, gws_sim::scenario::Scenario::demo().unwrap());
    wait(30_000).await;
    assert!(
        agent.published().is_empty(),
        "nothing happens before anyone listens"
    );
    let _client = agent.cometd(false).await;

    wait(8_000).await;
    let state = agent.state().await;
    let sessions = state["sessions"].as_array().unwrap();
    assert_eq!(
        sessions[0]["state"], "Talking",
        "a live conversation within seconds"
    );
    assert!(transcript(&state, 0).len() >= 4);
    assert_eq!(sessions[0]["userData"]["refundApproved"], "yes");
    assert_eq!(sessions[1]["state"], "Completed", "and a finished one");

    wait(8_000).await;
    let state = agent.state().await;
    let ringing = &state["sessions"][2];
    assert_eq!(ringing["state"], "Alerting", "then a new one rings");
    assert_eq!(ringing["participants"][0]["phoneNumber"], "3003");

    // The ringing colleague is scripted: answering gets a reply.
    let id = ringing["id"].as_str().unwrap().to_owned();
    assert_eq!(
        agent
            .op(&id, send_message("Sure, what's up?", "3003"))
            .await
            .codes(),
        (200, 0)
    );
    wait(6_000).await;
    let state = agent.state().await;
    assert_eq!(
        transcript(&state, 2).last().map(|(d, _)| d.as_str()),
        Some("in")
    );
}

#[tokio::test(start_paused = true)]
async fn a_colleague_answers_an_initiated_im_replies_attaches_and_says_goodbye() {
    let agent = Browser::new(config()).await;
    let body =
        json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": "3002"}});
    assert_eq!(
        agent.post("/api/v2/me/im-sessions", body).await.codes(),
        (200, 0)
    );
    let id = agent.state().await["sessions"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(agent.session(&id).await["state"], "Initiating");
    wait(1_400).await;
    assert_eq!(
        agent.session(&id).await["state"],
        "Initiating",
        "a realistic pause before answering"
    );
    wait(5_000).await;
    assert_eq!(agent.session(&id).await["state"], "Talking");
    assert_eq!(
        transcript(&agent.state().await, 0),
        [("in".into(), "Hi! Sam here. What do you need?".into())]
    );

    for text in ["Can you approve a refund?", "It's for Acme."] {
        agent.op(&id, send_message(text, "3002")).await;
        wait(8_000).await;
    }
    let state = agent.state().await;
    let lines = transcript(&state, 0);
    assert_eq!(
        lines.iter().filter(|(d, _)| d == "in").count(),
        3,
        "{lines:?}"
    );
    assert_eq!(
        state["sessions"][0]["userData"]["approvedBy"], "3002",
        "the supervisor attached a note"
    );

    agent.op(&id, send_message("Thanks, bye!", "3002")).await;
    wait(10_000).await;
    let state = agent.state().await;
    assert_eq!(
        transcript(&state, 0).last().unwrap().1,
        "Great, talk later!"
    );
    assert_eq!(
        state["sessions"][0]["state"], "Completed",
        "the colleague ended it"
    );
}

#[tokio::test(start_paused = true)]
async fn a_burst_of_messages_gets_one_reply() {
    let agent = Browser::new(config()).await;
    let ring = json!({"from": "3004", "scripted": true});
    let id = agent
        .control(Method::POST, "/_sim/sessions", Some(ring))
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for text in ["one", "two", "three"] {
        agent.op(&id, send_message(text, "3004")).await;
    }
    wait(10_000).await;
    let lines = transcript(&agent.state().await, 0);
    assert_eq!(
        lines.iter().filter(|(d, _)| d == "in").count(),
        1,
        "{lines:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn sessions_rung_through_the_control_api_are_not_scripted_unless_asked() {
    let agent = Browser::new(config()).await;
    let id = agent.ring("3002").await;
    agent.op(&id, send_message("hello?", "3002")).await;
    wait(30_000).await;
    assert_eq!(
        transcript(&agent.state().await, 0).len(),
        1,
        "only the agent's own line"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unknown_extension_fails_after_about_three_seconds() {
    let agent = Browser::new(config()).await;
    let body =
        json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": "3999"}});
    agent.post("/api/v2/me/im-sessions", body).await;
    let id = agent.state().await["sessions"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    wait(2_900).await;
    assert_eq!(agent.session(&id).await["state"], "Initiating");
    wait(200).await;
    assert_eq!(agent.session(&id).await["state"], "Completed");
}

#[tokio::test(start_paused = true)]
async fn speed_scales_the_colleagues() {
    let agent = Browser::new(SimConfig {
        speed: 10.0,
        ..config()
    })
    .await;
    let body =
        json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": "3999"}});
    agent.post("/api/v2/me/im-sessions", body).await;
    wait(310).await;
    assert_eq!(agent.state().await["sessions"][0]["state"], "Completed");
}

#[tokio::test(start_paused = true)]
async fn reset_cancels_scripts() {
    let agent = Browser::new(config()).await;
    let body =
        json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": "3002"}});
    agent.post("/api/v2/me/im-sessions", body).await;
    agent.control(Method::POST, "/_sim/reset", None).await;
    wait(10_000).await;
    assert!(agent.published().is_empty());
    assert_eq!(agent.state().await["sessions"], json!([]));
}

#[tokio::test(start_paused = true)]
async fn load_generator_opens_sessions_writes_at_the_rate_and_adds_history() {
    let agent = Browser::new(config()).await;
    let spec =
        json!({"sessions": 4, "messagesPerSecond": 200, "completed": 300, "durationMs": 2000});
    let reply = agent.control(Method::POST, "/_sim/load", Some(spec)).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let report = reply.json();
    assert_eq!(report["sessions"].as_array().unwrap().len(), 4);
    assert_eq!(report["completed"], 300);
    let list = agent.get("/api/v2/me/im-sessions?fields=*").await.json();
    let sessions = list["imSessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 304);
    assert_eq!(
        sessions
            .iter()
            .filter(|s| s["state"] == "Completed")
            .count(),
        300
    );
    assert_eq!(
        sessions.iter().filter(|s| s["state"] == "Talking").count(),
        4
    );
    let before = agent.state().await["counters"]["notificationsPublished"]
        .as_u64()
        .unwrap();
    assert_eq!(before, 8, "history is not published; live sessions are");
    wait(3_000).await;
    let after = agent.state().await["counters"]["notificationsPublished"]
        .as_u64()
        .unwrap();
    assert_eq!(after - before, 400, "200 per second for 2 s");
    let state = agent.state().await;
    let live_lines: usize = state["sessions"].as_array().unwrap()[300..]
        .iter()
        .map(|s| s["transcript"].as_array().unwrap().len())
        .sum();
    assert_eq!(live_lines, 400);
}

#[tokio::test(start_paused = true)]
async fn load_runs_until_stopped_and_is_validated() {
    let agent = Browser::new(config()).await;
    agent
        .control(
            Method::POST,
            "/_sim/load",
            Some(json!({"sessions": 1, "messagesPerSecond": 10})),
        )
        .await;
    wait(1_000).await;
    let stopped = agent
        .control(Method::DELETE, "/_sim/load", None)
        .await
        .json();
    assert_eq!(stopped["stopped"], 1);
    let count = agent.state().await["counters"]["notificationsPublished"]
        .as_u64()
        .unwrap();
    wait(5_000).await;
    assert_eq!(
        agent.state().await["counters"]["notificationsPublished"]
            .as_u64()
            .unwrap(),
        count
    );
    for bad in [
        json!({"sessions": 5000}),
        json!({"messagesPerSecond": 5}),
        json!({"sessions": 1, "messagesPerSecond": -1}),
        json!({"sessions": 1, "rate": 5}),
    ] {
        assert_eq!(
            agent
                .control(Method::POST, "/_sim/load", Some(bad.clone()))
                .await
                .status,
            400,
            "{bad}"
        );
    }
}
