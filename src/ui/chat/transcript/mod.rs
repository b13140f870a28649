//! The session's messages, system lines and gap markers, oldest first, kept scrolled to the newest
//! while the agent is reading the newest.

mod line;

use leptos::html;
use leptos::prelude::*;

use crate::alerts::attention::unseen_incoming;
use crate::i18n::days::{placements, Placement};
use crate::i18n::{fill, I18n};
use crate::runtime::WidgetContext;
use crate::state::{Delivery, Line, LineKind, SessionView};
use crate::ui::context::NarrowView;
use line::{DaySeparator, TranscriptLine};

/// How close to the bottom (px) still counts as reading the newest line.
const PINNED_SLACK: i32 = 24;

#[component]
pub fn Transcript(
    /// The session's id.
    id: String,
    /// The other party's number, said before each of their lines to screen-reader users.
    #[prop(into)]
    party: Signal<String>,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = expect_context::<I18n>().texts;
    // Only the newest `shown` lines are in the page (and copied on each change): appending to a
    // transcript of thousands then costs what it costs at a few screens, and opening it is quick.
    let shown = RwSignal::new(LINES_FIRST);
    let window = {
        let id = id.clone();
        Memo::new(move |_| {
            let shown = shown.get();
            ctx.with_session(&id, |s| s.map(|s| Window::of(s, shown)).unwrap_or_default())
        })
    };
    let lines = Memo::new(move |_| window.with(|w| w.lines.clone()));
    // Day separators read the day, which changes at midnight, not every tick.
    let today = Memo::new(move |_| I18n::day(ctx.now.get()));
    let log = NodeRef::<html::Div>::new();
    let narrow = expect_context::<NarrowView>();
    // Starts pinned, so an opened chat shows its newest lines.
    let pinned = StoredValue::new(true);
    // The session's incoming count when the agent scrolled away from the newest line (`None` while
    // pinned): what arrived since is "N new messages".
    let incoming = {
        let id = id.clone();
        Memo::new(move |_| ctx.with_session(&id, |s| s.map_or(0, |s| s.incoming)))
    };
    let unpinned_at = RwSignal::new(None::<usize>);
    let unpin = move || {
        if pinned.get_value() {
            pinned.set_value(false);
            unpinned_at.set(Some(incoming.get_untracked()));
        }
    };
    let repin = move || {
        pinned.set_value(true);
        if unpinned_at.get_untracked().is_some() {
            unpinned_at.set(None);
        }
    };
    let missed = Memo::new(move |_| {
        unpinned_at
            .get()
            .map(|base| incoming.get().saturating_sub(base))
            .filter(|n| *n > 0)
    });
    // Whether the lines changed since the last scroll event: a scroll then may be the layout's own
    // (the browser's scroll anchoring as the window drops its oldest line, or its clamping of a
    // log that became shorter), not the agent's.
    let relaid = StoredValue::new(false);
    Effect::new(move |_| {
        lines.track();
        log.track();
        // A narrow widget showing the chat again lays the log out anew.
        narrow.shows_chat();
        relaid.set_value(true);
        if pinned.get_value() {
            // After the new lines are laid out.
            // `try_`: the widget may be unmounted before the frame comes.
            request_animation_frame(move || {
                if let Some(log) = log.try_get_untracked().flatten() {
                    log.set_scroll_top(log.scroll_height());
                }
            });
        }
    });
    // Only the agent scrolls up: the widget only ever scrolls down, to the newest line. Deciding by
    // the direction keeps a burst of arrivals pinned — by the time the scroll event of one frame's
    // jump comes, more lines may have made the log taller, and "not at the bottom" alone would
    // unpin it and leave the agent mid-transcript. And an upward move right after the lines changed
    // is the layout's: a window sliding past its oldest line during a burst moves the log up by that
    // line (scroll anchoring), which unpinned it (issue 17's long-transcript test found it). The
    // agent's own scroll goes on over the next frames and counts then.
    let last_top = StoredValue::new(0);
    // Earlier lines go above what the agent reads, which stays where it is: the distance from the
    // bottom is kept (idempotent where the browser's own scroll anchoring already did it).
    let more = move || {
        unpin();
        let from_bottom = log
            .get_untracked()
            .map(|log| log.scroll_height() - log.scroll_top());
        shown.update(|n| *n += LINES_MORE);
        if let Some(from_bottom) = from_bottom {
            request_animation_frame(move || {
                if let Some(log) = log.try_get_untracked().flatten() {
                    log.set_scroll_top(log.scroll_height() - from_bottom);
                }
            });
        }
    };
    let on_scroll = move |_| {
        if let Some(log) = log.get_untracked() {
            let top = log.scroll_top();
            let below = log.scroll_height() - top - log.client_height();
            if below <= PINNED_SLACK {
                repin();
            } else if top < last_top.get_value() && !relaid.get_value() {
                unpin();
                // Reading up to within a screen of the oldest line shown brings earlier ones.
                if top <= log.client_height() && window.with_untracked(|w| w.start > 0) {
                    more();
                }
            }
            last_top.set_value(top);
            relaid.set_value(false);
        }
    };
    let i18n = expect_context::<I18n>();
    let jump = move || {
        missed.get().map(|count| {
            let words = fill(
                t.new_messages.pick(i18n.locale.plural(count as u64)),
                &[("count", &i18n.number(count as u64))],
            );
            view! {
                <button
                    type="button"
                    class="imw-button imw-button--small imw-log__jump"
                    on:click=move |_| {
                        if let Some(log) = log.get_untracked() {
                            log.set_scroll_top(log.scroll_height());
                        }
                        repin();
                    }
                >
                    {words}
                </button>
            }
        })
    };

    let announcer = NodeRef::<html::Div>::new();
    announce_incoming(window, party, announcer);
    let earlier = move || {
        (window.with(|w| w.start) > 0).then(|| {
            view! {
                <button
                    type="button"
                    class="imw-button imw-button--small imw-log__earlier"
                    on:click=move |_| more()
                >
                    {t.show_earlier}
                </button>
            }
        })
    };

    view! {
        // The log itself stays quiet (opening a chat or a delivery update is not news); the region
        // after it announces each incoming message that arrives while the chat is open.
        <div
            node_ref=log
            class="imw-log"
            role="log"
            aria-label=t.messages
            aria-live="off"
            tabindex="0"
            on:scroll=on_scroll
        >
            {earlier}
            <For
                each=move || {
                    let (start, placed) = window.with(|w| (w.start, w.placements.clone()));
                    lines
                        .get()
                        .into_iter()
                        .zip(placed)
                        .enumerate()
                        .map(move |(i, (line, placed))| (start + i, line, placed))
                }
                // A line placed anew (earlier lines shown before it) is drawn anew.
                key=|(index, line, placed)| (line_key(*index, line), *placed)
                children=move |(_, line, placed)| {
                    let kind = line.kind.clone();
                    let delivery = Signal::derive(move || delivery_of(&lines.read(), &kind));
                    view! {
                        {placed.new_day.then(|| view! { <DaySeparator at=line.at today=today /> })}
                        <TranscriptLine
                            line=line.clone()
                            continued=placed.continued
                            delivery=delivery
                            session=id.clone()
                            party=party
                        />
                    }
                }
            />
            {move || {
                lines
                    .with(Vec::is_empty)
                    .then(|| view! { <p class="imw-log__empty">{t.no_messages}</p> })
            }}
        </div>
        {jump}
        <div
            node_ref=announcer
            class="imw-visually-hidden"
            aria-live="polite"
            aria-relevant="additions"
        ></div>
    }
}

