//! `C` (staff): the contacts copied on a ticket (its CCs), chosen among the other contacts of
//! the requester's company, the only ones the server accepts. Typing searches names and
//! addresses, `Space` copies or uncopies the contact under the cursor, `Enter` records the
//! whole list in the outbox (`PUT /tickets/{id}/ccs` with `If-Match`, so it shows at once,
//! survives going offline and meets a conflict like any ticket change), and `Esc` asks before
//! dropping what was changed.

use super::Tickets;
use super::layers::{Layer, Step};
use crate::client::{View, ViewTicket, Write};
use crate::domain::wire::CcsInput;
use crate::tui::action::{Action, Command};
use crate::tui::components::popups::confirm::{self, Answered, Ask, Question};
use crate::tui::components::widgets::status_bar::Notice;
use crate::tui::components::widgets::text::one_line;
use crate::tui::components::{Component, DrawCtx, Outcome, Request, centered};
use crate::tui::keymap::Context;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Padding, Paragraph};
use std::collections::BTreeSet;

/// Widest the popup gets, in cells.
const MAX_WIDTH: u16 = 72;
/// Rows moved by page up and page down.
const PAGE: usize = 10;

/// A contact who may be copied on the ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Colleague {
    id: i64,
    /// Name, safe to draw.
    name: String,
    /// Address, safe to draw.
    email: String,
}

/// The CC picker over one ticket.
#[derive(Debug)]
pub struct CcPicker {
    ticket: i64,
    base_version: i64,
    company: String,
    colleagues: Vec<Colleague>,
    /// The CCs when the picker opened, and as chosen now.
    before: BTreeSet<i64>,
    chosen: BTreeSet<i64>,
    search: String,
    /// Position in the colleagues the search shows.
    cursor: usize,
    discard: Ask<()>,
    step: Option<Step>,
}

impl CcPicker {
    /// The picker over ticket `t`, whose requester belongs to company `company_id`, with its
    /// current CCs chosen; the colleagues come from the contacts `view` holds (staff).
    fn new(view: &View, t: &ViewTicket, company_id: i64) -> Self {
        let requester = t.contact_id();
        let mut colleagues: Vec<Colleague> = view
            .contacts
            .values()
            .filter(|c| c.company_id == Some(company_id) && Some(c.id) != requester)
            .map(|c| Colleague {
                id: c.id,
                name: one_line(&c.name),
                email: one_line(&c.email),
            })
            .collect();
        colleagues.sort_by_cached_key(|c| c.name.to_lowercase());
        let chosen: BTreeSet<i64> = t.ccs().into_iter().collect();
        CcPicker {
            ticket: t.id(),
            base_version: t.version(),
            company: one_line(t.company().unwrap_or_default()),
            colleagues,
            before: chosen.clone(),
            chosen,
            search: String::new(),
            cursor: 0,
            discard: Ask::default(),
            step: None,
        }
    }

    /// The colleagues the search matches (name or address, any case), in order.
    fn shown(&self) -> Vec<&Colleague> {
        let needle = self.search.to_lowercase();
        self.colleagues
            .iter()
            .filter(|c| {
                c.name.to_lowercase().contains(&needle) || c.email.to_lowercase().contains(&needle)
            })
            .collect()
    }

    /// Copies or uncopies the contact under the cursor.
    fn toggle(&mut self) {
        let Some(id) = self.shown().get(self.cursor).map(|c| c.id) else {
            return;
        };
        if !self.chosen.remove(&id) {
            self.chosen.insert(id);
        }
    }

    fn edited(&self) -> bool {
        self.chosen != self.before
    }

    /// Moves the cursor by `action`; false for any other action.
    fn moved(&mut self, action: Action) -> bool {
        let last = self.shown().len().saturating_sub(1);
        self.cursor = match action {
            Action::Down => self.cursor.saturating_add(1),
            Action::Up => self.cursor.saturating_sub(1),
            Action::PageDown => self.cursor.saturating_add(PAGE),
            Action::PageUp => self.cursor.saturating_sub(PAGE),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return false,
        }
        .min(last);
        true
    }

    /// The write that records the chosen CCs.
    fn write(&self) -> Write {
        Write::SetCcs {
            id: self.ticket,
            base_version: self.base_version,
            ccs: CcsInput {
                contact_ids: self.chosen.iter().copied().collect(),
            },
        }
    }

