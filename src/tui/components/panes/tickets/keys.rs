//! What the keys do on the list and in the full view: the commands offered (they feed the
//! hint bar and `?` help), the changes to the selected, open or marked tickets, marking,
//! and typing the filter.

use super::Tickets;
use super::picker::Field;
use super::prompt;
use super::replies::RepliesManager;
use crate::client::ViewTicket;
use crate::domain::Role;
use crate::tui::action::{Action, Command};
use crate::tui::components::Outcome;
use crate::tui::components::widgets::list::ListCursor;
use crossterm::event::{KeyCode, KeyEvent};

impl Tickets {
    /// The commands of the list or the full view (no popup, composer or form open).
    pub(super) fn pane_commands(&self) -> Vec<Command> {
        let mut list = Vec::new();
        if self.filtering {
            list.push(Command::worded(Action::Confirm, "tickets-cmd-keep-filter"));
            list.push(Command::worded(Action::Close, "tickets-cmd-clear-filter"));
            return list;
        }
        let marked = self.open.is_none() && !self.marks.is_empty();
        if self.open.is_some() {
            list.push(Command::worded(Action::Close, "tickets-cmd-back"));
            list.push(Command::worded(Action::Down, "help-scroll-down"));
            list.push(Command::worded(Action::Up, "help-scroll-up"));
        } else {
            list.push(Command::worded(Action::Confirm, "tickets-cmd-open"));
            if marked {
                list.push(Command::labelled(Action::Close, "clear marks"));
            }
            list.push(Command::new(Action::Filter));
            if self.staff {
                list.push(Command::new(Action::NextQueue));
                list.push(Command::new(Action::PrevQueue));
            }
            list.push(Command::new(Action::SortNext));
            list.push(Command::new(Action::SortReverse));
            list.push(Command::new(Action::TogglePreview));
            list.extend(ListCursor::commands());
            if self.staff {
                list.push(Command::labelled(Action::Mark, "mark/unmark"));
                list.push(Command::new(Action::MarkRange));
                list.push(Command::new(Action::MarkAll));
            }
        }
        if self.staff && marked {
            list.push(Command::labelled(Action::AssignMe, "assign marked to me"));
            list.push(Command::labelled(Action::Assign, "assign marked"));
            list.push(Command::labelled(Action::SetStage, "stage of marked"));
            list.push(Command::labelled(Action::SetPriority, "priority of marked"));
        } else if self.staff {
            list.push(Command::new(Action::AssignMe));
            list.push(Command::new(Action::Assign));
            list.push(Command::new(Action::SetStage));
            list.push(Command::new(Action::SetPriority));
        }
        if self.staff {
            list.push(Command::new(Action::SetCategory));
            list.push(Command::new(Action::SetTags));
            list.push(Command::new(Action::Note));
            list.push(Command::new(Action::WhoCanSee));
        } else if self.open.is_none() {
            list.push(Command::worded(Action::New, "tickets-cmd-new"));
        }
        list.push(Command::new(Action::Reply));
        list.push(Command::new(Action::ToggleClosed));
        if self.staff {
            list.push(Command::new(Action::EditCcs));
            list.push(Command::new(Action::ShowOriginal));
            list.push(Command::new(Action::ManageSavedReplies));
        }
        list
    }

    /// Scrolls the full view, closes it, or changes its ticket.
    pub(super) fn handle_open(&mut self, action: Action) -> Outcome {
        let Some(open) = &mut self.open else {
            return Outcome::Ignored;
        };
        open.scroll = match action {
            Action::Down => open.scroll.saturating_add(1),
            Action::Up => open.scroll.saturating_sub(1),
            Action::PageDown => open.scroll.saturating_add(10),
            Action::PageUp => open.scroll.saturating_sub(10),
            Action::Top => 0,
            Action::Bottom => u16::MAX,
            Action::Close => {
                self.open = None;
                return Outcome::Changed;
            }
            _ => return self.ticket_action(action).unwrap_or(Outcome::Ignored),
        };
        Outcome::Changed
    }

    /// Changes to the target ticket (or, for `a`/`A`/`t`/`p` in the list, the marked ones),
    /// shared by the list and the full view; `None` for other actions.
    pub(super) fn ticket_action(&mut self, action: Action) -> Option<Outcome> {
        let marked = self.staff && self.open.is_none() && !self.marks.is_empty();
        Some(match action {
            Action::AssignMe if marked => self.assign_marked_to_me(),
            Action::AssignMe => self.assign_me(),
            Action::Assign => self.pick(Field::Owner),
            Action::SetStage => self.pick(Field::Stage),
            Action::SetPriority => self.pick(Field::Priority),
            Action::SetCategory => self.prompt(prompt::Field::Category),
            Action::SetTags => self.prompt(prompt::Field::Tags),
            Action::ToggleClosed => self.toggle_closed(),
            Action::Reply => self.compose(false),
            Action::Note => self.compose(true),
            Action::WhoCanSee => self.who_can_see(),
            Action::EditCcs => self.edit_ccs(),
            Action::ShowOriginal => self.show_original(),
            Action::ManageSavedReplies if self.staff => {
                let admin = self.client.view().account.role == Role::Admin;
                let manager = RepliesManager::new(self.client.clone(), self.tasks.clone(), admin);
                self.open_layer(manager);
                Outcome::Changed
            }
            _ => return None,
        })
    }

    /// Marking in the staff list: `Space` marks and moves down, `v` marks a range, `*` marks
    /// the rows shown (or clears), Esc clears the marks; `None` for other actions.
    pub(super) fn mark_action(&mut self, action: Action) -> Option<Outcome> {
        if !self.staff || self.open.is_some() || self.filtering {
            return None;
        }
        match action {
            Action::Mark => {
                let id = self.selected_id(&self.client.view())?;
                self.marks.toggle(id);
                let len = self.rows.shown().len();
                self.cursor.handle(Action::Down, len);
            }
            Action::MarkRange => {
                let ids = self.shown_ids();
                self.marks.range(&ids, self.cursor.selected());
            }
            Action::MarkAll => {
                let ids = self.shown_ids();
                self.marks.all(&ids);
            }
            Action::Close if !self.marks.is_empty() => self.marks.clear(),
            _ => return None,
        }
        Some(Outcome::Changed)
    }

    /// The ids of the rows shown, in order.
    fn shown_ids(&self) -> Vec<i64> {
        let view = self.client.view();
        self.rows
            .shown()
            .iter()
            .filter_map(|&i| view.ticket_at(i as usize).map(ViewTicket::id))
            .collect()
    }

    /// A key typed while the filter line is open. Only the pane's own keys are mapped then
    /// (so `Ctrl-U` reaches the line); the arrows and pages still move the list.
    pub(super) fn filter_key(&mut self, key: &KeyEvent) -> Outcome {
        let moves = match key.code {
            KeyCode::Down => Some(Action::Down),
            KeyCode::Up => Some(Action::Up),
            KeyCode::PageDown => Some(Action::PageDown),
            KeyCode::PageUp => Some(Action::PageUp),
            _ => None,
        };
        if let Some(action) = moves {
            self.refresh();
            let len = self.rows.shown().len();
            return self.cursor.handle(action, len);
        }
        let before = self.filter.text.clone();
        if !self.filter.key(key) {
            return Outcome::Ignored;
        }
        if self.filter.text != before {
            self.changed_filter();
        }
        Outcome::Changed
    }
}
