use super::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn press(form: &mut Form<()>, code: KeyCode) -> bool {
    form.key(&KeyEvent::new(code, KeyModifiers::NONE))
}

fn form(typing: Typing) -> Form<()> {
    let mut fields = vec![
        Field::text("Name", "Ada"),
        Field::choice("Kind", vec!["a".into(), "b".into()], 0),
    ];
    fields.push(Field::new((), "Notes", Value::Lines(String::new())));
    Form::new(fields, typing)
}

#[test]
fn direct_typing_edits_text_moves_choices_and_tracks_edits() {
    let mut f = form(Typing::Direct);
    assert!(f.captures_text());
    assert!(press(&mut f, KeyCode::Char('!')));
    assert_eq!(f.text(0), "Ada!");
    assert!(f.is_edited());
    assert!(press(&mut f, KeyCode::Backspace));
    assert!(!f.is_edited(), "typing it back is no edit");
    f.move_focus(1);
    assert!(!f.captures_text());
    assert!(press(&mut f, KeyCode::Left));
    assert_eq!(f.choice(1), 1, "Left wraps to the last option");
    assert!(!f.paste("x"), "a choice takes no paste");
    f.move_focus(5);
    assert_eq!(f.focus, 2, "the focus stops at the last field");
    assert!(f.paste("one\r\ntwo"));
    assert!(press(&mut f, KeyCode::Enter));
    assert_eq!(f.fields[2].value.get(), "one\ntwo\n", "kept as typed");
    assert_eq!(f.cursor(), Some((2, 0)));
}

#[test]
fn on_edit_typing_waits_for_begin_and_cancel_puts_the_value_back() {
    let mut f = form(Typing::OnEdit);
    assert!(!press(&mut f, KeyCode::Char('x')), "not editing yet");
    assert!(f.begin_edit());
    assert!(f.paste(" b\nc"));
    assert_eq!(f.text(0), "Ada b c", "one line: the break is a space");
    assert_eq!(f.before_edit().text(0), "Ada");
    f.cancel();
    assert_eq!(f.text(0), "Ada");
    f.focus_on(2);
    assert!(f.begin_edit());
    assert!(f.typing_lines());
    assert!(press(&mut f, KeyCode::Char('z')));
    f.commit();
    assert_eq!(f.text(2), "z");
    f.focus_on(1);
    assert!(!f.begin_edit(), "a choice is not typed into");
}

#[test]
fn errors_belong_to_their_field() {
    let mut f: Form<&str> = Form::new(
        vec![Field::new("subject", "Subject", Value::text(""))],
        Typing::Direct,
    );
    f.set_errors(vec![("subject", "is required".into())]);
    assert_eq!(f.errors_of(&"subject").collect::<Vec<_>>(), ["is required"]);
    assert_eq!(f.errors_of(&"other").count(), 0);
    assert!(f.has_errors());
}
