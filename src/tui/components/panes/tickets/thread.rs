//! A ticket's fields and whole thread, as the preview beside the list and the full view show
//! them: loaded in the background through the client (from the cache when offline), replies
//! and internal notes told apart by a label, not by colour alone.

use crate::client::{Client, TicketThread, View};
use crate::domain::Source;
use crate::domain::i18n::Arg;
use crate::domain::text::strip_control;
use crate::domain::wire::{Channel, MessageOut, TicketOut};
use crate::tui::components::DrawCtx;
use crate::tui::components::widgets::text::wrap;
use crate::tui::i18n;
use crate::tui::msg::{Answer, Done, TaskId, Tasks};
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};

mod fields;
pub use fields::{summary, support_form};

/// What is known of the thread being shown.
#[derive(Debug, Clone)]
enum Loaded {
    /// Asked for; not here yet.
    Waiting,
    /// The thread.
    Thread(Box<TicketThread>),
    /// Why it could not be read.
    Failed(String),
}

/// The thread of one ticket, loading in the background.
#[derive(Debug, Clone)]
pub struct Thread {
    id: i64,
    loaded: Loaded,
    /// The load on its way, until its answer arrives.
    task: Option<TaskId>,
    /// The ticket's server version when the last load began, to tell when the thread shown
    /// is behind the ticket (someone else replied).
    version: Option<i64>,
}

impl Thread {
    /// Starts loading ticket `id`'s thread through `tasks`; the answer comes back as a
    /// message for [`Thread::receive`].
    pub fn load(client: &Client, id: i64, tasks: &Tasks) -> Thread {
        let task = (id > 0).then(|| {
            let client = client.clone();
            tasks.spawn(async move {
                let loaded = client.ticket_detail(id).await;
                Answer::Thread(loaded.map(Box::new).map_err(|e| e.to_string()))
            })
        });
        Thread {
            id,
            loaded: Loaded::Waiting,
            task,
            version: client.view().ticket(id).map(|t| t.version()),
        }
    }

    /// Loads the thread again when the ticket changed on the server since the last load
    /// began; the thread shown stays until the new one arrives. Whether a load started.
    pub fn refresh(&mut self, client: &Client, tasks: &Tasks) -> bool {
        let now = client.view().ticket(self.id).map(|t| t.version());
        if self.task.is_some() || now == self.version {
            return false;
        }
        let fresh = Thread::load(client, self.id, tasks);
        self.task = fresh.task;
        self.version = fresh.version;
        self.task.is_some()
    }

    /// Takes the answer of this thread's load; any other message is given back.
    pub fn receive(&mut self, done: Done) -> Option<Done> {
        match done.answer_to(self.task) {
            Ok(Answer::Thread(loaded)) => {
                self.task = None;
                self.loaded = match loaded {
                    Ok(thread) => Loaded::Thread(thread),
                    Err(e) => Loaded::Failed(e),
                };
                None
            }
            Ok(other) => {
                tracing::warn!("a thread load answered {other:?}");
                None
            }
            Err(done) => Some(done),
        }
    }

    /// The ticket whose thread this is.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// Whether the thread is still on its way.
    pub fn is_loading(&self) -> bool {
        matches!(self.loaded, Loaded::Waiting)
    }

