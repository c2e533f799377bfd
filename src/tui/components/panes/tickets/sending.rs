//! A message sent from the composer, followed until it has left the outbox: the open thread
//! scrolls to its pending copy at once and is loaded again, at its end, once the server has
//! the message. The sending task answers as a message (see `tui::msg`).

use super::Tickets;
use super::thread::Thread;
use crate::client::Write;
use crate::domain::i18n::Arg;
use crate::tui::i18n::tf;
use crate::tui::msg::{Answer, Done, TaskId};
use std::time::Duration;

/// A message sent from the composer, followed until the server has it, so the open thread
/// is loaded again with it in place of its pending copy.
#[derive(Debug, Clone)]
pub struct Sent {
    ticket: i64,
    /// The task recording the message and waiting for it to leave the outbox.
    task: TaskId,
    delivered: bool,
    shown: bool,
    reloaded: bool,
}

impl Tickets {
    /// Records the message `write` on `ticket` and watches the outbox until it is delivered.
    pub(super) fn send(&mut self, ticket: i64, write: Write) {
        self.message = None;
        let client = self.client.clone();
        let task = self.tasks.spawn(async move {
            let id = match client.submit(write).await {
                Ok(id) => id,
                Err(e) => {
                    return Answer::Delivered(Err(tf(
                        "tickets-message-not-recorded",
                        &[("why", Arg::Text(&e.to_string()))],
                    )));
                }
            };
            while client.view().pending_messages(ticket).any(|(w, _)| w == id) {
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Answer::Delivered(Ok(()))
        });
        self.sent = Some(Sent {
            ticket,
            task,
            delivered: false,
            shown: false,
            reloaded: false,
        });
    }

    /// Takes the news that the message sent has left the outbox (or could not be
    /// recorded). Others are given back.
    pub(super) fn sent_receive(&mut self, done: Done) -> Option<Done> {
        let Some(sent) = self.sent.as_mut() else {
            return Some(done);
        };
        match done.answer_to(Some(sent.task)) {
            Ok(Answer::Delivered(Ok(()))) => sent.delivered = true,
            Ok(Answer::Delivered(Err(e))) => {
                self.message = Some(e);
                self.sent = None;
            }
            Ok(other) => tracing::warn!("sending a message answered {other:?}"),
            Err(done) => return Some(done),
        }
        self.follow_sent();
        None
    }

    /// Shows the end of the open thread when the message sent from it appears there (pending),
    /// and loads the thread again, at its end, once the message has left the outbox.
    pub(super) fn follow_sent(&mut self) {
        let Some(sent) = &mut self.sent else {
            return;
        };
        let Some(open) = self.open.as_mut().filter(|o| o.thread.id() == sent.ticket) else {
            self.sent = None;
            return;
        };
        if sent.reloaded {
            if !open.thread.is_loading() {
                open.scroll = u16::MAX;
                self.sent = None;
            }
        } else if sent.delivered {
            open.thread = Thread::load(&self.client, sent.ticket, &self.tasks);
            sent.reloaded = true;
        } else if !sent.shown && self.client.view().pending_messages(sent.ticket).count() > 0 {
            open.scroll = u16::MAX;
            sent.shown = true;
        }
    }
}
