//! REST calls to GWS through gloo-net, and the one place that turns a reply into a typed error.

mod error;
pub use error::{decode_reply, Error};

#[cfg(target_arch = "wasm32")]
mod client;
#[cfg(target_arch = "wasm32")]
pub use client::ApiClient;
