//! "View as contact": from a contact in the Access section, the ticket list exactly as that
//! contact gets it: every page the server lists for them (an admin-only API option that
//! follows the same visibility rule), in the portal's customer columns, stage labels and
//! default sort.

use super::Portal;
use super::customer_list::{self, CustomerRow};
use crate::client::Client;
use crate::domain::portal::TicketView;
use crate::domain::text::strip_control;
use crate::domain::wire::TicketOut;
use crate::tui::components::list::wire_name;
use crate::tui::components::{DrawCtx, Outcome, centered, read_only_for_agents};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};
use std::sync::{Arc, Mutex, PoisonError};

/// Tickets asked for per page (the server's default page size).
const PAGE: usize = 50;

/// A contact's whole list, sorted, with the ticket view it was laid out by.
#[derive(Debug, Clone)]
struct Listing {
    view: TicketView,
    rows: Vec<CustomerRow>,
}

/// What the server answered: the contact's list, or why not.
type Answer = Option<Result<Listing, String>>;

/// The open popup: whose list it shows and the server's answer once it came.
#[derive(Debug, Clone)]
pub struct ViewAs {
    name: String,
    answer: Arc<Mutex<Answer>>,
    /// Rows scrolled past.
    offset: usize,
}

/// Every ticket listed for contact `id`, following the pages' cursors.
async fn fetch(client: &Client, id: i64) -> Result<Vec<CustomerRow>, String> {
    let mut rows = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = client
            .api()
            .tickets_as_contact(id, PAGE, cursor.as_deref())
            .await
            .map_err(|e| e.to_string())?;
        rows.extend(page.items.iter().filter_map(|t| match t {
            TicketOut::Customer(c) => Some(CustomerRow::from_ticket(c)),
            TicketOut::Staff(_) => None,
        }));
        match page.next_cursor {
            Some(next) if !next.is_empty() && cursor.as_ref() != Some(&next) => {
                cursor = Some(next);
            }
            _ => return Ok(rows),
        }
    }
}

impl ViewAs {
    /// Asks the server for the list of contact `id` (`name`); the app draws again once the
    /// answer lands.
    fn start(client: &Client, id: i64, name: String) -> Self {
        let answer: Arc<Mutex<Answer>> = Arc::default();
        let slot = answer.clone();
        let client = client.clone();
        tokio::spawn(async move {
            let result = fetch(&client, id).await.map(|mut rows| {
                let view = Portal::settings(&client.view())
                    .map(|s| s.ticket_view)
                    .unwrap_or_default();
                customer_list::sort(&mut rows, &view);
                Listing { view, rows }
            });
            *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
            client.request_sync();
        });
        ViewAs {
            name,
            answer,
            offset: 0,
        }
    }

    /// Scrolls the list by `delta` rows.
    pub fn scroll(&mut self, delta: i16) {
        self.offset = self.offset.saturating_add_signed(isize::from(delta));
    }

    /// The popup's title, its bottom line and its lines for `rows` rows of `room` cells.
    fn content(
        &mut self,
        rows: usize,
        room: usize,
        ctx: DrawCtx<'_>,
    ) -> (String, String, Vec<Line<'static>>) {
        let whose = format!("{}'s ticket list, as they see it", self.name);
        let keys = "↑↓ scroll · Esc closes".to_string();
        let answer = self.answer.lock().unwrap_or_else(PoisonError::into_inner);
        let list = match answer.as_ref() {
            None => {
                let wait = Line::styled("Asking the server…", ctx.theme.muted);
                return (whose, keys, vec![wait]);
            }
            Some(Err(e)) => {
                let why = Line::styled(
                    format!("Cannot show the list: {}", strip_control(e)),
                    ctx.theme.error,
                );
                return (whose, keys, vec![why]);
            }
            Some(Ok(list)) => list,
        };
        let n = list.rows.len();
        let title = format!("{whose} · {n} ticket{}", if n == 1 { "" } else { "s" });
        if n == 0 {
            let empty = Line::styled(
                "No tickets: this contact sees an empty list.",
                ctx.theme.muted,
            );
            return (title, keys, vec![empty]);
        }
        let sort = &list.view.default_sort;
        let bottom = format!(
            "sorted by {}, {} · {keys}",
            wire_name(&sort.column),
            if sort.descending {
                "descending"
            } else {
                "ascending"
            }
        );
        let shown = rows.saturating_sub(1).max(1);
        self.offset = self.offset.min(n.saturating_sub(shown));
        let end = (self.offset + shown).min(n);
        let mut lines = vec![customer_list::header(&list.view, room, ctx)];
        lines.extend(customer_list::lines(
            &list.rows[self.offset..end],
            &list.view,
            room,
        ));
        (title, bottom, lines)
    }

    /// Draws the popup over `area`.
    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let popup = centered(
            area,
            area.width.saturating_sub(6).min(100),
            area.height.saturating_sub(4),
        );
        let (title, bottom, lines) = self.content(
            usize::from(popup.height.saturating_sub(2)),
            usize::from(popup.width.saturating_sub(2)),
            ctx,
        );
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(ctx.theme.border_focused)
            .title(Line::styled(format!(" {title} "), ctx.theme.title))
            .title_bottom(Line::styled(format!(" {bottom} "), ctx.theme.muted));
        frame.render_widget(Clear, popup);
        frame.render_widget(Paragraph::new(lines).block(block), popup);
    }
}

impl Portal {
    /// Opens "view as contact" on the selected contact of the Access section.
    pub(super) fn view_as(&mut self) -> Outcome {
        if self.read_only {
            let text = read_only_for_agents("only admins view the portal as a contact");
            return self.say(text, true);
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
