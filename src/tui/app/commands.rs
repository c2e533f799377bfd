//! What the app offers where: the commands of the focused pane and the global ones, with the
//! keys they really have there — one source for the help popup, the palette and the hint bar.

use super::{App, Screen};
use crate::tui::action::{Action, Command};
use crate::tui::components::popups::help::{Help, HelpGroup};
use crate::tui::components::popups::palette::Palette;
use crate::tui::components::widgets::tabs::TabKind;
use crate::tui::components::{Binding, Component, bindings};
use crate::tui::i18n::t;
use crate::tui::keymap::Context;

impl App {
    /// The commands of the screen's pane and those that work everywhere, with their keys,
    /// under the title of the pane.
    fn groups(&mut self) -> (String, Vec<HelpGroup>) {
        let global = self.global_commands();
        let (title, contexts, commands, typing) = match &mut self.screen {
            Screen::SignIn(s) => (
                t("help-sign-in"),
                s.contexts(),
                s.commands(),
                s.captures_text(),
            ),
            Screen::Consent(c) => (
                t("help-consent"),
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
        // An action the pane offers itself (the Account pane's sign-out) is listed once, there.
        let global: Vec<Command> = global
            .into_iter()
            .filter(|g| commands.iter().all(|c| c.action != g.action))
            .collect();
        let keymap = &self.config.keymap;
        let groups = vec![
            HelpGroup {
                title: title.clone(),
                bindings: bindings(keymap, contexts, &commands, typing),
            },
            HelpGroup {
                title: t("help-everywhere"),
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

    /// The app's own commands: every action of the keymap's `[global]` section that works on
    /// this screen (so a global key is never missing from help and the palette), in the
    /// hint bar's order. While the pane's popup, form or composer holds the keys, only help,
    /// the palette and quit get past it, so only those are offered; while it asks a yes/no
    /// question, quit does not get past either.
    fn global_commands(&mut self) -> Vec<Command> {
        let (modal, asking) = match &mut self.screen {
            Screen::Main(main) => (main.pane().modal(), main.pane().asking()),
            Screen::SignIn(_) | Screen::Consent(_) => (false, false),
        };
        let main = match &self.screen {
            Screen::Main(main) if !modal => Some(main),
            _ => None,
        };
        let conflicts = main.is_some() && self.has_conflicts();
        let tabs = main.map(|m| m.tab_commands()).unwrap_or_default();
        // The sign-in form takes `:` as text and binds the palette's other key, so there
        // the palette cannot be opened and is not offered.
        let palette = !matches!(&self.screen, Screen::SignIn(s) if s.captures_text());
        let mut actions: Vec<Action> = Context::Global.actions().to_vec();
        actions.sort_by_key(|a| global_rank(*a, conflicts));
        actions
            .into_iter()
            .filter_map(|action| match action {
                Action::Palette if !palette => None,
                Action::Quit if asking => None,
                Action::Help | Action::Palette | Action::Quit => Some(Command::new(action)),
                _ if main.is_none() => None,
                Action::NextTab
                | Action::PrevTab
                | Action::Tab1
                | Action::Tab2
                | Action::Tab3
                | Action::Tab4 => tabs.iter().find(|c| c.action == action).copied(),
                _ => Some(Command::new(action)),
            })
            .collect()
    }

    /// The actions `?` help and the `:` palette list right now, in their order (the palette
    /// leaves out itself).
    pub fn offered(&mut self) -> (Vec<Action>, Vec<Action>) {
        let help = self
            .help()
            .groups()
            .iter()
            .flat_map(|g| &g.bindings)
            .map(|b| b.action)
            .collect();
        (help, self.palette().actions())
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
        let conflicts = self.has_conflicts();
        groups
            .into_iter()
            .flat_map(|g| g.bindings)
            .filter(|b| {
                !matches!(
                    b.action,
                    Action::Tab1 | Action::Tab2 | Action::Tab3 | Action::Tab4 | Action::PrevTab
                )
            })
            .filter(|b| b.action != Action::Conflicts || conflicts)
            .collect()
    }

    fn has_conflicts(&self) -> bool {
        match &self.screen {
            Screen::Main(main) => main.client().view().status.conflicts > 0,
            Screen::SignIn(_) | Screen::Consent(_) => false,
        }
    }
}

/// Where a global action goes in the hint bar: conflicts first while there are some (last
/// otherwise, and then left out of the hint bar), then the tabs, help, the palette, quit and
/// signing out; an action added to `[global]` later still gets listed, at the end.
fn global_rank(action: Action, conflicts: bool) -> usize {
    const ORDER: [Action; 10] = [
        Action::NextTab,
        Action::PrevTab,
        Action::Tab1,
        Action::Tab2,
        Action::Tab3,
        Action::Tab4,
        Action::Help,
        Action::Palette,
        Action::Quit,
        Action::SignOut,
    ];
    match action {
        Action::Conflicts if conflicts => 0,
        _ => ORDER
            .iter()
            .position(|a| *a == action)
            .map_or(ORDER.len() + 1, |at| at + 1),
    }
}

/// The catalogue message naming the action that shows tab `kind`.
pub fn tab_label(kind: TabKind) -> &'static str {
    match kind {
        TabKind::Tickets => "go-tickets",
        TabKind::Routing => "go-routing",
        TabKind::Portal => "go-portal",
        TabKind::Account => "go-account",
    }
}
