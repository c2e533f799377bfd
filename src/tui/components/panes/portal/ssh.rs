//! The overview's SSH row for admins: where the app is served over SSH and the host key's
//! fingerprint, read from `GET /ssh`, so an admin can publish it for users to check on first
//! connect.

use crate::client::Client;
use crate::domain::text::strip_control;
use crate::domain::wire::SshStatus;
use crate::tui::msg::{Answer, Done, TaskId, Tasks};

/// What the server said about SSH, asked once per pane.
#[derive(Debug, Default)]
pub struct SshRow {
    answer: Option<Result<SshStatus, String>>,
    loading: Option<TaskId>,
}

impl SshRow {
    /// Asks the server the first time the overview is drawn.
    pub fn fetch_unless_known(&mut self, client: &Client, tasks: &Tasks) {
        if self.answer.is_some() || self.loading.is_some() {
            return;
        }
        let client = client.clone();
        self.loading = Some(tasks.spawn(async move {
            Answer::Ssh(client.api().ssh_status().await.map_err(|e| e.to_string()))
        }));
    }

    /// Takes the answer to its request; anything else goes back.
    pub fn receive(&mut self, done: Done) -> Option<Done> {
        match done.answer_to(self.loading) {
            Ok(Answer::Ssh(answer)) => {
                self.loading = None;
                self.answer = Some(answer);
                None
            }
            Ok(other) => {
                self.loading = None;
                tracing::warn!("the SSH status answered {other:?}");
                None
            }
            Err(done) => Some(done),
        }
    }

    /// The rows as label and value: the address, and the fingerprint on a row of its own
    /// so a narrow screen does not cut it; or why there are none.
    pub fn rows(&self) -> Vec<(&'static str, String)> {
        match &self.answer {
            None => vec![("SSH", "loading…".to_string())],
            Some(Ok(SshStatus { ssh: Some(ssh) })) => vec![
                ("SSH", strip_control(&ssh.address)),
                ("SSH host key", strip_control(&ssh.fingerprint)),
            ],
            Some(Ok(SshStatus { ssh: None })) => vec![(
                "SSH",
                "not served (start the server with --ssh ADDRESS)".to_string(),
            )],
            Some(Err(e)) => vec![("SSH", format!("unknown: {}", strip_control(e)))],
        }
    }
}
