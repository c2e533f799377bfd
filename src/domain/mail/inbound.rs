//! The rules for mail customers send in, apart from any I/O: which addresses the portal takes
//! mail for, what in a mail names its ticket, which mail is automatic (and so is never
//! answered), and how a reply is shortened to what the customer wrote this time.

use crate::domain::text::normalize_email;

/// The local part every inbound address starts with (`support@…`, `support+<ticket>.<token>@…`).
const SUPPORT_LOCAL: &str = "support";

/// Whether the portal takes mail for `address`: the support address or a reply address
/// (`support+…`) at the reply domain `domain` (case does not matter).
pub fn is_inbound_address(address: &str, domain: &str) -> bool {
    let Some(address) = normalize_email(address) else {
        return false;
    };
    let Some((local, host)) = address.rsplit_once('@') else {
        return false;
    };
    host == domain.to_ascii_lowercase()
        && (local == SUPPORT_LOCAL
            || local
                .strip_prefix(SUPPORT_LOCAL)
                .is_some_and(|rest| rest.starts_with('+')))
}

/// The ticket number and token of a reply address (`support+<ticket>.<token>@…`); the token
/// still has to be checked against the server's key.
pub fn reply_address(address: &str) -> Option<(i64, String)> {
    let address = normalize_email(address)?;
    let (local, _) = address.rsplit_once('@')?;
    let tagged = local.strip_prefix(SUPPORT_LOCAL)?.strip_prefix('+')?;
    let (ticket, token) = tagged.split_once('.')?;
    let ticket: i64 = ticket.parse().ok().filter(|id| *id > 0)?;
    Some((ticket, token.to_string()))
}

/// The ticket a subject names with `[#<number>]` (the tag every ticket mail's subject carries).
pub fn subject_ticket(subject: &str) -> Option<i64> {
    subject.match_indices("[#").find_map(|(at, _)| {
        let rest = &subject[at + 2..];
        let end = rest.find(']')?;
        rest[..end].parse().ok().filter(|id: &i64| *id > 0)
    })
}

/// What a mail's headers say about who wrote it, for [`is_automatic`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin<'a> {
    /// The sender's address.
    pub sender: &'a str,
    /// `Auto-Submitted`, if present.
    pub auto_submitted: Option<&'a str>,
    /// `Precedence`, if present.
    pub precedence: Option<&'a str>,
}

/// Whether a mail was sent by a machine (an auto-reply, a list, a mail server): such mail is
/// never answered, or two auto-responders would mail each other for ever.
pub fn is_automatic(origin: &Origin<'_>) -> bool {
    let auto = origin
        .auto_submitted
        .map(|v| v.split(';').next().unwrap_or_default().trim())
        .is_some_and(|v| !v.eq_ignore_ascii_case("no"));
    let bulk = origin.precedence.is_some_and(|v| {
        ["bulk", "list", "junk"]
            .iter()
            .any(|p| v.trim().eq_ignore_ascii_case(p))
    });
    let local = origin
        .sender
        .rsplit_once('@')
        .map_or(origin.sender, |(l, _)| l)
        .to_ascii_lowercase();
    auto || bulk || local == "mailer-daemon" || local == "postmaster" || origin.sender.is_empty()
}

/// Note put where a body was cut to the longest message.
const CUT_NOTE: &str = "\n[… cut here; the whole mail is kept with the ticket]";

/// What the customer wrote this time: the text above the quoted history (`On … wrote:`, an
/// `-----Original Message-----` block, `>` lines) and above the signature (`-- `), with
/// trailing blank lines dropped and at most `max_chars` characters. When folding would leave
/// nothing (a mail that is all quote), the whole text is kept.
pub fn fold_reply(text: &str, max_chars: usize) -> String {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.lines().collect();
    let mut kept: Vec<&str> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if line.trim_end() == "--" || is_history_start(trimmed, lines.get(i + 1).copied()) {
            break;
        }
        if trimmed.starts_with('>') {
            continue;
        }
        kept.push(line.trim_end());
    }
    while kept.last().is_some_and(|l| l.is_empty()) {
        kept.pop();
    }
    while kept.first().is_some_and(|l| l.is_empty()) {
        kept.remove(0);
    }
    let folded = if kept.is_empty() {
        text.trim().to_string()
    } else {
        kept.join("\n")
    };
    cut(&folded, max_chars)
}

