//! "View as contact": from a contact in the Access section, the ticket list exactly as that
//! contact gets it, asked of the server (an admin-only API option), so it follows the same
//! visibility rule and ticket view customers get.

use super::Portal;
use crate::client::Client;
use crate::domain::text::strip_control;
use crate::domain::wire::{CustomerTicket, TicketOut};
use crate::tui::components::{DrawCtx, Outcome, centered};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};
use std::sync::{Arc, Mutex, PoisonError};

/// The most tickets the popup asks for.
const LIMIT: usize = 200;

/// What the server answered: the contact's tickets, or why not.
type Answer = Option<Result<Vec<CustomerTicket>, String>>;

/// The open popup: whose list it shows and the server's answer once it came.
#[derive(Debug, Clone)]
pub struct ViewAs {
    name: String,
    answer: Arc<Mutex<Answer>>,
    /// Lines scrolled past.
    offset: u16,
}

impl ViewAs {
    /// Asks the server for the list of contact `id` (`name`); the app draws again once the
    /// answer lands.
    fn start(client: &Client, id: i64, name: String) -> Self {
        let answer: Arc<Mutex<Answer>> = Arc::default();
        let slot = answer.clone();
        let client = client.clone();
        tokio::spawn(async move {
            let result = match client.api().tickets_as_contact(id, LIMIT).await {
                Ok(page) => Ok(page
                    .items
                    .into_iter()
                    .filter_map(|t| match t {
                        TicketOut::Customer(c) => Some(c),
                        TicketOut::Staff(_) => None,
                    })
                    .collect()),
                Err(e) => Err(e.to_string()),
            };
            *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
            client.request_sync();
        });
        ViewAs {
            name,
            answer,
            offset: 0,
        }
    }

    /// Scrolls the list by `delta` lines.
    pub fn scroll(&mut self, delta: i16) {
        self.offset = self.offset.saturating_add_signed(delta);
    }

    fn lines(&self, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
        let answer = self.answer.lock().unwrap_or_else(PoisonError::into_inner);
        let tickets = match answer.as_ref() {
            None => return vec![Line::styled("Asking the server…", ctx.theme.muted)],
            Some(Err(e)) => {
                return vec![Line::styled(
                    format!("Cannot show the list: {}", strip_control(e)),
                    ctx.theme.error,
                )];
            }
            Some(Ok(tickets)) => tickets,
        };
        if tickets.is_empty() {
            return vec![Line::styled(
                "No tickets: this contact sees an empty list.",
                ctx.theme.muted,
            )];
        }
        let mut out = vec![Line::styled(
            format!(
                "{} ticket{} listed, newest first:",
                tickets.len(),
                if tickets.len() == 1 { "" } else { "s" }
            ),
            ctx.theme.muted,
        )];
        for t in tickets {
            let whose = if t.own {
                "own".to_string()
            } else {
                format!("by {}", strip_control(&t.requester_name))
            };
            let whose: String = whose.chars().take(16).collect();
            out.push(Line::raw(format!(
                "#{:<6} {:<20} {whose:<16} {}",
                t.id,
                strip_control(&t.status_label),
                strip_control(&t.subject)
            )));
        }
        out
    }

    /// Draws the popup over `area`.
    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let popup = centered(
            area,
            area.width.saturating_sub(6).min(100),
            area.height.saturating_sub(4),
        );
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(ctx.theme.border_focused)
            .title(Line::styled(
                format!(" {}'s ticket list, as they see it ", self.name),
                ctx.theme.title,
            ))
            .title_bottom(Line::styled(" ↑↓ scroll · Esc closes ", ctx.theme.muted));
        let lines = self.lines(ctx);
        let last = u16::try_from(lines.len().saturating_sub(1)).unwrap_or(u16::MAX);
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .scroll((self.offset.min(last), 0)),
            popup,
        );
    }
}

impl Portal {
    /// Opens "view as contact" on the selected contact of the Access section.
    pub(super) fn view_as(&mut self) -> Outcome {
        if self.read_only {
            return self.say("Only admins can view the portal as a contact.", true);
        }
        let fields = self.form.fields.len();
        let on_contact = self.draft.is_none()
            && self.current() == super::Section::Access
            && self.form.selected >= fields;
        let contact = on_contact
            .then(|| {
                let view = self.client.view();
                view.contacts
                    .values()
                    .nth(self.form.selected - fields)
                    .map(|c| (c.id, strip_control(&c.name)))
            })
            .flatten();
        match contact {
            Some((id, name)) => {
                self.viewing = Some(ViewAs::start(&self.client, id, name));
                Outcome::Changed
            }
            None => self.say(
                "Select a contact in the Access section to view the portal as them.",
                true,
            ),
        }
    }
}
