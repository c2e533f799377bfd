//! The composer as typed into: what it sends, what it asks before losing, and saved replies
//! inserted at the cursor.

use super::*;
use crate::tui::components::Component;
use crossterm::event::{KeyCode, KeyModifiers};

fn typed(c: &mut Composer, text: &str) {
    for ch in text.chars() {
        c.input(&KeyEvent::new(KeyCode::Char(ch), KeyModifiers::NONE));
    }
}

#[test]
fn sends_the_text_as_a_message_of_the_right_kind() {
    let mut c = Composer::new(12, true);
    assert_eq!(c.title(), "Internal note on #12 (staff only)");
    assert!(matches!(c.act(Action::Save), Composed::Editing));
    typed(&mut c, "hi");
    c.input(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    typed(&mut c, "there");
    match c.act(Action::Save) {
        Composed::Send(write) => {
            let Write::Message { ticket_id, input } = *write else {
                panic!("{write:?}");
            };
            assert_eq!(ticket_id, 12);
            assert_eq!(input.body, "hi\nthere");
            assert!(input.internal);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn escape_asks_before_losing_a_draft() {
    let mut c = Composer::new(3, false);
    assert!(matches!(c.act(Action::Close), Composed::Discarded));
    let mut c = Composer::new(3, false);
    typed(&mut c, "draft");
    assert!(matches!(c.act(Action::Close), Composed::Editing));
    assert_eq!(
        c.discard.question().map(Question::text),
        Some("Discard this reply?")
    );
    typed(&mut c, "zz");
    assert!(matches!(c.act(Action::Save), Composed::Editing));
    assert!(c.asking(), "other keys leave the question open");
    assert!(matches!(c.act(Action::Close), Composed::Editing));
    assert_eq!(c.body(), "draft", "no keeps the draft");
    assert!(!c.asking());
    c.act(Action::Close);
    assert!(matches!(c.act(Action::Confirm), Composed::Discarded));
}

#[test]
fn a_saved_reply_goes_in_at_the_cursor_filled_and_unknown_values_stay_visible() {
    let reply = SavedReply {
        id: 4,
        title: "Refund".into(),
        body: "Hi {first_name}, #{ticket_number} is refunded. {portal_url}".into(),
        owner_id: None,
    };
    let values = ReplyValues {
        contact_name: Some("Carla Rossi".into()),
        ticket_number: Some(7),
        ..ReplyValues::default()
    };
    let mut c = Composer::new(7, false).with_saved_replies(vec![reply], values);
    assert!(
        c.commands()
            .iter()
            .any(|k| k.action == Action::SavedReplies)
    );
    typed(&mut c, ">> ");
    c.act(Action::SavedReplies);
    assert_eq!(c.contexts(), &[Context::Palette]);
    typed(&mut c, "ref");
    assert_eq!(c.body(), ">> ", "typing goes to the picker's search");
    c.act(Action::Confirm);
    assert_eq!(c.body(), ">> Hi Carla, #7 is refunded. {portal_url}");
    assert_eq!(c.contexts(), &[Context::Composer]);
    assert!(
        c.text
            .search_pattern()
            .is_some_and(|p| p.is_match("{portal_url}")),
        "the unfilled placeholder is highlighted"
    );
}

#[test]
fn a_customer_composer_offers_no_saved_replies() {
    let mut c = Composer::new(7, false);
    assert!(
        !c.commands()
            .iter()
            .any(|k| k.action == Action::SavedReplies)
    );
    c.act(Action::SavedReplies);
    assert!(c.picker.is_none());
}
