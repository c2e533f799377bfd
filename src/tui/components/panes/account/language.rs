//! Staff's choice of the app's language in the Account tab: read from the server when the
//! pane opens, changed with `l` (automatic, then each shipped language in turn) and kept on
//! the server, so it follows the person to every terminal and SSH session. The client's
//! [`crate::client::ChosenLanguage`] holds it, and the app draws in it from the next frame.

use crate::client::Client;
use crate::domain::i18n::Language;
use crate::tui::i18n::{language, t, tf};
use crate::tui::msg::{Answer, Done, TaskId, Tasks};

/// The language row's state: the request on its way, and why the last one failed.
#[derive(Debug, Default)]
pub struct LanguageRow {
    task: Option<TaskId>,
    problem: Option<String>,
}

impl LanguageRow {
    /// Reads the account's choice from the server.
    pub fn load(client: &Client, tasks: &Tasks) -> Self {
        let c = client.clone();
        let task = tasks.spawn(async move {
            Answer::AccountLanguage(c.api().account_language().await.map_err(|e| e.to_string()))
        });
        LanguageRow {
            task: Some(task),
            problem: None,
        }
    }

    /// Keeps the next choice after the current one on the server.
    pub fn next(&mut self, client: &Client, tasks: &Tasks) {
        let next = following(client.chosen_language().get());
        let c = client.clone();
        self.task = Some(tasks.spawn(async move {
            let answer = c.api().set_account_language(next).await;
            Answer::AccountLanguage(answer.map(|()| next).map_err(|e| e.to_string()))
        }));
    }

    /// Takes the server's answer: the choice becomes the client's (and so the app's).
    pub fn receive(&mut self, client: &Client, done: Done) -> Option<Done> {
        match done.answer_to(self.task) {
            Ok(answer) => {
                self.task = None;
                match answer {
                    Answer::AccountLanguage(Ok(choice)) => {
                        client.chosen_language().set(choice);
                        self.problem = None;
                    }
                    Answer::AccountLanguage(Err(why)) => self.problem = Some(why),
                    _ => {}
                }
                None
            }
            Err(done) => Some(done),
        }
    }

    /// The row's value: the choice in words, or why it could not be read or kept.
    pub fn value(&self, client: &Client) -> String {
        if let Some(why) = &self.problem {
            return why.clone();
        }
        match client.chosen_language().get() {
            Some(chosen) => name(chosen),
            None => tf(
                "language-automatic",
                &[("language", (&name(language())).into())],
            ),
        }
    }
}

/// The choice after `current`: automatic, then each shipped language, then automatic again.
fn following(current: Option<Language>) -> Option<Language> {
    match current {
        None => Language::ALL.first().copied(),
        Some(l) => Language::ALL.get(l.index() + 1).copied(),
    }
}

/// A language's own name for itself.
fn name(language: Language) -> String {
    t(&format!("language-name-{}", language.tag()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choice_goes_round_automatic_and_every_language() {
        let mut seen = vec![None];
        let mut at = following(None);
        while at.is_some() {
            seen.push(at);
            at = following(at);
        }
        let mut expected = vec![None];
        expected.extend(Language::ALL.map(Some));
        assert_eq!(seen, expected);
    }
}