/// Whether a line starts the quoted history: `On … wrote:` (possibly wrapped onto the next
/// line), `Le … a écrit :`, `Am … schrieb …:`, `Il … ha scritto:`, or an Outlook block.
fn is_history_start(line: &str, next: Option<&str>) -> bool {
    let lower = line.to_lowercase();
    if lower.starts_with("-----original message-----")
        || lower.starts_with("________________________________")
    {
        return true;
    }
    let opens = ["on ", "le ", "am ", "il ", "el ", "op "];
    if !opens.iter().any(|o| lower.starts_with(o)) {
        return false;
    }
    let ends = |s: &str| {
        let s = s.trim_end();
        s.ends_with("wrote:")
            || s.ends_with("écrit :")
            || s.ends_with("écrit:")
            || s.ends_with("schrieb:")
            || s.ends_with("ha scritto:")
            || s.ends_with("escribió:")
            || s.ends_with("geschreven:")
    };
    ends(&lower) || next.is_some_and(|n| ends(&n.to_lowercase()))
}

/// `text` cut to `max_chars` characters, with a note saying so when cut.
fn cut(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let room = max_chars.saturating_sub(CUT_NOTE.chars().count());
    let mut out: String = text.chars().take(room).collect();
    out.push_str(CUT_NOTE);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inbound_addresses_are_the_support_ones_at_the_reply_domain() {
        assert!(is_inbound_address(
            "support@help.acme.test",
            "help.acme.test"
        ));
        assert!(is_inbound_address(
            "Support+12.ab@HELP.acme.test",
            "help.acme.test"
        ));
        assert!(!is_inbound_address(
            "sales@help.acme.test",
            "help.acme.test"
        ));
        assert!(!is_inbound_address(
            "supporter@help.acme.test",
            "help.acme.test"
        ));
        assert!(!is_inbound_address("support@other.test", "help.acme.test"));
        assert!(!is_inbound_address("not an address", "help.acme.test"));
    }

    #[test]
    fn reply_addresses_and_subject_tags_name_tickets() {
        assert_eq!(
            reply_address("support+42.00ff@h.test"),
            Some((42, "00ff".into()))
        );
        assert_eq!(reply_address("support@h.test"), None);
        assert_eq!(reply_address("support+x.00ff@h.test"), None);
        assert_eq!(reply_address("support+-1.00@h.test"), None);
        assert_eq!(subject_ticket("Re: [#123] Printer"), Some(123));
        assert_eq!(subject_ticket("[#] x [#7]"), Some(7));
        assert_eq!(subject_ticket("no tag"), None);
    }

    #[test]
    fn machines_are_recognised() {
        let human = Origin {
            sender: "carla@acme.test",
            ..Origin::default()
        };
        assert!(!is_automatic(&human));
        assert!(!is_automatic(&Origin {
            auto_submitted: Some("no"),
            ..human.clone()
        }));
        assert!(is_automatic(&Origin {
            auto_submitted: Some("auto-replied"),
            ..human.clone()
        }));
        assert!(is_automatic(&Origin {
            precedence: Some("Bulk"),
            ..human.clone()
        }));
        assert!(is_automatic(&Origin {
            sender: "MAILER-DAEMON@mx.acme.test",
            ..Origin::default()
        }));
        assert!(is_automatic(&Origin {
            sender: "postmaster@acme.test",
            ..Origin::default()
        }));
    }

    #[test]
    fn quoted_history_and_signatures_are_folded_away() {
        let mail = "Thanks, that fixed it.\n\nOn Mon, 7 Dec 2026, Ada <support@h.test> wrote:\n> Try again\n> please";
        assert_eq!(fold_reply(mail, 1000), "Thanks, that fixed it.");
        let wrapped =
            "Still broken\nOn Mon, 7 Dec 2026 at 10:00, Ada Lovelace\n<support@h.test> wrote:\n> x";
        assert_eq!(fold_reply(wrapped, 1000), "Still broken");
        let signed = "Hello\n> quoted\nagain\n-- \nCarla\nAcme";
        assert_eq!(fold_reply(signed, 1000), "Hello\nagain");
        let outlook = "Yes\r\n-----Original Message-----\r\nFrom: x";
        assert_eq!(fold_reply(outlook, 1000), "Yes");
        assert_eq!(fold_reply("> all quote", 1000), "> all quote");
        let long = fold_reply(&"a".repeat(500), 100);
        assert_eq!(long.chars().count(), 100);
        assert!(long.ends_with("kept with the ticket]"));
    }
}
