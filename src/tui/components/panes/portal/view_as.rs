//! "View as contact": from a contact in the Access section, the ticket list exactly as that
//! contact gets it: every page the server lists for them (an admin-only API option that
//! follows the same visibility rule), in the portal's customer columns, stage labels and
//! default sort.

use super::Portal;
use super::customer_list::{self, CustomerRow};
use crate::client::{Client, View};
use crate::domain::portal::TicketView;
use crate::domain::text::strip_control;
use crate::domain::wire::{CustomerTicket, TicketOut};
use crate::tui::components::widgets::list::wire_name;
use crate::tui::components::{DrawCtx, Outcome, centered, read_only_for_agents};
use crate::tui::msg::{Answer, Done, TaskId, Tasks};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

/// Tickets asked for per page (the server's default page size).
const PAGE: usize = 50;

/// A contact's whole list, sorted, with the ticket view it was laid out by.
#[derive(Debug, Clone)]
struct Listing {
    view: TicketView,
    rows: Vec<CustomerRow>,
}

/// The open popup: whose list it shows and the server's answer once it came.
#[derive(Debug, Clone)]
pub struct ViewAs {
    name: String,
    /// The list on its way, until it arrives.
    task: Option<TaskId>,
    /// The contact's list, or why not; `None` while the server has not answered.
    answer: Option<Result<Listing, String>>,
    /// Rows scrolled past.
    offset: usize,
}

/// Every ticket listed for contact `id`, following the pages' cursors.
async fn fetch(client: &Client, id: i64) -> Result<Vec<CustomerTicket>, String> {
    let mut rows = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = client
            .api()
            .tickets_as_contact(id, PAGE, cursor.as_deref())
            .await
            .map_err(|e| e.to_string())?;
        rows.extend(page.items.into_iter().filter_map(|t| match t {
            TicketOut::Customer(c) => Some(c),
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
    /// Asks the server, through `tasks`, for the list of contact `id` (`name`); the answer
    /// comes back as a message for [`ViewAs::receive`].
    fn start(client: &Client, tasks: &Tasks, id: i64, name: String) -> Self {
        let client = client.clone();
        let task = tasks.spawn(async move { Answer::ContactTickets(fetch(&client, id).await) });
        ViewAs {
            name,
            task: Some(task),
            answer: None,
            offset: 0,
        }
    }

    /// Takes the contact's list, laid out by the portal's ticket view in `view`; any other
    /// message is given back.
    pub fn receive(&mut self, done: Done, view: &View) -> Option<Done> {
        let tickets = match done.answer_to(self.task) {
            Ok(Answer::ContactTickets(tickets)) => tickets,
            Ok(other) => Err(format!("unexpected answer {other:?}")),
            Err(done) => return Some(done),
        };
        self.task = None;
        self.answer = Some(tickets.map(|tickets| {
            let view = Portal::settings(view)
                .map(|s| s.ticket_view)
                .unwrap_or_default();
            let mut rows: Vec<CustomerRow> = tickets.iter().map(CustomerRow::from_ticket).collect();
            customer_list::sort(&mut rows, &view);
            Listing { view, rows }
        }));
        None
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
        let list = match self.answer.as_ref() {
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
            && self.form.focus >= fields;
        let contact = on_contact
            .then(|| {
                let view = self.client.view();
                view.contacts
                    .values()
                    .nth(self.form.focus - fields)
                    .map(|c| (c.id, strip_control(&c.name)))
            })
            .flatten();
        match contact {
            Some((id, name)) => {
                self.viewing = Some(ViewAs::start(&self.client, &self.tasks, id, name));
                Outcome::Changed
            }
            None => self.say(
                "Select a contact in the Access section to view the portal as them.",
                true,
            ),
        }
    }
}
