use gws_protocol::{
    Capability, Destination, ImNotification, ImSessionOperation, ImSessionState, InitiateImSession,
    StatusCode, UserData,
};
use serde_json::{json, Map, Value};

use super::*;

fn world() -> World {
    World::new(7)
}

fn body(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn send(text: &str, to: &str) -> ImSessionOperation {
    ImSessionOperation::SendMessage {
        text: text.into(),
        destination: Destination::new(to),
        device_path: device_path(),
    }
}

fn user_data(pairs: &[(&str, &str)]) -> UserData {
    pairs
        .iter()
        .map(|(k, v)| (*k, Value::String((*v).into())))
        .collect()
}

fn state_of(world: &World, id: &str) -> ImSessionState {
    world
        .session(id)
        .map(|s| s.state.clone())
        .unwrap_or_default()
}

fn kinds(notifications: &Notifications) -> Vec<String> {
    notifications
        .iter()
        .map(|n| match n {
            ImNotification::StateChange { kind, session } => {
                format!("{kind}:{}", session.state)
            }
            ImNotification::LogUpdate { message, .. } => format!("NewMessage:{message}"),
            ImNotification::Unknown { message_type } => message_type.clone(),
        })
        .collect()
}

mod request;
mod world;
