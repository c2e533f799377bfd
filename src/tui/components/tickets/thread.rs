//! A ticket's fields and whole thread, as the preview beside the list and the full view show
//! them: loaded in the background through the client (from the cache when offline), replies
//! and internal notes told apart by a label, not by colour alone.

use crate::client::{Client, ClientEvent, TicketThread, View, ViewTicket};
use crate::domain::text::strip_control;
use crate::tui::Msg;
use crate::tui::components::DrawCtx;
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc::UnboundedSender;

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

    /// The ticket's fields and thread as lines (wrap them when drawing).
    pub fn lines(&self, view: &View, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
        let theme = ctx.theme;
        let mut lines = Vec::new();
        if let Some(t) = view.ticket(self.id) {
            lines = summary(t, theme);
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::styled("── description · ", theme.title),
                Span::styled(strip_control(t.requester()), theme.title),
                Span::styled(format!(" · {}", date_time(t.created_at())), theme.muted),
            ]));
            body(t.description(), false, theme, &mut lines);
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
                    body(&m.body, m.internal, theme, &mut lines);
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
            body(&input.body, input.internal, theme, &mut lines);
        }
        lines
    }
}

/// The ticket's title and fields, one a line.
pub fn summary(t: &ViewTicket, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let id = if t.id() < 0 {
        "new".to_string()
    } else {
        format!("#{}", t.id())
    };
    let mut title = vec![Span::styled(
        format!("{id} {}", strip_control(t.subject())),
        theme.title,
    )];
    if t.pending {
        title.push(Span::styled("  (pending)", theme.warning));
    }
    lines.push(Line::from(title));
    let mut field = |name: &str, value: String| {
        lines.push(Line::from(vec![
            Span::styled(format!("{name:<10}"), theme.muted),
            Span::raw(value),
        ]));
    };
    field("Stage", strip_control(t.status()).replace('_', " "));
    field("Priority", t.priority().as_str().into());
    field("Requester", strip_control(t.requester()));
    if t.is_staff_view() {
        field("Email", strip_control(t.requester_email().unwrap_or("")));
        field("Company", strip_control(t.company().unwrap_or("—")));
        field(
            "Owner",
            strip_control(t.owner_name().unwrap_or("unassigned")),
        );
        field("Inbox", strip_control(t.inbox_name().unwrap_or("")));
        field("Category", strip_control(t.category()));
        field(
            "Tags",
            strip_control(&t.tags().collect::<Vec<_>>().join(", ")),
        );
    }
    field("Opened", date_time(t.created_at()));
    field("Updated", date_time(t.updated_at()));
    lines
}

fn body(text: &str, internal: bool, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    let style = if internal { theme.warning } else { theme.base };
    let bar = if internal { "┃ " } else { "  " };
    for line in strip_control(text).lines() {
        lines.push(Line::from(vec![
            Span::styled(bar, style),
            Span::styled(line.to_string(), style),
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
