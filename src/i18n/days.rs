//! Where a transcript line sits among its neighbours: under the previous line's time (the same
//! side, the same day, a few minutes apart) or after a day separator — "Today", "Yesterday", else
//! the date through Intl. Pure: the local day of a time comes from the caller (the browser's zone).

use crate::state::{Line, LineKind, Millis};

/// Lines of one side at most this far apart share the first one's time.
pub const GROUP_GAP_MS: Millis = 5.0 * 60_000.0;

/// How a line is shown relative to the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Placement {
    /// Same side as the previous line, soon after: its time is not repeated.
    pub continued: bool,
    /// The first line of its day in the window: a day separator comes first.
    pub new_day: bool,
}

/// Where a line on local day `day` sits after `previous` (with its day; `None`: it is the first
/// line shown).
fn placement(previous: Option<(&Line, i64)>, line: &Line, day: i64) -> Placement {
    let Some((previous, previous_day)) = previous else {
        return Placement {
            continued: false,
            new_day: true,
        };
    };
    let new_day = previous_day != day;
    let same_side = matches!(
        (&previous.kind, &line.kind),
        (LineKind::Incoming, LineKind::Incoming)
            | (LineKind::Outgoing { .. }, LineKind::Outgoing { .. })
    );
    let soon = line.at >= previous.at && line.at - previous.at <= GROUP_GAP_MS;
    Placement {
        continued: !new_day && same_side && soon,
        new_day,
    }
}

/// Every line's placement, in order (each line's day asked once).
pub fn placements(lines: &[Line], day_of: &dyn Fn(Millis) -> i64) -> Vec<Placement> {
    let mut previous = None;
    lines
        .iter()
        .map(|line| {
            let day = day_of(line.at);
            let placed = placement(previous, line, day);
            previous = Some((line, day));
            placed
        })
        .collect()
}

/// What a day separator says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayName {
    Today,
    Yesterday,
    /// Any other day (and a day after today, from a skewed clock): its date.
    Date,
}

/// The name of local day `day` seen on local day `today`.
pub fn day_name(day: i64, today: i64) -> DayName {
    match today - day {
        0 => DayName::Today,
        1 => DayName::Yesterday,
        _ => DayName::Date,
    }
}

/// The local day number of `at` for a zone `offset_minutes` behind UTC (as `Date`'s
/// `getTimezoneOffset` gives it: −60 in Berlin's winter).
pub fn local_day(at: Millis, offset_minutes: f64) -> i64 {
    ((at - offset_minutes * 60_000.0) / 86_400_000.0).floor() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Delivery;

    const MINUTE: Millis = 60_000.0;
    const DAY: Millis = 86_400_000.0;
    /// 2026-12-03 00:00 UTC.
    const MIDNIGHT: Millis = 1_796_256_000_000.0;

    fn utc(at: Millis) -> i64 {
        local_day(at, 0.0)
    }

    fn line(kind: LineKind, at: Millis) -> Line {
        Line {
            kind,
            text: "x".into(),
            at,
        }
    }

    fn theirs(at: Millis) -> Line {
        line(LineKind::Incoming, at)
    }

    fn mine(at: Millis, local_id: u64) -> Line {
        line(
            LineKind::Outgoing {
                local_id,
                delivery: Delivery::Sent,
                echoed: true,
            },
            at,
        )
    }

    fn shown(lines: &[Line]) -> Vec<(bool, bool)> {
        placements(lines, &utc)
            .into_iter()
            .map(|p| (p.continued, p.new_day))
            .collect()
    }

    #[test]
    fn lines_of_one_side_a_few_minutes_apart_share_a_time_and_nothing_else_does() {
        let at = MIDNIGHT + 9.0 * 60.0 * MINUTE;
        let lines = [
            theirs(at),
            theirs(at + MINUTE),
            theirs(at + MINUTE + GROUP_GAP_MS),
            theirs(at + 2.0 * MINUTE + 2.0 * GROUP_GAP_MS),
            mine(at + 20.0 * MINUTE, 1),
            mine(at + 21.0 * MINUTE, 2),
            line(LineKind::System, at + 21.5 * MINUTE),
            mine(at + 22.0 * MINUTE, 3),
            theirs(at + 22.5 * MINUTE),
            line(
                LineKind::Gap {
                    until: at + 30.0 * MINUTE,
                },
                at + 23.0 * MINUTE,
            ),
            theirs(at + 31.0 * MINUTE),
            // A line stamped before the previous one (a skewed clock) starts its own group.
            theirs(at + 30.5 * MINUTE),
        ];
        assert_eq!(
            shown(&lines),
            [
                (false, true),
                (true, false),
                (true, false),
                (false, false),
                (false, false),
                (true, false),
                (false, false),
                (false, false),
                (false, false),
                (false, false),
                (false, false),
                (false, false),
            ]
        );
    }

    #[test]
    fn a_new_day_gets_a_separator_and_breaks_the_group() {
        let lines = [
            theirs(MIDNIGHT - 2.0 * MINUTE),
            theirs(MIDNIGHT - MINUTE),
            theirs(MIDNIGHT + MINUTE),
            theirs(MIDNIGHT + 2.0 * MINUTE),
            theirs(MIDNIGHT + 3.0 * DAY),
        ];
        assert_eq!(
            shown(&lines),
            [
                (false, true),
                (true, false),
                (false, true),
                (true, false),
                (false, true)
            ]
        );
        assert!(shown(&[]).is_empty());
    }

    #[test]
    fn the_day_follows_the_zone_and_is_named_relative_to_today() {
        // 23:30 UTC on the 2nd is already the 3rd in Berlin (UTC+1: offset −60).
        let late = MIDNIGHT - 30.0 * MINUTE;
        assert_eq!(local_day(late, 0.0), utc(MIDNIGHT) - 1);
        assert_eq!(local_day(late, -60.0), utc(MIDNIGHT));
        // And 00:30 UTC on the 3rd is still the 2nd in New York (UTC−5: offset 300).
        assert_eq!(
            local_day(MIDNIGHT + 30.0 * MINUTE, 300.0),
            utc(MIDNIGHT) - 1
        );
        let today = utc(MIDNIGHT);
        assert_eq!(day_name(today, today), DayName::Today);
        assert_eq!(day_name(today - 1, today), DayName::Yesterday);
        assert_eq!(day_name(today - 2, today), DayName::Date);
        assert_eq!(day_name(today + 1, today), DayName::Date);
    }
}
