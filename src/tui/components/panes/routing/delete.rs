//! Deleting from the Routing pane. A rule, or an inbox nothing depends on, goes after a yes
//! to "Delete …?". An inbox the server would refuse is explained at once (the portal's default,
//! one a rule sends tickets to); one that holds tickets — seen in the view, or named by the
//! server's refusal — gets an offer to move them to another inbox and then delete it.

use super::lists::{Target, default_inbox};
use super::remote::{Job, Refusal};
use super::{Mode, Routing};
use crate::client::{View, Write};
use crate::domain::text::strip_control;
use crate::domain::wire::{BulkRequest, StaffTicketPatch};
use crate::tui::components::{Outcome, step};
use crossterm::event::{KeyCode, KeyEvent};

/// Most ticket ids one bulk write may carry (the server's limit).
pub const BULK_LIMIT: usize = 1000;

/// The offer to move an inbox's tickets elsewhere and then delete it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovePrompt {
    /// The inbox to delete.
    inbox: i64,
    /// Its name, for the question and the notices.
    name: String,
    /// The tickets the view shows in it.
    tickets: Vec<i64>,
    /// The inboxes they can go to, with their names.
    targets: Vec<(i64, String)>,
    /// The chosen one.
    choice: usize,
}

fn name_of(view: &View, id: i64) -> String {
    view.inbox_name(id)
        .map_or(format!("inbox {id}"), strip_control)
}

/// The tickets the view shows in inbox `id`, oldest first.
pub fn tickets_in(view: &View, id: i64) -> Vec<i64> {
    let mut ids: Vec<i64> = view
        .tickets()
        .filter(|t| t.id() > 0 && t.inbox_id() == Some(id))
        .map(|t| t.id())
        .collect();
    ids.sort_unstable();
    ids
}

/// Why the server would refuse to delete inbox `id` whatever its tickets: it is the portal's
/// default, or a routing rule sends tickets to it.
pub fn refusal_reason(view: &View, id: i64) -> Option<String> {
    let name = name_of(view, id);
    if default_inbox(view) == Some(id) {
        return Some(format!(
            "cannot delete \"{name}\": it is the portal's default inbox; make another inbox the default first (D)"
        ));
    }
    view.rules
        .iter()
        .find(|r| r.item.then.inbox_id == id)
        .map(|r| {
            format!(
                "cannot delete \"{name}\": routing rule \"{}\" sends tickets to it; change or delete the rule first",
                strip_control(&r.item.name)
            )
        })
}

impl MovePrompt {
    /// The offer for inbox `id` when the view shows tickets in it: `None` when it shows none,
    /// `Err` when there is no other inbox to move them to.
    pub fn new(id: i64, view: &View) -> Option<Result<MovePrompt, String>> {
        let tickets = tickets_in(view, id);
        if tickets.is_empty() {
            return None;
        }
        let name = name_of(view, id);
        let targets: Vec<(i64, String)> = view
            .inboxes
            .keys()
            .filter(|other| **other != id && **other > 0)
            .map(|other| (*other, name_of(view, *other)))
            .collect();
        if targets.is_empty() {
            return Some(Err(format!(
                "inbox \"{name}\" holds {} tickets and there is no other inbox to move them to",
                tickets.len()
            )));
        }
        let choice = default_inbox(view)
            .and_then(|d| targets.iter().position(|(t, _)| *t == d))
            .unwrap_or(0);
        Some(Ok(MovePrompt {
            inbox: id,
            name,
            tickets,
            targets,
            choice,
        }))
    }

    /// The question, naming the inbox the tickets would go to.
    pub fn text(&self) -> String {
        let to = self
            .targets
            .get(self.choice)
            .map_or("", |(_, n)| n.as_str());
        format!(
            "Inbox \"{}\" holds {} tickets: move them to ‹{to}› (←/→ picks another) and delete? y/n",
            self.name,
            self.tickets.len()
        )
    }

    /// Picks the next (`delta` 1) or previous (-1) inbox to move the tickets to.
    pub fn pick(&mut self, delta: i64) {
        self.choice = step(self.choice, delta, self.targets.len());
    }

