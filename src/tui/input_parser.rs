//! Turns the bytes a remote terminal sends (over SSH) into the same events crossterm gives the
//! local app, whose parser is private to it: keys with their modifiers, arrows, function keys,
//! bracketed paste, SGR mouse reports and focus changes. A sequence split between two reads
//! waits for the rest; an escape at the very end of a read is the Esc key, since a terminal
//! sends each key sequence in one write.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

/// Longest unfinished escape sequence kept for the next read; anything longer is noise.
const MAX_SEQUENCE: usize = 64;
/// Most bytes one paste keeps (the rest of a larger paste is dropped, so a client cannot
/// grow the server's memory without bound).
pub const MAX_PASTE: usize = 256 * 1024;

const ESC: u8 = 0x1b;
const PASTE_END: &[u8] = b"\x1b[201~";

/// The parser of one terminal: holds an unfinished sequence and an open paste between reads.
#[derive(Debug, Default)]
pub struct InputParser {
    pending: Vec<u8>,
    paste: Option<Vec<u8>>,
}

/// What the bytes at the front of the buffer are.
enum Parsed {
    /// An event, and how many bytes it took.
    Event(Event, usize),
    /// Bytes that mean nothing to the app (an unknown sequence), skipped.
    Skip(usize),
    /// The start of a bracketed paste, and how many bytes its marker took.
    PasteStart(usize),
    /// A sequence that the next read completes.
    Incomplete,
}

impl InputParser {
    /// Parses `bytes`, appending the events they complete to `out`.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<Event>) {
        self.pending.extend_from_slice(bytes);
        let mut at = 0;
        while at < self.pending.len() {
            if let Some(paste) = &mut self.paste {
                let rest = &self.pending[at..];
                match find(rest, PASTE_END) {
                    Some(end) => {
                        take_paste_bytes(paste, &rest[..end]);
                        let text = String::from_utf8_lossy(paste).replace("\r\n", "\n");
                        out.push(Event::Paste(text.replace('\r', "\n")));
                        self.paste = None;
                        at += end + PASTE_END.len();
                    }
                    None => {
                        // Keep what could be the start of the end marker for the next read.
                        let keep = partial_suffix(rest, PASTE_END);
                        take_paste_bytes(paste, &rest[..rest.len() - keep]);
                        at = self.pending.len() - keep;
                        break;
                    }
                }
                continue;
            }
            match parse(&self.pending[at..]) {
                Parsed::Event(event, used) => {
                    out.push(event);
                    at += used;
                }
                Parsed::Skip(used) => at += used,
                Parsed::PasteStart(used) => {
                    self.paste = Some(Vec::new());
                    at += used;
                }
                Parsed::Incomplete => {
                    if self.pending.len() - at > MAX_SEQUENCE {
                        at += 1;
                        continue;
                    }
                    break;
                }
            }
        }
        self.pending.drain(..at);
    }
}

/// Adds `bytes` to an open paste, up to [`MAX_PASTE`].
fn take_paste_bytes(paste: &mut Vec<u8>, bytes: &[u8]) {
    let room = MAX_PASTE.saturating_sub(paste.len());
    paste.extend_from_slice(&bytes[..bytes.len().min(room)]);
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// How many bytes at the end of `bytes` begin `marker`.
fn partial_suffix(bytes: &[u8], marker: &[u8]) -> usize {
    (1..marker.len().min(bytes.len() + 1))
        .rev()
        .find(|&n| bytes.ends_with(&marker[..n]))
        .unwrap_or(0)
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, modifiers))
}

/// Parses the front of `bytes` (never empty).
fn parse(bytes: &[u8]) -> Parsed {
    match bytes[0] {
        ESC => match bytes.get(1) {
            None => Parsed::Event(key(KeyCode::Esc, KeyModifiers::NONE), 1),
            Some(b'[') => csi(bytes),
            Some(b'O') => match bytes.get(2) {
                None => Parsed::Incomplete,
                Some(&b) => match ss3_key(b) {
                    Some(code) => Parsed::Event(key(code, KeyModifiers::NONE), 3),
                    None => Parsed::Skip(3),
                },
            },
            Some(&ESC) => Parsed::Event(key(KeyCode::Esc, KeyModifiers::NONE), 1),
            Some(_) => match plain(&bytes[1..]) {
                Parsed::Event(Event::Key(mut k), used) => {
                    k.modifiers |= KeyModifiers::ALT;
                    Parsed::Event(Event::Key(k), used + 1)
                }
                Parsed::Incomplete => Parsed::Incomplete,
                _ => Parsed::Skip(1),
            },
        },
        _ => plain(bytes),
    }
}

