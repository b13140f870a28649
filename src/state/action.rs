//! What an agent can do to a session, one GWS operation each.

use gws_protocol::Capability;

/// An agent action on a session, mapped 1:1 to a GWS operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    SendMessage,
    AttachUserData,
    UpdateUserData,
    DeleteUserData,
    Complete,
}

impl Action {
    /// The action an operation body performs.
    pub fn from_operation(operation: &gws_protocol::ImSessionOperation) -> Self {
        use gws_protocol::ImSessionOperation as Op;
        match operation {
            Op::SendMessage { .. } => Self::SendMessage,
            Op::AttachUserData { .. } => Self::AttachUserData,
            Op::UpdateUserData { .. } => Self::UpdateUserData,
            Op::DeleteUserData { .. } => Self::DeleteUserData,
            Op::Complete => Self::Complete,
        }
    }

    pub fn capability(self) -> Capability {
        match self {
            Self::SendMessage => Capability::SendMessage,
            Self::AttachUserData => Capability::AttachUserData,
            Self::UpdateUserData => Capability::UpdateUserData,
            Self::DeleteUserData => Capability::DeleteUserData,
            Self::Complete => Capability::Complete,
        }
    }
}
