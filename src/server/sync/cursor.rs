//! The sync cursor: opaque to clients, it carries the position in the change sequence (or in
//! a snapshot) and the fingerprint of the scope it was issued for.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Where a client is in the feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    /// No cursor: start with a snapshot.
    Start,
    /// Part-way through a snapshot taken at `seq`: tickets with id above `after` remain.
    Snapshot {
        /// Sequence when the snapshot began; live changes resume after it.
        seq: i64,
        /// Last ticket id sent.
        after: i64,
        /// Scope fingerprint.
        fp: u64,
    },
    /// Caught up to `seq`.
    Live {
        /// Last sequence applied.
        seq: i64,
        /// Scope fingerprint.
        fp: u64,
    },
}

impl Cursor {
    /// The opaque text form.
    pub fn encode(self) -> String {
        let plain = match self {
            Cursor::Start => return String::new(),
            Cursor::Snapshot { seq, after, fp } => format!("s.{seq}.{after}.{fp:x}"),
            Cursor::Live { seq, fp } => format!("l.{seq}.{fp:x}"),
        };
        URL_SAFE_NO_PAD.encode(plain)
    }

    /// Parses a cursor this server issued; `None` for anything else.
    pub fn decode(text: &str) -> Option<Cursor> {
        if text.is_empty() {
            return Some(Cursor::Start);
        }
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        let plain = std::str::from_utf8(&bytes).ok()?;
        let parts: Vec<&str> = plain.split('.').collect();
        let num = |s: &str| s.parse::<i64>().ok().filter(|n| *n >= 0);
        let fp = |s: &str| u64::from_str_radix(s, 16).ok();
        match parts.as_slice() {
            ["s", seq, after, f] => Some(Cursor::Snapshot {
                seq: num(seq)?,
                after: num(after)?,
                fp: fp(f)?,
            }),
            ["l", seq, f] => Some(Cursor::Live {
                seq: num(seq)?,
                fp: fp(f)?,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn round_trips() {
        for c in [
            Cursor::Start,
            Cursor::Live {
                seq: 42,
                fp: u64::MAX,
            },
            Cursor::Snapshot {
                seq: 7,
                after: 1000,
                fp: 0,
            },
        ] {
            assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }
    }

    #[test]
    fn rejects_foreign_text() {
        for bad in [
            "x",
            "bC4x",
            "%%%",
            &URL_SAFE_NO_PAD.encode("l.-1.ff"),
            &URL_SAFE_NO_PAD.encode("l.1.zz"),
            &URL_SAFE_NO_PAD.encode("q.1.2"),
        ] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn decode_never_panics(s in ".{0,64}") {
            let _ = Cursor::decode(&s);
        }

        #[test]
        fn live_round_trip(seq in 0i64..i64::MAX, fp in any::<u64>()) {
            let c = Cursor::Live { seq, fp };
            prop_assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }
    }
}