    /// The popup's text: the search line, then one row per colleague shown.
    fn lines(&self, ctx: DrawCtx<'_>) -> (Vec<Line<'static>>, usize) {
        let theme = ctx.theme;
        let search = if self.search.is_empty() {
            Line::from(vec![
                Span::styled("Search: ", theme.muted),
                Span::styled("type a name or address", theme.muted),
            ])
        } else {
            Line::from(vec![
                Span::styled("Search: ", theme.muted),
                Span::styled(format!("{}▏", self.search), theme.input),
            ])
        };
        let mut lines = vec![search, Line::raw("")];
        let shown = self.shown();
        if self.colleagues.is_empty() {
            lines.push(Line::styled(
                format!("{} has no other contact to copy.", self.company),
                theme.muted,
            ));
        } else if shown.is_empty() {
            lines.push(Line::styled(
                format!(
                    "No contact of {} matches \"{}\".",
                    self.company, self.search
                ),
                theme.muted,
            ));
        }
        let first_row = lines.len();
        for (n, c) in shown.iter().enumerate() {
            let mark = if self.chosen.contains(&c.id) {
                "[x]"
            } else {
                "[ ]"
            };
            let pointer = if n == self.cursor { "▶" } else { " " };
            let line = Line::from(vec![
                Span::raw(format!("{pointer} {mark} {}", c.name)),
                Span::styled(format!("  <{}>", c.email), theme.muted),
            ]);
            lines.push(if n == self.cursor {
                line.style(theme.selected)
            } else {
                line
            });
        }
        (lines, first_row)
    }
}

impl Layer for CcPicker {
    fn take_step(&mut self) -> Option<Step> {
        self.step.take()
    }
}

impl Component for CcPicker {
    /// The question's keys while it asks; else `Enter`, `Esc` and the moves (every
    /// character is search text, `Space` copies).
    fn contexts(&self) -> &'static [Context] {
        if self.discard.asking() {
            confirm::CONTEXTS
        } else {
            &[Context::Tickets, Context::List]
        }
    }

    fn commands(&self) -> Vec<Command> {
        if self.discard.asking() {
            return self.discard.commands();
        }
        vec![
            Command::labelled(Action::Mark, "copy/uncopy"),
            Command::labelled(Action::Confirm, "save CCs"),
            Command::labelled(Action::Close, "cancel"),
            Command::new(Action::Down),
            Command::new(Action::Up),
        ]
    }

    fn handle(&mut self, action: Action) -> Outcome {
        if self.discard.asking() {
            if let Answered::Yes(()) = self.discard.answer(action) {
                self.step = Some(Step::Close);
            }
            return Outcome::Changed;
        }
        match action {
            Action::Mark => self.toggle(),
            Action::Confirm if self.edited() => {
                self.step = Some(Step::Submit(Box::new(self.write())));
            }
            Action::Confirm => self.step = Some(Step::Close),
            Action::Close if self.edited() => self.discard.ask(
                Question::new(
                    format!("CCs of #{}", self.ticket),
                    "Drop the changes to the CCs?",
                ),
                (),
            ),
            Action::Close => self.step = Some(Step::Close),
            other => {
                self.moved(other);
            }
        }
        Outcome::Changed
    }

    fn asking(&self) -> bool {
        self.discard.asking()
    }

    fn captures_text(&self) -> bool {
        !self.discard.asking()
    }

    /// A typed key: `Space` copies or uncopies, `Backspace` and `Ctrl-U` shorten the search,
    /// any other character extends it.
    fn input(&mut self, key: &KeyEvent) -> Outcome {
        if self.discard.asking() {
            return Outcome::Changed;
        }
        match key.code {
            KeyCode::Char(' ') => self.toggle(),
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.search.clear();
                self.cursor = 0;
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.search.push(c);
                self.cursor = 0;
            }
            KeyCode::Backspace => {
                self.search.pop();
                self.cursor = 0;
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Changed
    }

    /// Pasted text joins the search (on one line).
    fn paste(&mut self, text: &str) -> Outcome {
        if !self.discard.asking() {
            self.search.push_str(&one_line(text));
            self.cursor = 0;
        }
        Outcome::Changed
    }

    /// Draws the popup in the middle of `area`, scrolled to keep the cursor in sight.
    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let title = format!(" CCs of #{} · {} ", self.ticket, self.company);
        let (lines, first_row) = self.lines(ctx);
        let widest = lines
            .iter()
            .map(Line::width)
            .chain([title.chars().count()])
            .max()
            .unwrap_or(0);
        let width = u16::try_from(widest + 4)
            .unwrap_or(u16::MAX)
            .clamp(40, MAX_WIDTH)
            .min(area.width.saturating_sub(2));
        let height = u16::try_from(lines.len() + 2)
            .unwrap_or(u16::MAX)
            .min(area.height.saturating_sub(2));
        let popup = centered(area, width, height);
        let rows = usize::from(popup.height.saturating_sub(2)).max(first_row + 1);
        let list_rows = rows - first_row;
        let skip = self.cursor.saturating_sub(list_rows - 1);
        let mut visible: Vec<Line<'static>> = lines.iter().take(first_row).cloned().collect();
        visible.extend(lines.into_iter().skip(first_row + skip).take(list_rows));
        let count = format!(" {} copied ", self.chosen.len());
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(ctx.theme.border_focused)
            .padding(Padding::horizontal(1))
            .title(Line::styled(title, ctx.theme.title))
            .title_bottom(Line::styled(" Space copies or uncopies ", ctx.theme.muted))
            .title_bottom(Line::styled(count, ctx.theme.muted).right_aligned())
            .style(ctx.theme.popup);
        frame.render_widget(Clear, popup);
        frame.render_widget(Paragraph::new(visible).block(block), popup);
        self.discard.draw(frame, area, ctx);
    }
}

