//! A ticket's fields and whole thread, as the preview beside the list and the full view show
//! them: loaded in the background through the client (from the cache when offline), replies
//! and internal notes told apart by a label, not by colour alone.

use crate::client::{Client, ClientEvent, TicketThread, View};
use crate::domain::text::strip_control;
use crate::tui::Msg;
use crate::tui::components::DrawCtx;
use crate::tui::components::consent::wrap;
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc::UnboundedSender;

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
    loaded: Arc<Mutex<Loaded>>,
}

impl Thread {
    /// Starts loading ticket `id`'s thread; `tx` hears when it arrives, so the app redraws.
    pub fn load(client: &Client, id: i64, tx: Option<UnboundedSender<Msg>>) -> Thread {
        let loaded = Arc::new(Mutex::new(Loaded::Waiting));
        if id > 0 && tokio::runtime::Handle::try_current().is_ok() {
            let slot = loaded.clone();
            let client = client.clone();
            tokio::spawn(async move {
                let result = match client.ticket_detail(id).await {
                    Ok(thread) => Loaded::Thread(Box::new(thread)),
                    Err(e) => Loaded::Failed(e.to_string()),
                };
                *slot.lock().unwrap_or_else(PoisonError::into_inner) = result;
                let revision = client.view().revision();
                if let Some(tx) = tx {
                    let _ = tx.send(Msg::Client(ClientEvent::ViewChanged { revision }));
                }
            });
        }
        Thread { id, loaded }
    }

    /// The ticket whose thread this is.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// Whether the thread is still on its way.
    pub fn is_loading(&self) -> bool {
        matches!(
            *self.loaded.lock().unwrap_or_else(PoisonError::into_inner),
            Loaded::Waiting
        )
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
        let loaded = self
            .loaded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        match loaded {
            Loaded::Waiting if self.id < 0 => {}
            Loaded::Waiting => lines.push(Line::styled("Loading the thread…", theme.muted)),
            Loaded::Failed(e) => lines.push(Line::styled(
                format!("The thread could not be loaded: {}", strip_control(&e)),
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