/// How many announcements the live region keeps (older ones were read already).
const ANNOUNCED_KEPT: u32 = 3;

/// How many lines an opened transcript shows: a few screens of the newest (opening a chat draws
/// only these; 100 made switching at a full day miss its 33 ms, docs/BENCHMARKS.md).
const LINES_FIRST: usize = 40;

/// How many earlier lines "Show earlier messages", or reading up to the oldest shown, adds.
const LINES_MORE: usize = 100;

/// The newest lines of a transcript: where they start, and how many incoming lines come before.
#[derive(Debug, Clone, Default, PartialEq)]
struct Window {
    start: usize,
    incoming_before: usize,
    lines: Vec<Line>,
    /// Each line's place among its neighbours (its time shown or not, a day separator first).
    placements: Vec<Placement>,
}

impl Window {
    fn of(view: &SessionView, shown: usize) -> Self {
        let start = view.transcript.len().saturating_sub(shown);
        let newest = view.transcript.get(start..).unwrap_or_default();
        let incoming_shown = newest
            .iter()
            .filter(|l| matches!(l.kind, LineKind::Incoming))
            .count();
        Self {
            start,
            incoming_before: view.incoming.saturating_sub(incoming_shown),
            placements: placements(newest, &I18n::day),
            lines: newest.to_vec(),
        }
    }
}

/// How much of an incoming line is announced.
const ANNOUNCED_CHARS: usize = 300;

/// Appends "<party>: <text>" to `region` for each incoming line that was not in the transcript
/// when the chat opened (DOM appends, so only the new paragraph is announced).
fn announce_incoming(window: Memo<Window>, party: Signal<String>, region: NodeRef<html::Div>) {
    let seen = StoredValue::new(0_usize);
    Effect::new(move |ran_before: Option<()>| {
        let texts = window.with(|w| {
            seen.try_update_value(|seen| unseen_incoming(&w.lines, w.incoming_before, seen))
                .unwrap_or_default()
        });
        // The first run only learns what the chat opened with.
        let Some(region) = region.get_untracked().filter(|_| ran_before.is_some()) else {
            return;
        };
        let party = party.get_untracked();
        for text in texts {
            if let Ok(paragraph) = document().create_element("p") {
                // The log itself holds the whole line; a screen reader is read its start.
                let text = crate::i18n::format::snippet(&text, ANNOUNCED_CHARS);
                paragraph.set_text_content(Some(&format!("{party}: {text}")));
                let _ = region.append_child(&paragraph);
            }
        }
        while region.child_element_count() > ANNOUNCED_KEPT {
            match region.first_element_child() {
                Some(oldest) => oldest.remove(),
                None => break,
            }
        }
    });
}

/// A line's identity across updates: its place, its time and, for the agent's own, its local id.
fn line_key(index: usize, line: &Line) -> (usize, u64, Option<u64>) {
    let local_id = match line.kind {
        LineKind::Outgoing { local_id, .. } => Some(local_id),
        _ => None,
    };
    (index, line.at.to_bits(), local_id)
}

/// Where one of the agent's own lines stands now (`None` for other lines).
fn delivery_of(lines: &[Line], kind: &LineKind) -> Option<Delivery> {
    let LineKind::Outgoing {
        local_id: wanted, ..
    } = kind
    else {
        return None;
    };
    lines.iter().find_map(|line| match &line.kind {
        LineKind::Outgoing {
            local_id, delivery, ..
        } if local_id == wanted => Some(delivery.clone()),
        _ => None,
    })
}
