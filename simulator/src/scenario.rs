//! The other agents: a directory of scripted colleagues, timed scenario files, and the load generator.

mod colleagues;
mod files;
mod load;

pub use crate::script::{Action, RunReport, Scenario, ScriptState, Start, Step, DEMO_SCENARIO};
pub use colleagues::{
    after_agent_message, after_initiate, colleague, ring_random_colleague, typing_ms, Colleague,
    DIRECTORY,
};
pub use files::{on_subscriber, run_in_background, start};
pub use load::{start_load, stop_load, LoadReport, LoadSpec};

use std::sync::Arc;

use crate::sim::{AgentDid, SimState};

/// Lets the scripted colleagues hear what the agent does (installed once per simulator by
/// `http::app`; installing again replaces it).
pub fn install(sim: &SimState) {
    sim.react(
        "colleagues",
        Arc::new(|sim: &SimState, did: &AgentDid| match did {
            AgentDid::Initiated { id } => after_initiate(sim, id),
            AgentDid::Wrote { id, text } => after_agent_message(sim, id, text),
            AgentDid::Subscribed => on_subscriber(sim),
        }),
    );
}

#[cfg(test)]
mod tests;
