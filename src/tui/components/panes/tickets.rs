//! The Tickets pane. Agents and admins triage: saved views with counts, a filter with
//! `key:value` tokens, a sortable table that builds only the rows on screen, a preview beside
//! it and the full thread on Enter, and quick changes to the selected ticket. Customers get
//! their visible tickets with the portal's columns and labels, and may close or reopen them.
//! Every change goes through the client's outbox, so it shows at once, marked pending.

mod assign;
mod audience;
mod bulk;
mod ccs;
mod changes;
mod columns;
mod composer;
mod draw;
mod facts;
mod filter;
mod glance;
mod keys;
mod layers;
mod leaving;
mod marks;
mod original;
mod picker;
mod popups;
mod prompt;
mod replies;
mod rows;
mod sending;
mod state;
mod support_form;
mod table;
mod thread;

use crate::client::{Client, View, ViewTicket};
use crate::tui::action::{Action, Command};
use crate::tui::components::widgets::list::ListCursor;
use crate::tui::components::{Component, DrawCtx, Outcome};
use crate::tui::keymap::Context;
use crate::tui::msg::{Done, TaskId, Tasks};
use columns::Column;
use crossterm::event::KeyEvent;
use filter::{FilterLine, Query, Queue};
use layers::Layer;
use marks::Marks;
use ratatui::Frame;
use ratatui::layout::Rect;
use rows::{Rows, Sort, default_sort, show_closed};
use state::Saved;
use std::path::PathBuf;
use thread::Thread;

/// The full view of one ticket and how far it is scrolled.
struct Open {
    thread: Thread,
    scroll: u16,
}

/// The Tickets pane.
pub struct Tickets {
    client: Client,
    tasks: Tasks,
    staff: bool,
    me: i64,
    cursor: ListCursor,
    rows: Rows,
    queue: Queue,
    filter: FilterLine,
    query: Query,
    filtering: bool,
    refilter: bool,
    sort: Sort,
    /// The columns the table drew last time (empty before the first frame): `s` cycles the
    /// sort through these, so the header always shows which one sorts.
    drawn: Vec<Column>,
    preview: bool,
    open: Option<Open>,
    /// The popup, composer or form open over the pane, which takes the keys first.
    layer: Option<Box<dyn Layer>>,
    marks: Marks,
    sent: Option<sending::Sent>,
    state_path: PathBuf,
    /// The filter changed since the state file was written (it is written when the filter is
    /// kept or cleared, the queue changes, or the pane closes; not on every keystroke).
    unsaved: bool,
    /// The ticket selected when the pane was last drawn (once anything was synced): where
    /// the cursor stays when the view changes under it (view indices shift as tickets come
    /// and go).
    selected: Option<i64>,
    /// Why the last change could not be recorded, shown in the footer.
    message: Option<String>,
    /// Changes on their way into the outbox, until each is recorded (or refused).
    recording: Vec<TaskId>,
}

impl Tickets {
    /// The pane over `client`'s view, with the queue and filter of the last run; its
    /// background work answers through `tasks`.
    pub fn new(client: Client, tasks: Tasks) -> Self {
        let state_path = state::path_for(client.cache_path(), &client.session().account.email);
        let saved = Saved::load(&state_path);
        let (staff, me, sort) = {
            let view = client.view();
            (view.is_staff(), view.account.id, default_sort(&view))
        };
        Tickets {
            client,
            tasks,
            staff,
            me,
            cursor: ListCursor::default(),
            rows: Rows::default(),
            queue: saved.queue,
            query: Query::parse(&saved.filter),
            filter: FilterLine::new(saved.filter),
            filtering: false,
            refilter: true,
            sort,
            drawn: Vec::new(),
            preview: staff,
            open: None,
            layer: None,
            marks: Marks::default(),
            sent: None,
            state_path,
            unsaved: false,
            selected: None,
            message: None,
            recording: Vec::new(),
        }
    }

    /// The filter as typed.
    pub fn filter_text(&self) -> &str {
        &self.filter.text
    }

    /// The number of rows shown after filtering (brings them up to date first).
    pub fn shown_len(&mut self) -> usize {
        self.refresh();
        self.rows.shown().len()
    }

    /// Replaces the filter, as if typed, and filters again.
    pub fn set_filter(&mut self, text: &str) {
        self.filter = FilterLine::new(text.to_string());
        self.changed_filter();
    }

    /// Re-sorts after a change of the view or the sort, and re-filters when needed, keeping
    /// the same ticket selected.
    fn refresh(&mut self) {
        let client = self.client.clone();
        let view = client.view();
        let resorted = self.rows.sync(&view, self.sort);
        if !(resorted || self.refilter) {
            return;
        }
        // After a re-sort the rows still index the view as it was, so the selection comes
        // from the last frame.
        let keep = if resorted {
            self.selected
        } else {
            self.selected_id(&view)
        };
        let queue = match (self.staff, show_closed(&view)) {
            (true, _) => self.queue,
            (false, true) => Queue::All,
            (false, false) => Queue::Open,
        };
        self.refilter = false;
        if let Some(at) = self.rows.filter(&view, queue, &self.query, self.me, keep) {
            self.cursor.select(at);
        }
    }

    /// The ticket under the cursor; while the rows were built from an older view (it changed
    /// since the last refresh), the one selected at the last frame.
    fn selected_id(&self, view: &View) -> Option<i64> {
        if !self.rows.is_built_for(view) {
            return self.selected;
        }
        self.rows
            .shown()
            .get(self.cursor.selected())
            .and_then(|&i| view.ticket_at(i as usize))
            .map(ViewTicket::id)
    }

