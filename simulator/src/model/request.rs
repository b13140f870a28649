//! Request bodies: separate "missing" (1) from "wrong" (2) the way GWS reports them.

use gws_protocol::{Destination, ImSessionOperation, InitiateImSession, UserData};
use serde_json::{Map, Value};

use super::*;

/// The `operationName` of a request body.
pub fn operation_name(body: &Map<String, Value>) -> Result<&str, OpError> {
    match body.get("operationName") {
        None | Some(Value::Null) => Err(OpError::missing("operationName")),
        Some(Value::String(name)) => Ok(name.as_str()),
        Some(other) => Err(OpError::invalid(
            "operationName",
            format!("{other} is not a string"),
        )),
    }
}

fn required_string(body: &Map<String, Value>, key: &str) -> Result<String, OpError> {
    match body.get(key) {
        None | Some(Value::Null) => Err(OpError::missing(key)),
        Some(Value::String(value)) => Ok(value.clone()),
        Some(other) => Err(OpError::invalid(key, format!("{other} is not a string"))),
    }
}

fn optional_string(body: &Map<String, Value>, key: &str) -> Result<Option<String>, OpError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => required_string(body, key).map(Some),
    }
}

fn required_destination(body: &Map<String, Value>) -> Result<Destination, OpError> {
    match body.get("destination") {
        None | Some(Value::Null) => Err(OpError::missing("destination")),
        Some(Value::Object(destination)) => match destination.get("phoneNumber") {
            None | Some(Value::Null) => Err(OpError::missing("destination.phoneNumber")),
            Some(Value::String(number)) => Ok(Destination::new(number.clone())),
            Some(other) => Err(OpError::invalid(
                "destination.phoneNumber",
                format!("{other} is not a string"),
            )),
        },
        Some(other) => Err(OpError::invalid(
            "destination",
            format!("{other} is not an object"),
        )),
    }
}

fn user_data_value(value: &Value, key: &str) -> Result<UserData, OpError> {
    match value {
        Value::Object(entries) => Ok(entries
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()),
        other => Err(OpError::invalid(key, format!("{other} is not an object"))),
    }
}

fn required_user_data(body: &Map<String, Value>) -> Result<UserData, OpError> {
    match body.get("userData") {
        None | Some(Value::Null) => Err(OpError::missing("userData")),
        Some(value) => user_data_value(value, "userData"),
    }
}

/// Reads the parameters of session operation `name` (already known to be one of the five).
pub fn parse_session_operation(
    name: &str,
    body: &Map<String, Value>,
) -> Result<ImSessionOperation, OpError> {
    Ok(match name {
        "SendMessage" => ImSessionOperation::SendMessage {
            text: required_string(body, "text")?,
            destination: required_destination(body)?,
            device_path: required_string(body, "devicePath")?,
        },
        "AttachUserData" => ImSessionOperation::AttachUserData {
            user_data: required_user_data(body)?,
        },
        "UpdateUserData" => ImSessionOperation::UpdateUserData {
            user_data: required_user_data(body)?,
        },
        "DeleteUserData" => ImSessionOperation::DeleteUserData {
            key: required_string(body, "key")?,
        },
        "Complete" => ImSessionOperation::Complete,
        other => {
            return Err(OpError::invalid(
                "operationName",
                format!("{other} is not an IM session operation"),
            ))
        }
    })
}

/// Reads an InitiateIMSession body.
pub fn parse_initiate(body: &Map<String, Value>) -> Result<InitiateImSession, OpError> {
    let name = operation_name(body)?;
    if name != "InitiateIMSession" {
        return Err(OpError::invalid(
            "operationName",
            format!("{name} is not an operation of im-sessions"),
        ));
    }
    let destination = required_destination(body)?;
    let user_data = match body.get("userData") {
        None | Some(Value::Null) => None,
        Some(value) => Some(user_data_value(value, "userData")?),
    };
    let device_path = optional_string(body, "devicePath")?;
    Ok(InitiateImSession {
        destination,
        user_data,
        device_path,
    })
}