impl Tickets {
    /// `C`: opens the CC picker on the target ticket (staff); says why not when its requester
    /// belongs to no company (only colleagues can be copied).
    pub(super) fn edit_ccs(&mut self) -> Outcome {
        let Some(t) = self.target().filter(|_| self.staff) else {
            return Outcome::Ignored;
        };
        let Some(company_id) = t.company_id() else {
            return Outcome::Request(Request::Notice(Notice {
                text: format!(
                    "#{} has no CCs: its requester belongs to no company, and only colleagues can be copied",
                    t.id()
                ),
                error: true,
            }));
        };
        let picker = CcPicker::new(&self.client.view(), &t, company_id);
        self.open_layer(picker);
        Outcome::Changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picker() -> CcPicker {
        let colleague = |id, name: &str| Colleague {
            id,
            name: name.into(),
            email: format!("{}@acme.test", name.to_lowercase()),
        };
        CcPicker {
            ticket: 42,
            base_version: 3,
            company: "Acme".into(),
            colleagues: vec![
                colleague(7, "Dan"),
                colleague(9, "Erin"),
                colleague(11, "Gus"),
            ],
            before: BTreeSet::from([9]),
            chosen: BTreeSet::from([9]),
            search: String::new(),
            cursor: 0,
            discard: Ask::default(),
            step: None,
        }
    }

    fn typed(p: &mut CcPicker, text: &str) {
        for c in text.chars() {
            p.input(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    #[test]
    fn search_space_and_enter_record_the_whole_list_with_the_version_seen() {
        let mut p = picker();
        typed(&mut p, "GU");
        assert_eq!(p.shown().len(), 1, "the search ignores case");
        typed(&mut p, " ");
        p.input(&KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        p.input(&KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        p.handle(Action::Down);
        p.handle(Action::Mark);
        p.handle(Action::Confirm);
        match p.take_step() {
            Some(Step::Submit(write)) => match *write {
                Write::SetCcs {
                    id: 42,
                    base_version: 3,
                    ccs,
                } => assert_eq!(ccs.contact_ids, vec![11], "Erin off, Gus on"),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn escape_asks_before_dropping_edits_and_closes_at_once_without() {
        let mut p = picker();
        p.handle(Action::Close);
        assert!(matches!(p.take_step(), Some(Step::Close)));
        let mut p = picker();
        typed(&mut p, " ");
        p.handle(Action::Close);
        assert!(p.asking() && p.take_step().is_none());
        p.handle(Action::Close);
        assert!(!p.asking() && p.take_step().is_none(), "no keeps the edits");
        assert_eq!(p.chosen, BTreeSet::from([7, 9]));
        p.handle(Action::Close);
        p.handle(Action::Confirm);
        assert!(matches!(p.take_step(), Some(Step::Close)));
    }

    #[test]
    fn enter_without_changes_sends_nothing() {
        let mut p = picker();
        typed(&mut p, "  ");
        p.handle(Action::Confirm);
        assert!(matches!(p.take_step(), Some(Step::Close)));
    }
}