    fn target_id(&self) -> Option<i64> {
        match &self.open {
            Some(open) => Some(open.thread.id()),
            None => self.selected_id(&self.client.view()),
        }
    }

    fn changed_filter(&mut self) {
        self.query = Query::parse(&self.filter.text);
        self.refilter = true;
        self.cursor.select(0);
        self.unsaved = true;
    }
}

impl Component for Tickets {
    fn contexts(&self) -> &'static [Context] {
        if let Some(layer) = &self.layer {
            return layer.contexts();
        }
        if self.filtering {
            return &[Context::Tickets];
        }
        &[Context::Tickets, Context::List]
    }

    fn commands(&self) -> Vec<Command> {
        match &self.layer {
            Some(layer) => layer.commands(),
            None => self.pane_commands(),
        }
    }

    fn modal(&self) -> bool {
        self.layer.is_some()
    }

    fn asking(&self) -> bool {
        Tickets::asking(self)
    }

    fn first_screen(&mut self) -> Option<crate::client::Glance> {
        self.take_glance()
    }

    fn captures_text(&self) -> bool {
        match &self.layer {
            Some(layer) => layer.captures_text(),
            None => self.filtering,
        }
    }

    fn handle(&mut self, action: Action) -> Outcome {
        self.refresh();
        // A yes/no question stays open on every other key, `q` included: passed on, quit
        // would drop the draft, form or marks the question is about.
        if action == Action::Quit && self.asking() {
            return Outcome::Changed;
        }
        if let Some(outcome) = self.layer_handle(action) {
            return outcome;
        }
        if self.open.is_some() {
            return self.handle_open(action);
        }
        if !self.acts_while_loading(action) {
            return Outcome::Ignored;
        }
        if let Some(outcome) = self.mark_action(action) {
            return outcome;
        }
        let len = self.rows.shown().len();
        match action {
            Action::Confirm if self.filtering => {
                self.filtering = false;
                self.save();
            }
            Action::Close if self.filtering => {
                self.filtering = false;
                self.filter.clear();
                self.changed_filter();
                self.save();
            }
            Action::Filter => {
                self.filtering = true;
                self.filter.reopen();
            }
            Action::Close if !self.filter.text.is_empty() => {
                self.filter.clear();
                self.changed_filter();
                self.save();
            }
            Action::NextQueue | Action::PrevQueue if self.staff => {
                let step = if action == Action::NextQueue { 1 } else { -1 };
                self.queue = self.queue.cycle(step);
                self.refilter = true;
                self.cursor.select(0);
                self.save();
            }
            Action::SortNext => {
                let all = self.columns(&self.client.view());
                let drawn = if self.drawn.is_empty() {
                    &all
                } else {
                    &self.drawn
                };
                if let Some(column) = columns::next(drawn, self.sort.column) {
                    self.sort.column = column;
                }
            }
            Action::SortReverse => self.sort.descending = !self.sort.descending,
            Action::TogglePreview => self.preview = !self.preview,
            Action::Confirm => {
                let Some(id) = self.selected_id(&self.client.view()) else {
                    return Outcome::Ignored;
                };
                let thread = Thread::load(&self.client, id, &self.tasks);
                self.open = Some(Open { thread, scroll: 0 });
            }
            Action::New => return self.open_form(),
            _ => {
                return self
                    .ticket_action(action)
                    .unwrap_or_else(|| self.cursor.handle(action, len));
            }
        }
        Outcome::Changed
    }

    fn input(&mut self, key: &KeyEvent) -> Outcome {
        if let Some(outcome) = self.layer_input(key) {
            return outcome;
        }
        if !self.filtering {
            return Outcome::Ignored;
        }
        self.filter_key(key)
    }

    fn paste(&mut self, text: &str) -> Outcome {
        if let Some(outcome) = self.layer_paste(text) {
            return outcome;
        }
        if !self.filtering {
            return Outcome::Ignored;
        }
        self.filter.insert(text);
        self.changed_filter();
        Outcome::Changed
    }

    fn view_changed(&mut self) {
        if let Some(open) = &mut self.open {
            open.thread.refresh(&self.client, &self.tasks);
        }
    }

    fn background(&mut self, done: Done) -> Option<Done> {
        let done = match &mut self.open {
            Some(open) => open.thread.receive(done)?,
            None => done,
        };
        let done = match &mut self.layer {
            Some(layer) => layer.background(done)?,
            None => done,
        };
        let done = self.sent_receive(done)?;
        self.recorded(done)
    }

    fn scroll(&mut self, rows: i32) -> Outcome {
        if let Some(open) = &mut self.open {
            let by = u16::try_from(rows.unsigned_abs()).unwrap_or(u16::MAX);
            open.scroll = if rows < 0 {
                open.scroll.saturating_sub(by)
            } else {
                open.scroll.saturating_add(by)
            };
            return Outcome::Changed;
        }
        self.refresh();
        let len = self.rows.shown().len();
        self.cursor.scroll(rows, len)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        self.refresh();
        self.follow_sent();
        draw::pane(self, frame, area, ctx);
        // While the first sync is still filling the list, no ticket is held: the cursor keeps
        // its row (the top, usually) instead of following a ticket newer ones push down.
        let view = self.client.view();
        self.selected = match view.status.last_sync {
            Some(_) => self.selected_id(&view),
            None => None,
        };
        if let Some(layer) = &mut self.layer {
            layer.draw(frame, area, ctx);
        }
    }
}
