//! One session in the list: a single button that opens it in the chat pane.

use gws_protocol::ImSessionState;
use leptos::prelude::*;

use crate::alerts::attention::unread_badge;
use crate::i18n::format::{initials, snippet, state_label, time_since};
use crate::runtime::WidgetContext;
use crate::state::{Event, Millis};
use crate::ui::context::NarrowView;
use crate::ui::focus::focus_chat_if_hidden;
use crate::ui::waiting_timer::WaitingTimer;

/// What a row shows of its session.
#[derive(Debug, Clone, PartialEq)]
struct RowData {
    number: String,
    name: Option<String>,
    /// The avatar's letters.
    initials: String,
    state: ImSessionState,
    started_at: Millis,
    unread: u32,
    preview: Option<String>,
    selected: bool,
    /// Received something since the agent last had it open.
    fresh: bool,
}

/// A row shows one line of the last message: more than this is never laid out.
const PREVIEW_CHARS: usize = 200;

#[component]
pub fn SessionRow(
    /// The session's id (`SessionView::id`).
    id: String,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let narrow = expect_context::<NarrowView>();
    let i18n = expect_context::<crate::i18n::I18n>();
    let t = i18n.texts;
    let row = {
        let id = id.clone();
        Memo::new(move |_| {
            // Re-runs when this session changes or gains or loses the selection, not when
            // another session does.
            ctx.sessions.track(&id);
            ctx.model.with_untracked(|m| {
                m.session(&id).map(|view| {
                    let number = view.party_number().unwrap_or(t.unknown_party).to_owned();
                    let name = ctx.name_for(&number);
                    RowData {
                        initials: initials(name.as_deref(), &number),
                        name,
                        number,
                        state: view.state().clone(),
                        started_at: view.started_at,
                        unread: view.unread,
                        preview: view
                            .last_message()
                            .map(|line| snippet(&line.text, PREVIEW_CHARS)),
                        selected: m.selected.as_deref() == Some(id.as_str()),
                        // Untracked: freshness only changes for a session the change touched or
                        // whose selection it moved, and those rows' triggers fire anyway.
                        fresh: ctx.attention.with_untracked(|a| a.is_fresh(&id)),
                    }
                })
            })
        })
    };
    let field = move |read: fn(&RowData) -> String| move || row.with(|r| r.as_ref().map(read));
    let state = move || {
        row.with(|r| {
            r.as_ref()
                .map(|r| state_label(&r.state, t))
                .unwrap_or(("", "unknown"))
        })
    };
    let selected = move || row.with(|r| r.as_ref().is_some_and(|r| r.selected));
    let fresh = move || row.with(|r| r.as_ref().is_some_and(|r| r.fresh));
    let class = move || {
        let mut class = format!("imw-session imw-session--{}", state().1);
        if selected() {
            class.push_str(" imw-session--selected");
        }
        if fresh() {
            class.push_str(" imw-session--fresh");
        }
        class
    };
    let age = move || {
        let started_at = row.with(|r| r.as_ref().map(|r| r.started_at))?;
        Some(time_since(started_at, ctx.now.get(), t, &|n| {
            i18n.number(n)
        }))
    };
    let unread = move || {
        row.with(|r| {
            r.as_ref()
                .and_then(|r| unread_badge(r.unread, i18n.locale, &|n| i18n.number(n)))
        })
    };
    let name = move || row.with(|r| r.as_ref().and_then(|r| r.name.clone()));
    let preview = move || row.with(|r| r.as_ref().and_then(|r| r.preview.clone()));

    let timer_id = id.clone();
    view! {
        <button
            type="button"
            class=class
            aria-current=move || selected().then_some("true")
            on:click=move |event| {
                ctx.dispatch.run(Event::Select(id.clone()));
                narrow.show_chat();
                focus_chat_if_hidden(&event);
            }
        >
            <span class="imw-session__avatar" aria-hidden="true">
                {field(|r| r.initials.clone())}
            </span>
            <span class="imw-session__top">
                <span class="imw-session__who">
                    <span class="imw-session__number" dir="ltr">
                        {field(|r| r.number.clone())}
                    </span>
                    " "
                    {move || {
                        name().map(|name| view! { <span class="imw-session__name">{name}</span> })
                    }}
                </span>
                " "
                {move || fresh().then(|| view! { <span class="imw-session__new">{t.fresh}</span> })}
                " "
                <span class="imw-session__state">
                    <span class="imw-session__marker" aria-hidden="true"></span>
                    {move || state().0}
                </span>
            </span>
            " "
            <span class="imw-session__bottom">
                <span class="imw-session__preview">{preview}</span>
                " "
                <span class="imw-session__age">{age}</span>
                " "
                <WaitingTimer id=timer_id />
                " "
                {move || {
                    unread().map(|text| view! { <span class="imw-session__unread">{text}</span> })
                }}
            </span>
        </button>
    }
}
