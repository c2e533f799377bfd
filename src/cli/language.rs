//! Which language the command line speaks: one rule for every command, fed by what a
//! command knows when it starts (who is signed in, the cached portal, the environment).

use super::paths;
use deskport::client::Session;
use deskport::client::language::{cached_portal_language, set_for_process};
use deskport::domain::i18n::Language;

/// Who reads a command's output, with what the language depends on for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Nobody is signed in yet (or the command is not about a session).
    Anyone,
    /// A customer, with their portal's language when the cache knows it.
    Customer { portal: Option<Language> },
    /// Staff: their own choice would go here once one is stored for them; today the
    /// environment decides, as for [`Reader::Anyone`].
    Staff,
}

/// The language for `reader`: a customer's portal language, else the environment's
/// (`LC_ALL`, `LC_MESSAGES`, `LANG`), else English.
pub fn resolve(reader: Reader, environment: Option<Language>) -> Language {
    let first = match reader {
        Reader::Customer { portal } => portal,
        Reader::Anyone | Reader::Staff => None,
    };
    first.or(environment).unwrap_or_default()
}

/// The environment's language, from this process's `LC_ALL`, `LC_MESSAGES` and `LANG`.
fn environment() -> Option<Language> {
    deskport::tui::i18n::from_environment()
}

/// Speaks the environment's language from now on: before anyone is known.
pub fn speak_for_anyone() {
    set_for_process(resolve(Reader::Anyone, environment()));
}

/// Speaks the language of `session`'s user from now on (its words and the server's
/// messages, which follow the language each request asks for).
pub fn speak_for(session: &Session) {
    let reader = if session.account.role.is_staff() {
        Reader::Staff
    } else {
        Reader::Customer {
            portal: cached_portal_language(&paths::data_dir(), session),
        }
    };
    set_for_process(resolve(reader, environment()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_reads_the_portal_language_and_everyone_else_the_environment() {
        let (en, it) = (Language::English, Language::Italian);
        let customer = |portal| Reader::Customer { portal };
        assert_eq!(resolve(customer(Some(it)), Some(en)), it);
        assert_eq!(resolve(customer(Some(en)), Some(it)), en);
        assert_eq!(resolve(customer(None), Some(it)), it);
        assert_eq!(resolve(customer(None), None), en);
        assert_eq!(resolve(Reader::Staff, Some(it)), it);
        assert_eq!(resolve(Reader::Staff, None), en);
        assert_eq!(resolve(Reader::Anyone, Some(it)), it);
    }
}
