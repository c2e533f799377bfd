//! A ticket's fields and whole thread, as the preview beside the list and the full view show
//! them: loaded in the background through the client (from the cache when offline), replies
//! and internal notes told apart by a label, not by colour alone.

use crate::client::{Client, TicketThread, View};
use crate::domain::text::strip_control;
use crate::tui::components::DrawCtx;
use crate::tui::components::widgets::text::wrap;
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
        }
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
        if let Some(t) = view.ticket(self.id) {
            lines = summary(t, support_form(view), theme);
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::styled("── description · ", theme.title),
                Span::styled(strip_control(t.requester()), theme.title),
                Span::styled(format!(" · {}", date_time(t.created_at())), theme.muted),
            ]));
            body(t.description(), false, width, theme, &mut lines);
        }
        match &self.loaded {
            Loaded::Waiting if self.id < 0 => {}
            Loaded::Waiting => lines.push(Line::styled("Loading the thread…", theme.muted)),
            Loaded::Failed(e) => lines.push(Line::styled(
                format!("The thread could not be loaded: {}", strip_control(e)),
                theme.error,
            )),
            Loaded::Thread(thread) => {
                if thread.from_cache {
                    lines.push(Line::styled(
                        "(from the cache; may be incomplete)",
                        theme.muted,
                    ));
                }
                for m in &thread.detail.messages {
                    let kind = if m.internal { "internal note" } else { "reply" };
                    let style = if m.internal {
                        theme.warning
                    } else {
                        theme.title
                    };
                    lines.push(Line::from(vec![
                        Span::styled(format!("── {kind} · "), style),
                        Span::styled(strip_control(&m.author.name), style),
                        Span::styled(format!(" · {}", date_time(&m.created_at)), theme.muted),
                    ]));
                    body(&m.body, m.internal, width, theme, &mut lines);
                }
            }
        }
        for (_, input) in view.pending_messages(self.id) {
            let kind = if input.internal {
                "internal note"
            } else {
                "reply"
            };
            lines.push(Line::styled(
                format!("── {kind} · you · (pending)"),
                theme.warning,
            ));
            body(&input.body, input.internal, width, theme, &mut lines);
        }
        lines
    }
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

/// `2026-11-27 13:05` from an RFC 3339 timestamp.
fn date_time(rfc3339: &str) -> String {
    rfc3339
        .chars()
        .take(16)
        .collect::<String>()
        .replace('T', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::theme::ThemeChoice;

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