/// A byte or UTF-8 character that is not an escape sequence.
fn plain(bytes: &[u8]) -> Parsed {
    let b = bytes[0];
    let control = |c: char| Parsed::Event(key(KeyCode::Char(c), KeyModifiers::CONTROL), 1);
    match b {
        b'\r' | b'\n' => Parsed::Event(key(KeyCode::Enter, KeyModifiers::NONE), 1),
        b'\t' => Parsed::Event(key(KeyCode::Tab, KeyModifiers::NONE), 1),
        0x7f | 0x08 => Parsed::Event(key(KeyCode::Backspace, KeyModifiers::NONE), 1),
        0x00 => control(' '),
        0x01..=0x1a => control(char::from(b - 0x01 + b'a')),
        0x1c..=0x1f => control(char::from(b - 0x1c + b'4')),
        ESC => Parsed::Skip(1),
        _ => {
            let len = match b {
                0x00..=0x7f => 1,
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => return Parsed::Skip(1),
            };
            if bytes.len() < len {
                return Parsed::Incomplete;
            }
            match std::str::from_utf8(&bytes[..len])
                .ok()
                .and_then(|s| s.chars().next())
            {
                Some(c) => {
                    let modifiers = if c.is_uppercase() {
                        KeyModifiers::SHIFT
                    } else {
                        KeyModifiers::NONE
                    };
                    Parsed::Event(key(KeyCode::Char(c), modifiers), len)
                }
                None => Parsed::Skip(1),
            }
        }
    }
}

fn ss3_key(b: u8) -> Option<KeyCode> {
    Some(match b {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P'..=b'S' => KeyCode::F(b - b'P' + 1),
        _ => return None,
    })
}

/// A control sequence: `ESC [`, parameters, intermediates and one final byte.
fn csi(bytes: &[u8]) -> Parsed {
    // X10 mouse reports (`ESC [ M` and three bytes) come only from terminals without SGR mode.
    if bytes.get(2) == Some(&b'M') {
        return if bytes.len() < 6 {
            Parsed::Incomplete
        } else {
            Parsed::Skip(6)
        };
    }
    let Some(end) = bytes.iter().skip(2).position(|b| (0x40..=0x7e).contains(b)) else {
        return Parsed::Incomplete;
    };
    let used = end + 3;
    let params = &bytes[2..used - 1];
    let last = bytes[used - 1];
    let Ok(params) = std::str::from_utf8(params) else {
        return Parsed::Skip(used);
    };
    if let Some(mouse) = params.strip_prefix('<') {
        return match sgr_mouse(mouse, last == b'm') {
            Some(event) => Parsed::Event(event, used),
            None => Parsed::Skip(used),
        };
    }
    let numbers: Vec<u16> = params.split(';').map(|p| p.parse().unwrap_or(0)).collect();
    let modifiers = numbers.get(1).map_or(KeyModifiers::NONE, |&m| modifiers(m));
    let code = match last {
        b'A' | b'B' | b'C' | b'D' | b'H' | b'F' | b'P' | b'Q' | b'R' | b'S' => ss3_key(last),
        b'Z' => return Parsed::Event(key(KeyCode::BackTab, KeyModifiers::SHIFT), used),
        b'I' => return Parsed::Event(Event::FocusGained, used),
        b'O' => return Parsed::Event(Event::FocusLost, used),
        b'~' => match numbers.first().copied().unwrap_or(0) {
            200 => return Parsed::PasteStart(used),
            1 | 7 => Some(KeyCode::Home),
            2 => Some(KeyCode::Insert),
            3 => Some(KeyCode::Delete),
            4 | 8 => Some(KeyCode::End),
            5 => Some(KeyCode::PageUp),
            6 => Some(KeyCode::PageDown),
            n @ 11..=15 => Some(KeyCode::F((n - 10) as u8)),
            n @ 17..=21 => Some(KeyCode::F((n - 11) as u8)),
            n @ 23..=24 => Some(KeyCode::F((n - 12) as u8)),
            _ => None,
        },
        _ => None,
    };
    match code {
        Some(code) => Parsed::Event(key(code, modifiers), used),
        None => Parsed::Skip(used),
    }
}

/// The modifiers of an xterm parameter (1 + shift 1, alt 2, control 4).
fn modifiers(param: u16) -> KeyModifiers {
    let bits = param.saturating_sub(1);
    let mut modifiers = KeyModifiers::NONE;
    if bits & 1 != 0 {
        modifiers |= KeyModifiers::SHIFT;
    }
    if bits & 2 != 0 {
        modifiers |= KeyModifiers::ALT;
    }
    if bits & 4 != 0 {
        modifiers |= KeyModifiers::CONTROL;
    }
    modifiers
}

/// An SGR mouse report `button;column;row` (1-based), ended by `M` or, for a release, `m`.
fn sgr_mouse(params: &str, released: bool) -> Option<Event> {
    let mut parts = params.split(';').map(|p| p.parse::<u16>().ok());
    let (Some(Some(code)), Some(Some(column)), Some(Some(row))) =
        (parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let button = match code & 0b11 {
        0 => MouseButton::Left,
        1 => MouseButton::Middle,
        _ => MouseButton::Right,
    };
    let kind = if code & 64 != 0 {
        match code & 0b11 {
            0 => MouseEventKind::ScrollUp,
            1 => MouseEventKind::ScrollDown,
            2 => MouseEventKind::ScrollLeft,
            _ => MouseEventKind::ScrollRight,
        }
    } else if code & 32 != 0 {
        if code & 0b11 == 3 {
            MouseEventKind::Moved
        } else {
            MouseEventKind::Drag(button)
        }
    } else if released {
        MouseEventKind::Up(button)
    } else {
        MouseEventKind::Down(button)
    };
    Some(Event::Mouse(MouseEvent {
        kind,
        column: column.saturating_sub(1),
        row: row.saturating_sub(1),
        // Shift 4, alt 8, control 16: the key parameter's bits, two places up.
        modifiers: modifiers(((code >> 2) & 0b111) + 1),
    }))
}

#[cfg(test)]
mod tests;
