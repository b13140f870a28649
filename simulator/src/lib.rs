//! gws-sim: a Genesys Web Services simulator.
pub mod bayeux;
