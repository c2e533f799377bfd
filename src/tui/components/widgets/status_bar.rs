//! The status bar: who and where, the sync state in words (never by colour alone), a notice,
//! and the key hints of the focused pane. Conflicts waiting to be settled stay listed here,
//! with the key that opens the conflict dialog.

use crate::client::{Connection, SyncStatus};
use crate::domain::Role;
use crate::domain::i18n::Arg;
use crate::tui::action::Action;
use crate::tui::components::widgets::text::wrap;
use crate::tui::components::{Binding, DrawCtx};
use crate::tui::i18n::{self, t, tf};
use crate::tui::keymap::Context;
use chrono::{DateTime, Local, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// The last sync time as local wall-clock time, with the date when it was not `now`'s day.
pub fn local_time(at: DateTime<Utc>, now: DateTime<Local>) -> String {
    let local = at.with_timezone(&Local);
    if local.date_naive() == now.date_naive() {
        local.format("%H:%M:%S").to_string()
    } else {
        local.format(&t("format-date-time")).to_string()
    }
}

/// Who is signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub email: String,
    pub role: Role,
}

/// A short message for the user, e.g. a failed action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The text.
    pub text: String,
    /// Whether it reports a failure.
    pub error: bool,
}

/// What the status bar shows.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusInfo<'a> {
    /// Signed-in account, if any.
    pub identity: Option<&'a Identity>,
    /// "embedded", or the server's address.
    pub server: &'a str,
    /// The client's sync state as it reports it, once signed in.
    pub sync: Option<&'a SyncStatus>,
    /// The time now, which decides whether the last sync shows with its date.
    pub now: DateTime<Local>,
    /// Notice to show in place of the key hints (and of the status too, when it is long).
    pub notice: Option<&'a Notice>,
    /// Key hints for the focused pane.
    pub hints: &'a [Binding],
}

/// Draws the two-line bar into `area` (status above hints). A notice takes the hint line
/// whole; one too long for it wraps onto the status line too, and what still does not fit
/// ends in `…`.
pub fn draw(frame: &mut Frame, area: Rect, info: &StatusInfo<'_>, ctx: DrawCtx<'_>) {
    let [status_area, hint_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let Some(notice) = info.notice else {
        frame.render_widget(
            status_line(info, usize::from(status_area.width), ctx),
            status_area,
        );
        frame.render_widget(
            hint_line(info.hints, usize::from(hint_area.width), ctx),
            hint_area,
        );
        return;
    };
    let style = if notice.error {
        ctx.theme.status.patch(ctx.theme.error)
    } else {
        ctx.theme.status
    };
    let lines = notice_lines(notice, usize::from(area.width).saturating_sub(1));
    let rows = if lines.len() > 1 {
        vec![status_area, hint_area]
    } else {
        frame.render_widget(
            status_line(info, usize::from(status_area.width), ctx),
            status_area,
        );
        vec![hint_area]
    };
    for (text, row) in lines.into_iter().zip(rows) {
        frame.render_widget(Line::styled(format!(" {text}"), style), row);
    }
}

/// One part of the status line, kept or dropped whole.
struct Segment {
    /// Which parts go first when the line is too narrow (lower: dropped earlier); 9 stays.
    keep: u8,
    /// Right of the `│`: the sync state; left of it, who and where.
    sync: bool,
    spans: Vec<Span<'static>>,
}

impl Segment {
    fn new(keep: u8, sync: bool, span: Span<'static>) -> Self {
        Segment {
            keep,
            sync,
            spans: vec![span],
        }
    }

    fn width(&self) -> usize {
        self.spans.iter().map(Span::width).sum()
    }
}

/// Who, where and the sync state in `width` cells: when they do not fit, whole parts are
/// dropped, the least telling first (role, server, last sync, email), so what remains keeps
/// its words — the connection state, pending writes and conflicts always stay.
fn status_line(info: &StatusInfo<'_>, width: usize, ctx: DrawCtx<'_>) -> Line<'static> {
    let mut segments = Vec::new();
    match info.identity {
        Some(id) => {
            segments.push(Segment::new(
                4,
                false,
                Span::styled(id.email.clone(), ctx.theme.status),
            ));
            let role = i18n::role(id.role);
            segments.push(Segment::new(1, false, Span::raw(role)));
        }
        None => segments.push(Segment::new(9, false, Span::raw(t("status-not-signed-in")))),
    }
    let server = match info.server {
        "embedded" => t("status-embedded"),
        address => address.to_string(),
    };
    segments.push(Segment::new(2, false, Span::raw(server)));
    if let Some(sync) = info.sync {
        segments.extend(sync_segments(sync, info.now, ctx));
    }
    while line_width(&segments) > width {
        let Some(drop) = segments
            .iter()
            .enumerate()
            .filter(|(_, s)| s.keep < 9)
            .min_by_key(|(_, s)| s.keep)
            .map(|(n, _)| n)
        else {
            break;
        };
        segments.remove(drop);
    }
    let mut spans = vec![Span::raw(" ")];
    let mut previous: Option<bool> = None;
    for segment in segments {
        match previous {
            Some(false) if segment.sync => spans.push(Span::raw(" │ ")),
            Some(_) => spans.push(Span::raw(" · ")),
            None => {}
        }
        previous = Some(segment.sync);
        spans.extend(segment.spans);
    }
    Line::from(spans).style(ctx.theme.status)
}

/// The cells the line of `segments` takes (a leading space, three between parts).
fn line_width(segments: &[Segment]) -> usize {
    1 + segments.iter().map(Segment::width).sum::<usize>() + 3 * segments.len().saturating_sub(1)
}

