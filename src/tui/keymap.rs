//! Key bindings: which key triggers which [`Action`] in which [`Context`], loaded from the
//! shipped `assets/keymap.toml` with the user's `keymap.toml` on top.

use super::action::Action;
use super::config_file::{ConfigError, by_name, read_optional};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use toml::Spanned;

mod combo;

pub use combo::KeyCombo;

/// The keymap shipped with deskport.
pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// Where a key is looked up: a popup, a pane, the keys shared by lists, or everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Keys that work everywhere.
    Global,
    /// Keys shared by every list pane.
    List,
    /// The sign-in screen.
    SignIn,
    /// The tickets pane.
    Tickets,
    /// The routing pane.
    Routing,
    /// The routing pane's editors and tester.
    RoutingForm,
    /// The Tickets pane's editors: the reply composer and the support form.
    Composer,
    /// The portal settings pane.
    Portal,
    /// A portal setting's text while it is being edited.
    PortalField,
    /// The Portal pane's Mail section: the queue, the quarantine and the template editor.
    PortalMail,
    /// The customer's account pane.
    Account,
    /// The Account pane's change-password form.
    AccountForm,
    /// The help popup.
    Help,
    /// The command palette.
    Palette,
    /// The dialog that settles conflicting changes.
    Conflict,
    /// The consent notice a customer must answer before going on.
    Consent,
    /// A yes/no question (see `components::popups::confirm`), the same in every pane.
    Confirm,
    /// The saved-reply manager over the Tickets pane.
    SavedReplies,
}

impl Context {
    /// Every context, in keymap.toml order.
    pub const ALL: [Context; 18] = [
        Context::Global,
        Context::List,
        Context::SignIn,
        Context::Tickets,
        Context::Routing,
        Context::RoutingForm,
        Context::Composer,
        Context::Portal,
        Context::PortalField,
        Context::PortalMail,
        Context::Account,
        Context::AccountForm,
        Context::Help,
        Context::Palette,
        Context::Conflict,
        Context::Consent,
        Context::Confirm,
        Context::SavedReplies,
    ];

    /// The section name in keymap.toml.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::SignIn => "signin",
            Context::Tickets => "tickets",
            Context::Routing => "routing",
            Context::RoutingForm => "routing_form",
            Context::Composer => "composer",
            Context::Portal => "portal",
            Context::PortalField => "portal_field",
            Context::PortalMail => "portal_mail",
            Context::Account => "account",
            Context::AccountForm => "account_form",
            Context::Help => "help",
            Context::Palette => "palette",
            Context::Conflict => "conflict",
            Context::Consent => "consent",
            Context::Confirm => "confirm",
            Context::SavedReplies => "saved_replies",
        }
    }

    /// The actions that mean something in this context.
    pub fn actions(self) -> &'static [Action] {
        use Action::*;
        match self {
            Context::Global => &[
                Quit,
                Help,
                Palette,
                NextTab,
                PrevTab,
                Tab1,
                Tab2,
                Tab3,
                Tab4,
                SignOut,
                SignOutEverywhere,
                Conflicts,
            ],
            Context::List => &[Down, Up, Top, Bottom, PageDown, PageUp],
            Context::SignIn => &[
                Down,
                Up,
                NextField,
                PrevField,
                Confirm,
                RequestCode,
                Close,
                Quit,
            ],
            Context::Tickets => &[
                Filter,
                NextQueue,
                PrevQueue,
                SortNext,
                SortReverse,
                TogglePreview,
                AssignMe,
                ToggleClosed,
                SetStage,
                SetPriority,
                Assign,
                SetCategory,
                SetTags,
                Mark,
                MarkRange,
                MarkAll,
                Reply,
                Note,
                WhoCanSee,
                EditCcs,
                ShowOriginal,
                ManageSavedReplies,
                New,
                Confirm,
                Close,
            ],
            Context::Routing => &[
                MoveDown,
                MoveUp,
                Toggle,
                New,
                Edit,
                Delete,
                Try,
                MakeDefault,
            ],
            Context::RoutingForm => &[NextField, PrevField, Toggle, New, Delete, Try, Save, Close],
            Context::Composer => &[
                NextField,
                PrevField,
                Save,
                Close,
                ExternalEditor,
                SavedReplies,
            ],
            Context::Portal => &[
                Down, Up, Confirm, Toggle, Save, NextStep, PrevStep, Revert, New, Delete, MoveDown,
                MoveUp, ViewAs, Close,
            ],
            Context::PortalField => &[Confirm, NextField, PrevField, Save, Close],
            Context::PortalMail => &[
                Down, Up, NextQueue, PrevQueue, Retry, Accept, Decline, Confirm, Toggle, Save,
                Revert, NextStep, PrevStep, Close,
            ],
            Context::Account => &[
                ChangePassword,
                ChooseLanguage,
                New,
                Delete,
                SignOut,
                SignOutEverywhere,
            ],
            Context::AccountForm => &[Confirm, NextField, PrevField, Close],
            Context::Help => &[Close, Down, Up, PageDown, PageUp],
            Context::Palette => &[Close, Confirm, Down, Up],
            Context::Conflict => &[Revert, Save, Close, Down, Up],
            Context::Consent => &[Accept, Decline, Down, Up, PageDown, PageUp],
            Context::Confirm => &[Confirm, Close],
            Context::SavedReplies => &[New, Edit, Delete, Toggle, Close],
        }
    }
}

impl<'de> Deserialize<'de> for Context {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let named = Context::ALL.map(|c| (c.name(), c));
        by_name(&named, &s).map_err(|names| {
            serde::de::Error::custom(format!("unknown section [{s}]; the sections are: {names}"))
        })
    }
}

