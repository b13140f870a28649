//! One line of a transcript — theirs, the agent's own (with its delivery, Retry and Discard), a
//! system line, a gap — and the day separator before the first line of each day.

use leptos::prelude::*;

use crate::i18n::days::{day_name, DayName};
use crate::i18n::format::{delivery_text, notice_parts};
use crate::i18n::links::{segments, Segment};
use crate::i18n::{around, I18n};
use crate::runtime::WidgetContext;
use crate::state::{Delivery, Event, Line, LineKind, Millis};
use crate::ui::focus::{refocus_after, COMPOSER};

/// A message's text: text nodes, and its `http(s)://` addresses as links that open in a new tab
/// (no other scheme is ever a link: `i18n::links`). Never markup.
fn message_text(text: String) -> AnyView {
    let pieces = segments(&text);
    if pieces.iter().all(|piece| matches!(piece, Segment::Text(_))) {
        return text.into_any();
    }
    pieces
        .into_iter()
        .map(|piece| match piece {
            Segment::Text(plain) => plain.to_owned().into_any(),
            Segment::Link(address) => {
                let (href, shown) = (address.to_owned(), address.to_owned());
                view! {
                    <a class="imw-line__link" href=href target="_blank" rel="noopener noreferrer">
                        {shown}
                    </a>
                }
                .into_any()
            }
        })
        .collect_view()
        .into_any()
}

/// "Today", "Yesterday" or the date, before the first line of each day.
#[component]
pub(super) fn DaySeparator(
    /// The time of the day's first line.
    at: Millis,
    /// Today's local day number.
    today: Memo<i64>,
) -> impl IntoView {
    let i18n = expect_context::<I18n>();
    let t = i18n.texts;
    let day = I18n::day(at);
    // Shown and said: one memo, re-run only when the day changes.
    let name = Memo::new(move |_| match day_name(day, today.get()) {
        DayName::Today => t.today.to_owned(),
        DayName::Yesterday => t.yesterday.to_owned(),
        DayName::Date => i18n.date(at),
    });
    view! {
        <div class="imw-day" role="separator" aria-label=name>
            <span class="imw-day__name" aria-hidden="true">
                {name}
            </span>
        </div>
    }
}

/// One transcript line; text is always a text node, never markup.
#[component]
pub(super) fn TranscriptLine(
    /// The line as it was when first shown (only an own line's delivery changes later).
    line: Line,
    /// It follows a line of the same side soon before: its time is said, not shown again.
    continued: bool,
    /// For the agent's own line: where it stands now.
    delivery: Signal<Option<Delivery>>,
    /// The session's id, for Retry and Discard.
    session: String,
    /// The other party's number.
    party: Signal<String>,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let i18n = expect_context::<I18n>();
    let t = i18n.texts;
    let time = i18n.time(line.at);
    // A continued line's time is said with who wrote it, not shown again.
    let meta_class = if continued {
        "imw-line__meta imw-visually-hidden"
    } else {
        "imw-line__meta"
    };
    match line.kind {
        LineKind::Incoming => {
            let (before, after) = around(t.they_wrote_at, "party");
            view! {
                <div class="imw-line imw-line--incoming" class:imw-line--continued=continued>
                    <p class=meta_class>
                        <span class="imw-visually-hidden">
                            {before} <span dir="ltr">{party}</span> {after}
                        </span>
                        <time>{time}</time>
                    </p>
                    <p class="imw-line__text">{message_text(line.text)}</p>
                </div>
            }
            .into_any()
        }
        LineKind::Outgoing { local_id, .. } => {
            let status = move || delivery.get().map(|d| delivery_text(&d, t));
            let status_class = move || {
                let modifier = match delivery.get() {
                    Some(Delivery::Queued | Delivery::Sending | Delivery::Unconfirmed { .. })
                    | None => "sending",
                    Some(Delivery::Sent) => "sent",
                    Some(Delivery::Failed { .. } | Delivery::Uncertain) => "failed",
                };
                format!("imw-line__status imw-line__status--{modifier}")
            };
            // Retry only once the server surely lacks it, or the agent must decide.
            let failed = move || {
                matches!(
                    delivery.get(),
                    Some(Delivery::Failed { .. } | Delivery::Uncertain)
                )
            };
            view! {
                <div class="imw-line imw-line--outgoing" class:imw-line--continued=continued>
                    <p class=meta_class>
                        <span class="imw-visually-hidden">{t.you_wrote_at}</span>
                        <time>{time}</time>
                    </p>
                    <p class="imw-line__text">{message_text(line.text)}</p>
                    <p class=status_class>{status}</p>
                    <Show when=failed>
                        <div class="imw-line__actions">
                            <button
                                type="button"
                                class="imw-button imw-button--small"
                                on:click={
                                    let session = session.clone();
                                    move |_| {
                                        ctx.dispatch
                                            .run(Event::Retry {
                                                session: session.clone(),
                                                local_id,
                                                at: WidgetContext::clock(),
                                            })
                                    }
                                }
                            >
                                {t.retry}
                            </button>
                            <button
                                type="button"
                                class="imw-button imw-button--small"
                                on:click={
                                    let session = session.clone();
                                    move |event| {
                                        refocus_after(&event, &[COMPOSER]);
                                        ctx.dispatch
                                            .run(Event::Discard {
                                                session: session.clone(),
                                                local_id,
                                            })
                                    }
                                }
                            >
                                {t.discard}
                            </button>
                        </div>
                    </Show>
                </div>
            }
            .into_any()
        }
        LineKind::System => view! {
            <div class="imw-line imw-line--system">
                <p class="imw-line__text">
                    <time class="imw-line__time">{time}</time>
                    " "
                    {line.text}
                </p>
            </div>
        }
        .into_any(),
        LineKind::Notice(notice) => {
            let (before, number, after) = notice_parts(&notice, t);
            view! {
                <div class="imw-line imw-line--system">
                    <p class="imw-line__text">
                        <time class="imw-line__time">{time}</time>
                        " "
                        {before}
                        {number
                            .map(|number| {
                                view! {
                                    <span dir="ltr" class="imw-number">
                                        {number}
                                    </span>
                                }
                            })}
                        {after}
                    </p>
                </div>
            }
            .into_any()
        }
        LineKind::Gap { until } => {
            // Older versions stored the words in `text`; today's come from the catalogue.
            // Across midnight (a page closed overnight) each end says its day too.
            let text = if I18n::day(line.at) == I18n::day(until) {
                format!("{} ({}–{})", t.gap, time, i18n.time(until))
            } else {
                let (from_day, until_day) = (i18n.date(line.at), i18n.date(until));
                format!(
                    "{} ({from_day} {time}–{until_day} {})",
                    t.gap,
                    i18n.time(until)
                )
            };
            // Machine-readable bounds (whole ms since the epoch) so a test can tell what the gap
            // covers; as integers, not through core's float formatting (kilobytes of wasm).
            let whole = |ms: f64| (ms.round() as i64).to_string();
            let (from, until) = (whole(line.at), whole(until));
            view! {
                <div class="imw-line imw-line--gap" data-from=from data-until=until>
                    <p class="imw-line__text">{text}</p>
                </div>
            }
            .into_any()
        }
    }
}