    /// The ticket's fields and thread as lines for a column `width` cells wide: messages come
    /// wrapped and indented; wrap the rest (headers, long fields) when drawing.
    pub fn lines(&self, view: &View, width: u16, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
        let theme = ctx.theme;
        let mut lines = Vec::new();
        let loaded = match &self.loaded {
            Loaded::Thread(thread) => Some(thread),
            Loaded::Waiting | Loaded::Failed(_) => None,
        };
        if let Some(t) = view.ticket(self.id) {
            lines = summary(t, support_form(view), theme);
            lines.push(Line::raw(""));
            let mail_cc = match loaded.map(|l| &l.detail.ticket) {
                Some(TicketOut::Staff(row)) => row.mail_cc.as_slice(),
                _ => &[],
            };
            lines.extend(copied(&t.ccs(), mail_cc, view, theme));
            let channel = match (t.source(), t.requester_email()) {
                (Some(Source::Email), Some(address)) => {
                    format!(" · email from {}", strip_control(address))
                }
                _ => String::new(),
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("── {} · ", i18n::t("thread-description")),
                    theme.title,
                ),
                Span::styled(strip_control(t.requester()), theme.title),
                Span::styled(
                    format!(" · {}{channel}", date_time(t.created_at())),
                    theme.muted,
                ),
            ]));
            body(t.description(), false, width, theme, &mut lines);
        }
        match &self.loaded {
            Loaded::Waiting if self.id < 0 => {}
            Loaded::Waiting => lines.push(Line::styled(i18n::t("thread-loading"), theme.muted)),
            Loaded::Failed(e) => lines.push(Line::styled(
                i18n::tf("thread-failed", &[("why", Arg::Text(&strip_control(e)))]),
                theme.error,
            )),
            Loaded::Thread(thread) => {
                if thread.from_cache {
                    lines.push(Line::styled(i18n::t("thread-from-cache"), theme.muted));
                }
                for m in &thread.detail.messages {
                    lines.extend(message_header(m, theme));
                    body(&m.body, m.internal, width, theme, &mut lines);
                }
            }
        }
        for (_, input) in view.pending_messages(self.id) {
            let kind = i18n::t(if input.internal {
                "thread-note"
            } else {
                "thread-reply"
            });
            lines.push(Line::styled(
                format!(
                    "── {kind} · {} · {}",
                    i18n::t("thread-you"),
                    i18n::t("thread-pending")
                ),
                theme.warning,
            ));
            body(&input.body, input.internal, width, theme, &mut lines);
        }
        lines
    }
}

/// Who the ticket is copied on (staff), drawn above the description: its CCs by name (as
/// the view has them, so a change made here or synced from elsewhere shows at once), and the
/// `Cc` of the mail that opened it, those not copied included.
fn copied(ccs: &[i64], mail_cc: &[String], view: &View, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if !ccs.is_empty() {
        let names: Vec<String> = view
            .contact_names(ccs)
            .iter()
            .map(|n| strip_control(n))
            .collect();
        lines.push(Line::styled(
            format!("CCs: {}", names.join(", ")),
            theme.title,
        ));
    }
    if !mail_cc.is_empty() {
        let cc: Vec<String> = mail_cc.iter().map(|a| strip_control(a)).collect();
        lines.push(Line::styled(
            format!("The opening mail's cc: {}", cc.join(", ")),
            theme.muted,
        ));
    }
    if !lines.is_empty() {
        lines.push(Line::raw(""));
    }
    lines
}

/// A message's header: what it is, who wrote it and when, how it came (portal or email, with
/// the sender's address and the mail's Cc when staff get them), and for staff each mail
/// carrying it that failed, with the mail server's answer.
fn message_header(m: &MessageOut, theme: &Theme) -> Vec<Line<'static>> {
    let kind = i18n::t(if m.internal {
        "thread-note"
    } else {
        "thread-reply"
    });
    let style = if m.internal {
        theme.warning
    } else {
        theme.title
    };
    let channel = match (&m.channel, &m.sender_address) {
        (Channel::Email, Some(address)) => format!(
            " · {}",
            i18n::tf(
                "thread-email-from",
                &[("address", Arg::Text(&strip_control(address)))]
            )
        ),
        (Channel::Email, None) => format!(" · {}", i18n::t("thread-email")),
        (Channel::Portal, _) => format!(" · {}", i18n::t("thread-portal")),
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("── {kind} · "), style),
        Span::styled(strip_control(&m.author.name), style),
        Span::styled(
            format!(" · {}{channel}", date_time(&m.created_at)),
            theme.muted,
        ),
    ])];
    if !m.cc.is_empty() {
        let cc: Vec<String> = m.cc.iter().map(|a| strip_control(a)).collect();
        lines.push(Line::styled(
            format!("   cc: {}", cc.join(", ")),
            theme.muted,
        ));
    }
    for failure in &m.mail_failures {
        lines.push(Line::styled(
            format!(
                "   ⚠ mail to {} failed: {}",
                strip_control(&failure.recipient),
                strip_control(&failure.error)
            ),
            theme.error,
        ));
    }
    lines
}