/// The notice in lines of at most `width` characters: one line when it fits, else two,
/// the second ending in `…` when the text is longer still (its start says what happened).
fn notice_lines(notice: &Notice, width: usize) -> Vec<String> {
    let text = if notice.error {
        tf("status-error", &[("text", Arg::Text(&notice.text))])
    } else {
        notice.text.clone()
    };
    let width = width.max(1);
    if text.chars().count() <= width {
        return vec![text];
    }
    let mut lines = wrap(&text, width);
    if lines.len() > 2 {
        lines.truncate(2);
        let last = &mut lines[1];
        while last.chars().count() + 1 > width {
            last.pop();
        }
        last.push('…');
    }
    lines
}

fn sync_segments(sync: &SyncStatus, now: DateTime<Local>, ctx: DrawCtx<'_>) -> Vec<Segment> {
    let theme = ctx.theme;
    let (changes, snapshot) = sync
        .progress
        .map_or((0, false), |p| (p.changes, p.snapshot));
    let state = match sync.connection {
        Connection::Connecting => Span::styled(t("sync-connecting"), theme.syncing),
        Connection::Online => Span::styled(t("sync-online"), theme.online),
        Connection::Reconnecting => Span::styled(t("sync-reconnecting"), theme.syncing),
        Connection::Offline => Span::styled(t("sync-offline"), theme.offline),
        Connection::Syncing if snapshot => Span::styled(
            tf("sync-full", &[("count", Arg::from(changes))]),
            theme.syncing,
        ),
        Connection::Syncing => Span::styled(
            tf("sync-changes", &[("count", Arg::from(changes))]),
            theme.syncing,
        ),
        Connection::SignedOut => Span::styled(t("sync-signed-out"), theme.offline),
        Connection::CacheOnly => Span::styled(t("sync-cache-only"), theme.offline),
    };
    let mut segments = vec![
        Segment::new(9, true, state),
        Segment::new(
            3,
            true,
            Span::raw(match sync.last_sync {
                Some(at) => tf("sync-synced", &[("time", Arg::Text(&local_time(at, now)))]),
                None => t("sync-not-yet"),
            }),
        ),
    ];
    if sync.pending_writes > 0 {
        segments.push(Segment::new(
            9,
            true,
            Span::styled(
                tf("sync-pending", &[("count", Arg::from(sync.pending_writes))]),
                theme.status.patch(theme.warning),
            ),
        ));
    }
    if sync.conflicts > 0 {
        let count = ("count", Arg::from(sync.conflicts));
        let text = match ctx.keymap.keys(Context::Global, Action::Conflicts).first() {
            Some(k) => tf(
                "sync-conflicts-key",
                &[count, ("key", Arg::Text(&k.to_string()))],
            ),
            None => tf("sync-conflicts", &[count]),
        };
        segments.push(Segment::new(
            9,
            true,
            Span::styled(text, theme.status.patch(theme.error)),
        ));
    }
    segments
}

/// The hints that fit in `width`: each binding's first key and label, in order, with the
/// palette, quit and help hints kept at the end (help last, and kept whatever is cut, since it
/// leads to all the others; it reads "more" when hints were cut, so none is lost silently).
fn hint_line(hints: &[Binding], width: usize, ctx: DrawCtx<'_>) -> Line<'static> {
    const PINNED: [Action; 3] = [Action::Palette, Action::Quit, Action::Help];
    let item = |b: &Binding| -> Option<(String, String)> {
        b.keys.first().map(|k| (k.to_string(), b.label.clone()))
    };
    let cost = |(k, l): &(String, String)| k.chars().count() + l.chars().count() + 3;
    let mut pinned: Vec<(String, String)> = PINNED
        .iter()
        .filter_map(|a| hints.iter().find(|b| b.action == *a))
        .filter_map(item)
        .collect();
    let mut cut = false;
    while pinned.len() > 1 && 1 + pinned.iter().map(cost).sum::<usize>() > width {
        pinned.remove(0);
        cut = true;
    }
    let mut used = 1 + pinned.iter().map(cost).sum::<usize>();
    let mut chosen = Vec::new();
    for hint in hints
        .iter()
        .filter(|b| !PINNED.contains(&b.action))
        .filter_map(item)
    {
        used += cost(&hint);
        if used > width {
            cut = true;
            break;
        }
        chosen.push(hint);
    }
    if cut
        && hints
            .iter()
            .any(|b| b.action == Action::Help && !b.keys.is_empty())
        && let Some(help) = pinned.last_mut()
    {
        help.1 = t("hint-more");
    }
    chosen.extend(pinned);
    let mut spans = vec![Span::raw(" ")];
    for (key, label) in chosen {
        spans.push(Span::styled(key, ctx.theme.key));
        spans.push(Span::styled(format!(" {label}"), ctx.theme.hint));
        spans.push(Span::raw("  "));
    }
    Line::from(spans).style(Style::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(text: &str, error: bool) -> Notice {
        Notice {
            text: text.to_string(),
            error,
        }
    }

    #[test]
    fn a_short_notice_takes_one_line_whole() {
        let text = "5 changed, 0 failed: bulk change of 5 tickets";
        assert_eq!(notice_lines(&notice(text, false), 99), [text]);
    }

    #[test]
    fn a_long_notice_wraps_then_ends_in_an_ellipsis() {
        let text = "Domain not added: the host must be a domain name such as help.acme.test";
        let lines = notice_lines(&notice(text, true), 40);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines.concat().replace(' ', ""),
            format!("error: {text}").replace(' ', "")
        );
        let lines = notice_lines(&notice(&text.repeat(3), true), 40);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("error: Domain not added"));
        assert!(lines[1].ends_with('…') && lines[1].chars().count() <= 40);
    }
}
