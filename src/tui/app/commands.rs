//! What the app offers where: the commands of the focused pane and the global ones, with the
//! keys they really have there — one source for the help popup, the palette and the hint bar.

use super::{App, Screen};
use crate::tui::action::{Action, Command};
use crate::tui::components::help::{Help, HelpGroup};
use crate::tui::components::palette::Palette;
use crate::tui::components::tabs::TabKind;
use crate::tui::components::{Binding, Component, bindings};

impl App {
    /// The commands of the screen's pane and those that work everywhere, with their keys,
    /// under the title of the pane.
    fn groups(&mut self) -> (String, Vec<HelpGroup>) {
        let global = self.global_commands();
        let (title, contexts, commands, typing) = match &mut self.screen {
            Screen::SignIn(s) => (
                "Sign in".to_string(),
                s.contexts(),
                s.commands(),
                s.captures_text(),
            ),
            Screen::Consent(c) => (
                "Consent notice".to_string(),
                c.notice.contexts(),
                c.notice.commands(),
                c.notice.captures_text(),
            ),
            Screen::Main(m) => {
                let title = m.title();
                let pane = m.pane();
                (
                    title,
                    pane.contexts(),
                    pane.commands(),
                    pane.captures_text(),
                )
            }
        };
        let keymap = &self.config.keymap;
        let groups = vec![
            HelpGroup {
                title: title.clone(),
                bindings: bindings(keymap, contexts, &commands, typing),
            },
            HelpGroup {
                title: "Everywhere".to_string(),
                bindings: bindings(keymap, contexts, &global, typing),
            },
        ];
        (title, groups)
    }

    pub(super) fn help(&mut self) -> Help {
        let (title, groups) = self.groups();
        Help::new(&title, groups)
    }

    pub(super) fn palette(&mut self) -> Palette {
        let (_, groups) = self.groups();
        Palette::new(
            groups
                .into_iter()
                .flat_map(|g| g.bindings)
                .filter(|b| b.action != Action::Palette)
                .collect(),
        )
    }

    /// The app's own commands. While the pane's popup, form or composer holds the keys, only
    /// help, the palette and quit get past it, so only those are offered.
    fn global_commands(&mut self) -> Vec<Command> {
        let mut commands = Vec::new();
        let modal = match &mut self.screen {
            Screen::Main(main) => main.pane().modal(),
            Screen::SignIn(_) | Screen::Consent(_) => false,
        };
        let main = match &self.screen {
            Screen::Main(main) if !modal => Some(main),
            _ => None,
        };
        if let Some(main) = main {
            if main.client().view().status.conflicts > 0 {
                commands.push(Command::new(Action::Conflicts));
            }
            commands.extend(main.tab_commands());
        }
        // The sign-in form takes `:` as text and binds the palette's other key, so there
        // the palette cannot be opened and is not offered.
        let palette = !matches!(&self.screen, Screen::SignIn(s) if s.captures_text());
        commands.push(Command::new(Action::Help));
        if palette {
            commands.push(Command::new(Action::Palette));
        }
        commands.push(Command::new(Action::Quit));
        if main.is_some() {
            commands.push(Command::new(Action::SignOut));
        }
        commands
    }

    /// The hint bar's bindings: the popup's, or the pane's followed by the global ones.
    pub(super) fn hints(&mut self) -> Vec<Binding> {
        if let Some(overlay) = &mut self.overlay {
            let c = overlay.component();
            return bindings(
                &self.config.keymap,
                c.contexts(),
                &c.commands(),
                c.captures_text(),
            );
        }
        let (_, groups) = self.groups();
        groups
            .into_iter()
            .flat_map(|g| g.bindings)
            .filter(|b| {
                !matches!(
                    b.action,
                    Action::Tab1 | Action::Tab2 | Action::Tab3 | Action::PrevTab
                )
            })
            .collect()
    }
}

/// The action that shows tab `kind`.
pub fn tab_label(kind: TabKind) -> &'static str {
    match kind {
        TabKind::Tickets => "go to Tickets",
        TabKind::Routing => "go to Routing",
        TabKind::Portal => "go to Portal",
        TabKind::Account => "go to Account",
    }
}