type RawKeymap = BTreeMap<Context, BTreeMap<Spanned<Action>, Vec<KeyCombo>>>;

/// The key bindings of every context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: BTreeMap<Context, BTreeMap<Action, Vec<KeyCombo>>>,
}

impl Keymap {
    /// The shipped keymap with the user's file (if any) on top.
    pub fn load(user_file: &Path) -> Result<Self, ConfigError> {
        let mut keymap = Self::defaults()?;
        if let Some(text) = read_optional(user_file)? {
            keymap.merge(user_file, &text)?;
        }
        Ok(keymap)
    }

    /// The shipped keymap alone.
    pub fn defaults() -> Result<Self, ConfigError> {
        let mut keymap = Keymap {
            bindings: BTreeMap::new(),
        };
        keymap.merge(Path::new("assets/keymap.toml (built in)"), DEFAULT_KEYMAP)?;
        Ok(keymap)
    }

    /// Applies the bindings in `text`: an action listed there gets exactly those keys in its
    /// section, and a key it takes is taken away from any other action of that section.
    fn merge(&mut self, file: &Path, text: &str) -> Result<(), ConfigError> {
        let raw: RawKeymap =
            toml::from_str(text).map_err(|e| ConfigError::parse(file, text, &e))?;
        for (context, actions) in raw {
            let section = self.bindings.entry(context).or_default();
            let mut taken: HashMap<KeyCombo, Action> = HashMap::new();
            for (spanned, keys) in actions {
                let action = *spanned.get_ref();
                if !context.actions().contains(&action) {
                    let offered: Vec<&str> = context.actions().iter().map(|a| a.name()).collect();
                    let offered = if offered.is_empty() {
                        "none yet".to_string()
                    } else {
                        offered.join(", ")
                    };
                    return Err(ConfigError::at(
                        file,
                        text,
                        spanned.span().start,
                        format!(
                            "[{}] has no action \"{action}\"; its actions are: {offered}",
                            context.name()
                        ),
                    ));
                }
                for key in &keys {
                    if let Some(other) = taken.insert(*key, action) {
                        return Err(ConfigError::at(
                            file,
                            text,
                            spanned.span().start,
                            format!(
                                "key \"{key}\" is bound to both \"{other}\" and \"{action}\" in [{}]",
                                context.name()
                            ),
                        ));
                    }
                }
                section.insert(action, keys);
            }
            for (action, keys) in section.iter_mut() {
                keys.retain(|k| taken.get(k).is_none_or(|owner| owner == action));
            }
        }
        Ok(())
    }

    /// The action `key` triggers in `context`, if any.
    pub fn action(&self, context: Context, key: KeyCombo) -> Option<Action> {
        self.bindings
            .get(&context)?
            .iter()
            .find(|(_, keys)| keys.contains(&key))
            .map(|(action, _)| *action)
    }

    /// The keys bound to `action` in `context`, in keymap order.
    pub fn keys(&self, context: Context, action: Action) -> &[KeyCombo] {
        self.bindings
            .get(&context)
            .and_then(|s| s.get(&action))
            .map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn key(s: &str) -> KeyCombo {
        s.parse().unwrap()
    }

    #[test]
    fn defaults_parse_and_bind_the_documented_keys() {
        let km = Keymap::defaults().unwrap();
        assert_eq!(km.action(Context::Global, key("q")), Some(Action::Quit));
        assert_eq!(
            km.action(Context::Global, key("ctrl-c")),
            Some(Action::Quit)
        );
        assert_eq!(km.action(Context::Global, key("?")), Some(Action::Help));
        assert_eq!(km.action(Context::Global, key(":")), Some(Action::Palette));
        assert_eq!(
            km.action(Context::Global, key("tab")),
            Some(Action::NextTab)
        );
        assert_eq!(km.action(Context::Global, key("2")), Some(Action::Tab2));
        assert_eq!(km.action(Context::List, key("G")), Some(Action::Bottom));
        assert_eq!(km.action(Context::List, key("down")), Some(Action::Down));
    }

    #[test]
    fn terminal_events_normalise_to_the_parsed_keys() {
        let shifted = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(KeyCombo::from_event(&shifted), key("?"));
        let backtab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(KeyCombo::from_event(&backtab), key("shift-tab"));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(KeyCombo::from_event(&ctrl_c), key("Ctrl-C"));
        assert_eq!(key("ctrl-c").to_string(), "Ctrl-C");
        assert_eq!(key("backtab").to_string(), "Shift-Tab");
    }

    #[test]
    fn user_bindings_replace_an_action_and_steal_its_keys() {
        let mut km = Keymap::defaults().unwrap();
        km.merge(Path::new("keymap.toml"), "[list]\ntop = [\"j\"]\n")
            .unwrap();
        assert_eq!(km.action(Context::List, key("j")), Some(Action::Top));
        assert_eq!(km.keys(Context::List, Action::Down), &[key("down")]);
        assert_eq!(km.action(Context::List, key("g")), None);
    }

    #[test]
    fn bad_files_name_the_file_and_line() {
        let mut km = Keymap::defaults().unwrap();
        let cases = [
            "[global]\n\nquit = [\"nosuchkey\"]\n",
            "[global]\n\nfly = [\"x\"]\n",
            "[global]\n\nconfirm = [\"x\"]\n",
            "[nowhere]\n\nquit = [\"x\"]\n",
            "[global]\n\nquit = [\"x\", \"x\"\n",
            "[list]\nup = [\"x\"]\ndown = [\"x\"]\n",
        ];
        for text in cases {
            let err = km
                .merge(Path::new("/cfg/keymap.toml"), text)
                .unwrap_err()
                .to_string();
            assert!(err.contains("/cfg/keymap.toml"), "{err}");
            assert!(err.contains("line "), "{err}");
        }
    }
}
