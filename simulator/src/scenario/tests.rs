use crate::script::{Action, Scenario, Start};

use super::colleagues::says_goodbye;
use super::*;

use std::collections::HashSet;

use gws_protocol::Capability;

#[test]
fn demo_scenario_parses_and_is_valid() {
    let demo = Scenario::demo().unwrap();
    assert_eq!(demo.start, Start::FirstSubscriber);
    assert!(demo.scripted);
    assert!(demo
        .steps
        .iter()
        .any(|s| matches!(s.action, Action::Complete { .. })));
    assert!(demo
        .steps
        .iter()
        .any(|s| matches!(s.action, Action::Ring { .. })));
}

#[test]
fn scenario_validation_rejects_unknown_and_duplicate_names() {
    let unknown = r#"{"steps":[{"action":"message","session":"a","text":"hi"}]}"#;
    assert!(Scenario::parse(unknown)
        .unwrap_err()
        .contains("not created"));
    let twice = r#"{"steps":[{"action":"ring","session":"a","from":"1"},{"action":"ring","session":"a","from":"2"}]}"#;
    assert!(Scenario::parse(twice).unwrap_err().contains("twice"));
    let bad_action = r#"{"steps":[{"action":"dance","session":"a"}]}"#;
    assert!(Scenario::parse(bad_action).is_err());
    let ok = r#"{"steps":[{"action":"ring","session":"a","from":"3003","userData":{"k":"v"}},
        {"waitMs":5,"action":"capabilities","session":"a","capabilities":["Complete","Transfer"]}]}"#;
    let scenario = Scenario::parse(ok).unwrap();
    assert_eq!(scenario.steps[1].wait_ms, 5);
    match &scenario.steps[1].action {
        Action::Capabilities { capabilities, .. } => {
            assert_eq!(
                capabilities,
                &vec![Capability::Complete, Capability::Unknown("Transfer".into())]
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn goodbye_detection_and_typing_times() {
    assert!(says_goodbye("OK, bye!"));
    assert!(says_goodbye("Goodbye"));
    assert!(!says_goodbye("maybe later"));
    assert!(typing_ms("hi") < typing_ms("a much longer message than hi"));
    assert_eq!(typing_ms(&"x".repeat(1000)), 4000);
}

#[test]
fn load_flag_parses() {
    let spec = LoadSpec::from_flag("10, 50.5,200").unwrap();
    assert_eq!(
        (spec.sessions, spec.messages_per_second, spec.completed),
        (10, 50.5, 200)
    );
    assert!(LoadSpec::from_flag("1,2").is_err());
    assert!(LoadSpec::from_flag("a,2,3").is_err());
}

#[test]
fn directory_numbers_are_unique() {
    let numbers: HashSet<&str> = DIRECTORY.iter().map(|c| c.number).collect();
    assert_eq!(numbers.len(), DIRECTORY.len());
    assert!(colleague(" 3002 ").is_some());
    assert!(colleague("9999").is_none());
}
