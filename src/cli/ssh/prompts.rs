//! What `ssh` shows while signing in (keyboard-interactive): the prompts, the instructions
//! above them and the reason a try was refused, from the catalogue in the portal's language
//! (the client's own is not known before its session opens).

use deskport::domain::i18n::{Arg, Language, format, text};
use russh::server::Auth;
use std::borrow::Cow;

/// The first prompts: email and password, with a word on codes when the portal mails them,
/// and the reason the last try was refused, if any.
pub fn sign_in_prompts(language: Language, mails_codes: bool, refused: Option<String>) -> Auth {
    let mut instructions = vec![text(language, "ssh-signin-instructions")];
    if mails_codes {
        instructions.push(text(language, "ssh-signin-code-offer"));
    }
    instructions.extend(refused);
    Auth::Partial {
        name: Cow::Borrowed("deskport"),
        instructions: Cow::Owned(instructions.join("\n")),
        prompts: Cow::Owned(vec![
            (Cow::Owned(prompt(language, "ssh-signin-email")), true),
            (Cow::Owned(prompt(language, "ssh-signin-password")), false),
        ]),
    }
}

/// The prompt for the code mailed to `email`.
pub fn code_prompt(language: Language, email: &str) -> Auth {
    Auth::Partial {
        name: Cow::Borrowed("deskport"),
        instructions: Cow::Owned(format(
            language,
            "ssh-signin-code-sent",
            &[("email", Arg::Text(email))],
        )),
        prompts: Cow::Owned(vec![(
            Cow::Owned(prompt(language, "ssh-signin-code")),
            true,
        )]),
    }
}

/// A prompt's words from the catalogue, as `ssh` shows them: followed by `: `.
fn prompt(language: Language, id: &str) -> String {
    format!("{}: ", text(language, id))
}