/// A message's text wrapped at words inside an indented column of `width` cells: every line,
/// the wrapped ones too, starts with the indent (a bar for internal notes), and none is wider
/// than `width`.
fn body(text: &str, internal: bool, width: u16, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    let style = if internal { theme.warning } else { theme.base };
    let bar = if internal { "┃ " } else { "  " };
    let room = usize::from(width).saturating_sub(bar.chars().count());
    for line in wrap(&strip_control(text), room) {
        lines.push(Line::from(vec![
            Span::styled(bar, style),
            Span::styled(line, style),
        ]));
    }
    lines.push(Line::raw(""));
}

/// `2026-11-27 13:05` (in English; the current language's way otherwise) from an RFC 3339
/// timestamp, at its own offset.
fn date_time(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(at) => at.format(&i18n::t("format-date-time")).to_string(),
        Err(_) => rfc3339
            .chars()
            .take(16)
            .collect::<String>()
            .replace('T', " "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::theme::ThemeChoice;

    fn message(channel: Channel, sender: Option<&str>) -> MessageOut {
        serde_json::from_value(serde_json::json!({
            "id": 3, "body": "Same here", "internal": false,
            "author": {"kind": "contact", "name": "Dan Ito"},
            "created_at": "2026-12-07T16:50:00.000Z", "channel": channel,
            "sender_address": sender, "cc": ["gina@globex.test", "x\u{1b}[2J@y.test"],
            "mail_failures": [{"recipient": "priya@acme.test", "error": "bounced: no such user"}]
        }))
        .unwrap()
    }

    #[test]
    fn a_message_header_names_its_channel_sender_cc_and_failed_mail() {
        let theme = Theme::shipped(ThemeChoice::Default, false).unwrap();
        let rows: Vec<String> =
            message_header(&message(Channel::Email, Some("dan@acme.test")), &theme)
                .iter()
                .map(ToString::to_string)
                .collect();
        assert_eq!(
            rows,
            vec![
                "── reply · Dan Ito · 2026-12-07 16:50 · email from dan@acme.test",
                "   cc: gina@globex.test, x@y.test",
                "   ⚠ mail to priya@acme.test failed: bounced: no such user",
            ]
        );
        let mut portal = message(Channel::Portal, None);
        portal.cc.clear();
        portal.mail_failures.clear();
        let rows: Vec<String> = message_header(&portal, &theme)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(rows, vec!["── reply · Dan Ito · 2026-12-07 16:50 · portal"]);
    }

    #[test]
    fn wrapped_messages_keep_their_indent_on_every_line() {
        let theme = Theme::shipped(ThemeChoice::Default, false).unwrap();
        let text = "Thanks for the details. Does this happen for everyone on your team or \
                    only for you?\n\nA second paragraph, also long enough to wrap twice at \
                    this narrow width of thirty cells.";
        for internal in [false, true] {
            let mut lines = Vec::new();
            body(text, internal, 30, &theme, &mut lines);
            let rows: Vec<String> = lines.iter().map(ToString::to_string).collect();
            let bar = if internal { "┃ " } else { "  " };
            let (last, rows) = rows.split_last().unwrap();
            assert_eq!(last, "", "a blank line after the message");
            assert!(rows.len() >= 6, "wrapped: {rows:#?}");
            for row in rows {
                assert!(row.starts_with(bar), "indented: {rows:#?}");
                assert!(row.chars().count() <= 30, "within the width: {rows:#?}");
            }
            assert!(
                rows.contains(&bar.to_string()),
                "the blank line kept: {rows:#?}"
            );
        }
    }
}
