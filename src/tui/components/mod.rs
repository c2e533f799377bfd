//! The panes and popups of the terminal app, behind one small trait. A component says which
//! keymap contexts it reads ([`Component::contexts`]) and which actions it offers right now
//! ([`Component::commands`]); that one list feeds the hint bar, the `?` help and the `:`
//! palette, so none of them can go stale.
//!
//! `panes/` holds the tabs of the main screen and the screens before it (sign-in, consent);
//! `popups/` what opens over a pane or the whole app (help, palette, conflicts, the yes/no
//! question); `widgets/` the pieces they draw with (list cursor, line input, tab bar, status
//! bar).

pub mod panes;
pub mod popups;
pub mod widgets;

use super::action::{Action, Command};
use super::keymap::{Context, KeyCombo, Keymap};
use super::msg::Done;
use super::theme::Theme;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};

/// What drawing needs besides the component itself.
#[derive(Debug, Clone, Copy)]
pub struct DrawCtx<'a> {
    pub theme: &'a Theme,
    /// Key bindings, for components that show keys.
    pub keymap: &'a Keymap,
    /// Whether the component has the keyboard focus.
    pub focused: bool,
}

/// What became of an action or key given to a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Not for this component; let the next context try.
    Ignored,
    /// Handled; the screen needs drawing again.
    Changed,
    /// Handled; the app must do something only it can.
    Request(Request),
}

/// Things a component asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Sign in with this email and password.
    SignIn { email: String, password: String },
    /// Email a password-less sign-in code to this address.
    RequestCode { email: String },
    /// Sign in with this email and the code emailed to it.
    SignInWithCode {
        email: String,
        /// The code from the email.
        code: String,
    },
    /// Show this in the status bar (until the next key).
    Notice(widgets::status_bar::Notice),
    /// Close the popup.
    Close,
    /// Close the popup and then perform this action.
    Run(Action),
    /// Quit the app.
    Quit,
    /// Continue this text in the external editor.
    Editor(crate::tui::editor::EditorJob),
}

/// A pane or popup.
pub trait Component {
    /// The keymap contexts this component reads, innermost first (global comes last on its
    /// own and is not listed).
    fn contexts(&self) -> &'static [Context];

    /// The actions the component offers right now, with what each does here.
    fn commands(&self) -> Vec<Command>;

    /// Applies an action.
    fn handle(&mut self, action: Action) -> Outcome;

    /// Whether a text field has the focus, so typed characters are text rather than keys.
    fn captures_text(&self) -> bool {
        false
    }

    /// Whether a yes/no question is open: it takes its answers, help and the palette, and
    /// leaves every other key unanswered (quit included, which would drop what it asks
    /// about), so the app offers nothing else of its own meanwhile.
    fn asking(&self) -> bool {
        false
    }

    /// Whether a popup, form or composer of the component holds every key, so the app's own
    /// keys (switching tabs) do nothing and are not offered.
    fn modal(&self) -> bool {
        false
    }

    /// What the pane leaves for the next start to draw before the whole cache is loaded
    /// (see `client::glance`); only the Tickets pane, the first one shown, leaves one.
    fn first_screen(&mut self) -> Option<crate::client::Glance> {
        None
    }

    /// A key no binding claimed (typing, Backspace, arrows in a field) or pasted text.
    fn input(&mut self, _key: &KeyEvent) -> Outcome {
        Outcome::Ignored
    }

    /// Text pasted into the terminal.
    fn paste(&mut self, _text: &str) -> Outcome {
        Outcome::Ignored
    }

    /// Takes the answer of background work this component started (see
    /// [`Tasks`](crate::tui::msg::Tasks)); an answer that is not its own is given back for
    /// the next component to look at.
    fn background(&mut self, done: Done) -> Option<Done> {
        Some(done)
    }

    /// The client's view changed (a sync brought someone else's change): a pane showing a
    /// copy of something loaded apart from the view loads it again.
    fn view_changed(&mut self) {}

    /// Scrolls by `rows` (negative: up), from the mouse wheel.
    fn scroll(&mut self, _rows: i32) -> Outcome {
        Outcome::Ignored
    }

    /// Draws the component into `area`.
    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>);
}

/// One line of help: the keys that trigger an action in the current context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The action.
    pub action: Action,
    /// What it does here, in the language of the moment it was listed.
    pub label: String,
    /// Its keys, innermost context first; empty when only the palette reaches it.
    pub keys: Vec<KeyCombo>,
}