    /// The writes that move the tickets (bulk changes of at most [`BULK_LIMIT`] tickets) and
    /// then delete the inbox, and how to name them.
    pub fn writes(&self) -> (Vec<Write>, Job) {
        let (target, to) = self.targets.get(self.choice).cloned().unwrap_or_default();
        let mut writes: Vec<Write> = self
            .tickets
            .chunks(BULK_LIMIT)
            .map(|ids| {
                Write::Bulk(BulkRequest {
                    ids: ids.to_vec(),
                    patch: StaffTicketPatch {
                        inbox_id: Some(target),
                        ..StaffTicketPatch::default()
                    },
                })
            })
            .collect();
        writes.push(Write::DeleteInbox { id: self.inbox });
        let n = self.tickets.len();
        let job = Job {
            what: format!(
                "moving {n} tickets to \"{to}\" and deleting inbox \"{}\"",
                self.name
            ),
            done: format!(
                "moved {n} tickets to \"{to}\" and deleted inbox \"{}\"",
                self.name
            ),
            deletes_inbox: Some(self.inbox),
        };
        (writes, job)
    }
}

impl Routing {
    /// Asks before deleting `target` (deletes it once `confirmed`), or explains why not, or
    /// offers to move the tickets of an inbox that holds some.
    pub(super) fn delete(&mut self, target: Target, view: &View, confirmed: bool) {
        let (name, write) = match target {
            Target::Inbox(id) => {
                if let Some(reason) = refusal_reason(view, id) {
                    self.remote.set_notice(reason);
                    return;
                }
                match MovePrompt::new(id, view) {
                    Some(Ok(prompt)) => {
                        self.prompt = Some(prompt);
                        return;
                    }
                    Some(Err(why)) => {
                        self.remote.set_notice(why);
                        return;
                    }
                    None => (name_of(view, id), Write::DeleteInbox { id }),
                }
            }
            Target::Rule(i) => match view.rules.get(i) {
                Some(m) => (
                    strip_control(&m.item.name),
                    Write::DeleteRule { id: m.item.id },
                ),
                None => return,
            },
            Target::Inboxes | Target::Rules => return,
        };
        let kind = if matches!(target, Target::Inbox(_)) {
            "inbox"
        } else {
            "rule"
        };
        if confirmed {
            let job = Job {
                what: format!("deleting {kind} \"{name}\""),
                done: format!("deleted {kind} \"{name}\""),
                deletes_inbox: match target {
                    Target::Inbox(id) => Some(id),
                    _ => None,
                },
            };
            self.remote.submit(write, job);
        } else {
            let text = format!("Delete {kind} \"{name}\"?");
            self.ask("Delete", text, super::ask::Then::Delete(target));
        }
    }

    /// The server refused to delete an inbox: if the view shows tickets in it and the reason
    /// is its tickets, offer to move them (the refused write is then dropped from the outbox).
    pub(super) fn follow_refusal(&mut self, refusal: Refusal, view: &View) {
        if !refusal.message.contains("ticket") || !matches!(self.mode, Mode::List) {
            return;
        }
        if let Some(Ok(prompt)) = MovePrompt::new(refusal.inbox, view) {
            self.remote.dismiss(refusal.write);
            self.prompt = Some(prompt);
        }
    }

    /// A key while the move offer is open: `y` moves and deletes, `n` or Esc drops the
    /// offer, ←/→ pick the inbox the tickets go to.
    pub(super) fn prompt_key(&mut self, key: &KeyEvent) -> Outcome {
        let Some(prompt) = &mut self.prompt else {
            return Outcome::Ignored;
        };
        match key.code {
            KeyCode::Left | KeyCode::Char('h') => prompt.pick(-1),
            KeyCode::Right | KeyCode::Char('l') => prompt.pick(1),
            KeyCode::Char('y' | 'Y') => {
                let (writes, job) = prompt.writes();
                self.prompt = None;
                self.remote.submit_all(writes, job);
            }
            KeyCode::Char('n' | 'N') | KeyCode::Esc => return self.drop_prompt(),
            _ => return Outcome::Ignored,
        }
        Outcome::Changed
    }

    /// Closes the move offer, keeping the inbox and its tickets.
    pub(super) fn drop_prompt(&mut self) -> Outcome {
        self.prompt = None;
        self.remote.set_notice("nothing moved or deleted");
        Outcome::Changed
    }
}
