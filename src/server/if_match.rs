//! The `If-Match` precondition as RFC 9110 (section 13.1.1) defines it, parsed in one place:
//! `*` or a list of entity-tags, matched by strong comparison. A weak tag never matches, and
//! tags compare as opaque text (`"01"` is not `"1"`).

use thiserror::Error;

/// A parsed `If-Match` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    /// `*`: any current representation.
    Any,
    /// One or more entity-tags; matches when any strong one equals the current tag.
    Tags(Vec<EntityTag>),
}

/// One entity-tag of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityTag {
    /// `W/` prefixed: never matches under the strong comparison `If-Match` uses.
    pub weak: bool,
    /// The text between the quotes.
    pub opaque: String,
}

/// Why a header value is not an `If-Match` value.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("If-Match must be * or a list of entity-tags such as \"7\"")]
pub struct Malformed;

impl IfMatch {
    /// Parses the header's field lines (several lines form one list, as RFC 9110 says).
    pub fn parse<'a>(lines: impl IntoIterator<Item = &'a [u8]>) -> Result<Self, Malformed> {
        let mut tags = Vec::new();
        let mut any = false;
        for line in lines {
            let mut rest = line;
            loop {
                rest = trim_ows(rest);
                match rest.first() {
                    None => break,
                    // An empty list element: allowed and ignored.
                    Some(b',') => rest = &rest[1..],
                    Some(b'*') => {
                        any = true;
                        rest = &rest[1..];
                        rest = after_element(rest)?;
                    }
                    Some(_) => {
                        let (tag, after) = entity_tag(rest)?;
                        tags.push(tag);
                        rest = after_element(after)?;
                    }
                }
            }
        }
        match (any, tags.is_empty()) {
            (true, true) => Ok(IfMatch::Any),
            (false, false) => Ok(IfMatch::Tags(tags)),
            // `*` mixed with tags, or no element at all.
            _ => Err(Malformed),
        }
    }

    /// Whether a resource whose current entity-tag is `"{opaque}"` satisfies the condition.
    pub fn matches(&self, opaque: &str) -> bool {
        match self {
            IfMatch::Any => true,
            IfMatch::Tags(tags) => tags.iter().any(|t| !t.weak && t.opaque == opaque),
        }
    }
}

fn trim_ows(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|b| *b != b' ' && *b != b'\t')
        .unwrap_or(s.len());
    &s[start..]
}

/// What follows an element: optional whitespace, then a comma or the end.
fn after_element(s: &[u8]) -> Result<&[u8], Malformed> {
    let s = trim_ows(s);
    match s.first() {
        None => Ok(s),
        Some(b',') => Ok(&s[1..]),
        Some(_) => Err(Malformed),
    }
}

/// `[ W/ ] DQUOTE *etagc DQUOTE` at the start of `s`, and what follows it.
fn entity_tag(s: &[u8]) -> Result<(EntityTag, &[u8]), Malformed> {
    let (weak, s) = match s.strip_prefix(b"W/") {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let body = s.strip_prefix(b"\"").ok_or(Malformed)?;
    let end = body.iter().position(|b| *b == b'"').ok_or(Malformed)?;
    let opaque = &body[..end];
    // etagc = %x21 / %x23-7E / obs-text
    if !opaque
        .iter()
        .all(|b| *b == 0x21 || (*b >= 0x23 && *b != 0x7F))
    {
        return Err(Malformed);
    }
    let opaque = String::from_utf8(opaque.to_vec()).map_err(|_| Malformed)?;
    Ok((EntityTag { weak, opaque }, &body[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(s: &str) -> Result<IfMatch, Malformed> {
        IfMatch::parse([s.as_bytes()])
    }

    #[test]
    fn strong_tags_match_exactly() {
        let one = parse("\"1\"").expect("valid");
        assert!(one.matches("1"));
        assert!(!one.matches("2"));
        assert!(!parse("\"01\"").expect("valid").matches("1"));
        assert!(!parse("\"stale-0\"").expect("valid").matches("1"));
    }

    #[test]
    fn weak_tags_never_match() {
        assert!(!parse("W/\"1\"").expect("valid").matches("1"));
        assert!(parse("W/\"1\", \"1\"").expect("valid").matches("1"));
    }

    #[test]
    fn star_and_lists() {
        assert_eq!(parse(" * "), Ok(IfMatch::Any));
        assert!(parse("*").expect("valid").matches("9"));
        let list = parse("\"3\", \"4\"").expect("valid");
        assert!(list.matches("3") && list.matches("4") && !list.matches("5"));
        assert!(parse(",\"3\" ,, \"4\",").expect("valid").matches("4"));
        let lines = IfMatch::parse(["\"3\"".as_bytes(), "\"4\"".as_bytes()]).expect("valid");
        assert!(lines.matches("4"));
    }

    #[test]
    fn malformed_values_are_refused() {
        for bad in [
            "",
            " ",
            ",",
            "1",
            "\"1",
            "1\"",
            "w/\"1\"",
            "\"1\" \"2\"",
            "*, \"1\"",
            "**",
            "\"a b\"",
            "\"1\"x",
            "W/ \"1\"",
        ] {
            assert_eq!(parse(bad), Err(Malformed), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn a_list_matches_exactly_its_strong_members(
            members in proptest::collection::vec(("[!#-~]{0,6}", any::<bool>()), 1..5),
            probe in "[!#-~]{0,6}",
        ) {
            let text: Vec<String> = members
                .iter()
                .map(|(t, weak)| format!("{}\"{t}\"", if *weak { "W/" } else { "" }))
                .collect();
            let parsed = parse(&text.join(" , ")).expect("valid list");
            let expected = members.iter().any(|(t, weak)| !weak && *t == probe);
            prop_assert_eq!(parsed.matches(&probe), expected);
        }
    }
}
