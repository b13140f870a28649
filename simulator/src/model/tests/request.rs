//! Request bodies: missing (1) against wrong (2), as GWS reports them.

use super::*;

#[test]
fn parsing_separates_missing_from_invalid() {
    let cases: Vec<(Value, StatusCode)> = vec![
        (json!({}), StatusCode::MissingParameter),
        (json!({"operationName": 3}), StatusCode::InvalidState),
        (
            json!({"operationName": "SendMessage"}),
            StatusCode::MissingParameter,
        ),
        (
            json!({"operationName": "SendMessage", "text": 1}),
            StatusCode::InvalidState,
        ),
        (
            json!({"operationName": "SendMessage", "text": "a"}),
            StatusCode::MissingParameter,
        ),
        (
            json!({"operationName": "SendMessage", "text": "a", "destination": "3002"}),
            StatusCode::InvalidState,
        ),
        (
            json!({"operationName": "SendMessage", "text": "a", "destination": {}}),
            StatusCode::MissingParameter,
        ),
        (
            json!({"operationName": "SendMessage", "text": "a", "destination": {"phoneNumber": "3"}}),
            StatusCode::MissingParameter,
        ),
        (
            json!({"operationName": "AttachUserData"}),
            StatusCode::MissingParameter,
        ),
        (
            json!({"operationName": "AttachUserData", "userData": [1]}),
            StatusCode::InvalidState,
        ),
        (
            json!({"operationName": "DeleteUserData"}),
            StatusCode::MissingParameter,
        ),
        (
            json!({"operationName": "DeleteUserData", "key": false}),
            StatusCode::InvalidState,
        ),
    ];
    for (value, code) in cases {
        let map = body(value.clone());
        let result = operation_name(&map).and_then(|name| parse_session_operation(name, &map));
        assert_eq!(result.map_err(|e| e.code), Err(code), "{value}");
    }
    let ok = body(json!({
        "operationName": "SendMessage",
        "text": "Hello! This is my first message.",
        "destination": {"phoneNumber": "16001"},
        "devicePath": "/devices/x"
    }));
    assert_eq!(
        parse_session_operation("SendMessage", &ok).unwrap(),
        ImSessionOperation::SendMessage {
            text: "Hello! This is my first message.".into(),
            destination: Destination::new("16001"),
            device_path: "/devices/x".into(),
        }
    );
    assert!(matches!(
        parse_session_operation("Complete", &body(json!({}))),
        Ok(ImSessionOperation::Complete)
    ));
}

#[test]
fn parsing_initiate() {
    let ok = parse_initiate(&body(json!({
        "operationName": "InitiateIMSession",
        "destination": {"phoneNumber": "16001"},
        "userData": {"favColor": "blue"}
    })))
    .unwrap();
    assert_eq!(ok.destination.phone_number, "16001");
    assert_eq!(ok.user_data.unwrap().get("favColor"), Some(&json!("blue")));
    let code = |v: Value| parse_initiate(&body(v)).unwrap_err().code;
    assert_eq!(
        code(json!({"destination": {"phoneNumber": "1"}})),
        StatusCode::MissingParameter
    );
    assert_eq!(
        code(json!({"operationName": "SendMessage"})),
        StatusCode::InvalidState
    );
    assert_eq!(
        code(json!({"operationName": "InitiateIMSession"})),
        StatusCode::MissingParameter
    );
    assert_eq!(
        code(
            json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": "1"}, "userData": "x"})
        ),
        StatusCode::InvalidState
    );
    assert_eq!(
        code(
            json!({"operationName": "InitiateIMSession", "destination": {"phoneNumber": "1"}, "devicePath": 5})
        ),
        StatusCode::InvalidState
    );
}