/// The keys of `commands` as they really work in the context chain `chain` (innermost
/// first, then global): a key an inner context binds is not listed for an outer action, and
/// plain characters are left out while a text field takes them.
pub fn bindings(
    keymap: &Keymap,
    chain: &[Context],
    commands: &[Command],
    typing: bool,
) -> Vec<Binding> {
    let mut claimed: Vec<KeyCombo> = Vec::new();
    let mut effective: Vec<(KeyCombo, Action)> = Vec::new();
    for &context in chain.iter().chain(std::iter::once(&Context::Global)) {
        let mut here = Vec::new();
        for &action in context.actions() {
            for &key in keymap.keys(context, action) {
                if !(claimed.contains(&key) || typing && key.is_text()) {
                    here.push(key);
                    effective.push((key, action));
                }
            }
        }
        claimed.extend(here);
    }
    commands
        .iter()
        .map(|c| Binding {
            action: c.action,
            label: c.text(),
            keys: effective
                .iter()
                .filter(|(_, a)| *a == c.action)
                .map(|(k, _)| *k)
                .collect(),
        })
        .collect()
}

/// What a read-only pane says when an agent presses a key that would change something, so
/// the key is not silently dead; `why` says who may ("only admins change routing").
pub fn read_only_for_agents(why: &str) -> String {
    format!("Read-only for agents: {why}.")
}

/// A rectangle of at most `width`×`height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// Moves a selection index by `delta` within `len` rows, clamping at both ends.
pub fn step(selected: usize, delta: i64, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    let max = i64::try_from(len - 1).unwrap_or(i64::MAX);
    let now = i64::try_from(selected).unwrap_or(i64::MAX);
    usize::try_from(now.saturating_add(delta).clamp(0, max)).unwrap_or(0)
}

/// Drawing helpers shared by the components' unit tests.
/// How many rows `text` takes wrapped at word boundaries to `width` columns.
pub fn wrapped_rows(text: &str, width: usize) -> usize {
    let mut rows = 1;
    let mut used = 0;
    for word in text.split(' ').map(|w| w.chars().count()) {
        if used > 0 && used + 1 + word <= width {
            used += 1 + word;
            continue;
        }
        if used > 0 {
            rows += 1;
        }
        // A word longer than the width is broken over several rows.
        let extra = word.saturating_sub(1) / width;
        rows += extra;
        used = word - extra * width;
    }
    rows
}

#[cfg(test)]
pub(crate) mod test_draw {
    use super::DrawCtx;
    use crate::tui::keymap::Keymap;
    use crate::tui::theme::{Theme, ThemeChoice};
    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;
    use ratatui::{Frame, Terminal};

    /// What `draw` puts on a `width`×`height` screen, with the shipped theme and keymap.
    pub(crate) fn buffer(
        width: u16,
        height: u16,
        draw: impl FnOnce(&mut Frame, DrawCtx<'_>),
    ) -> Buffer {
        let theme = Theme::shipped(ThemeChoice::Default, false).unwrap();
        let keymap = Keymap::defaults().unwrap();
        let ctx = DrawCtx {
            theme: &theme,
            keymap: &keymap,
            focused: true,
        };
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|f| draw(f, ctx)).unwrap();
        terminal.backend().buffer().clone()
    }

    /// The text of each row of `buffer`.
    pub(crate) fn rows(buffer: &Buffer) -> Vec<String> {
        let area = buffer.area;
        (area.top()..area.bottom())
            .map(|y| {
                (area.left()..area.right())
                    .map(|x| buffer[(x, y)].symbol())
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(b: &Binding) -> Vec<String> {
        b.keys.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn inner_contexts_shadow_outer_keys_and_typing_hides_characters() {
        let keymap = Keymap::defaults().unwrap();
        let commands = [
            Command::new(Action::Confirm),
            Command::new(Action::NextField),
            Command::new(Action::Quit),
            Command::new(Action::NextTab),
        ];
        let found = bindings(&keymap, &[Context::SignIn], &commands, true);
        assert_eq!(keys(&found[0]), ["Enter"]);
        assert_eq!(keys(&found[1]), ["Tab"]);
        assert_eq!(keys(&found[2]), ["Ctrl-C"], "q types a letter in a field");
        assert!(found[3].keys.is_empty(), "Tab belongs to the sign-in form");
        let found = bindings(
            &keymap,
            &[Context::Tickets, Context::List],
            &commands[2..],
            false,
        );
        assert_eq!(keys(&found[0]), ["q", "Ctrl-C"]);
        assert_eq!(keys(&found[1]), ["Tab"]);
    }

    #[test]
    fn steps_clamp_at_both_ends() {
        assert_eq!(step(0, -1, 10), 0);
        assert_eq!(step(8, 5, 10), 9);
        assert_eq!(step(3, 1, 0), 0);
    }
}
