use super::*;

fn parse_all(chunks: &[&[u8]]) -> Vec<Event> {
    let mut parser = InputParser::default();
    let mut out = Vec::new();
    for chunk in chunks {
        parser.feed(chunk, &mut out);
    }
    out
}

fn k(code: KeyCode, modifiers: KeyModifiers) -> Event {
    key(code, modifiers)
}

#[test]
fn plain_keys_and_control_keys() {
    assert_eq!(
        parse_all(&[b"aZ\r\t\x7f\x03\x1b"]),
        vec![
            k(KeyCode::Char('a'), KeyModifiers::NONE),
            k(KeyCode::Char('Z'), KeyModifiers::SHIFT),
            k(KeyCode::Enter, KeyModifiers::NONE),
            k(KeyCode::Tab, KeyModifiers::NONE),
            k(KeyCode::Backspace, KeyModifiers::NONE),
            k(KeyCode::Char('c'), KeyModifiers::CONTROL),
            k(KeyCode::Esc, KeyModifiers::NONE),
        ]
    );
}

#[test]
fn utf8_split_between_reads_waits_for_the_rest() {
    let bytes = "é".as_bytes();
    assert_eq!(
        parse_all(&[&bytes[..1], &bytes[1..]]),
        vec![k(KeyCode::Char('é'), KeyModifiers::NONE)]
    );
}

#[test]
fn arrows_function_keys_and_modifiers() {
    assert_eq!(
        parse_all(&[b"\x1b[A\x1bOB\x1b[1;5C\x1b[3~\x1b[5~\x1b[15~\x1bOP\x1b[Z\x1bx"]),
        vec![
            k(KeyCode::Up, KeyModifiers::NONE),
            k(KeyCode::Down, KeyModifiers::NONE),
            k(KeyCode::Right, KeyModifiers::CONTROL),
            k(KeyCode::Delete, KeyModifiers::NONE),
            k(KeyCode::PageUp, KeyModifiers::NONE),
            k(KeyCode::F(5), KeyModifiers::NONE),
            k(KeyCode::F(1), KeyModifiers::NONE),
            k(KeyCode::BackTab, KeyModifiers::SHIFT),
            k(KeyCode::Char('x'), KeyModifiers::ALT),
        ]
    );
}

#[test]
fn a_sequence_split_between_reads_is_one_key() {
    assert_eq!(
        parse_all(&[b"\x1b[", b"1;2", b"D"]),
        vec![k(KeyCode::Left, KeyModifiers::SHIFT)]
    );
}

#[test]
fn bracketed_paste_arrives_whole_even_when_split() {
    assert_eq!(
        parse_all(&[b"\x1b[200~line one\r\nline", b" two\x1b[20", b"1~q"]),
        vec![
            Event::Paste("line one\nline two".to_string()),
            k(KeyCode::Char('q'), KeyModifiers::NONE),
        ]
    );
}

#[test]
fn a_huge_paste_is_cut_at_the_cap() {
    let body = vec![b'x'; MAX_PASTE + 10];
    let events = parse_all(&[b"\x1b[200~", &body, b"\x1b[201~"]);
    assert_eq!(events, vec![Event::Paste("x".repeat(MAX_PASTE))]);
}

#[test]
fn sgr_mouse_reports() {
    let events = parse_all(&[b"\x1b[<0;10;5M\x1b[<0;10;5m\x1b[<65;1;1M\x1b[<35;3;4M"]);
    let kinds: Vec<_> = events
        .iter()
        .map(|e| match e {
            Event::Mouse(m) => (m.kind, m.column, m.row),
            other => panic!("not a mouse event: {other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            (MouseEventKind::Down(MouseButton::Left), 9, 4),
            (MouseEventKind::Up(MouseButton::Left), 9, 4),
            (MouseEventKind::ScrollDown, 0, 0),
            (MouseEventKind::Moved, 2, 3),
        ]
    );
}

#[test]
fn unknown_sequences_are_skipped_and_noise_does_not_pile_up() {
    assert_eq!(
        parse_all(&[b"\x1b[99xa"]),
        vec![k(KeyCode::Char('a'), KeyModifiers::NONE)]
    );
    let mut parser = InputParser::default();
    let mut out = Vec::new();
    parser.feed(b"\x1b[", &mut out);
    parser.feed(&[b'1'; 200], &mut out);
    assert!(
        parser.pending.len() <= MAX_SEQUENCE + 1,
        "{}",
        parser.pending.len()
    );
}
