//! What a user can ask the terminal app to do. Keys map to these through the keymap; the help
//! popup, the hint bar and the command palette all list them, so they share one vocabulary.

use super::config_file::by_name;
use super::i18n::t;
use std::fmt;
use std::str::FromStr;

/// Declares [`Action`] from one table, so the enum, [`Action::ALL`] and [`Action::name`]
/// cannot drift apart: each row is a variant and its keymap name (its generic description is
/// the catalogue's `action-<name>` message).
macro_rules! actions {
    ($($(#[$doc:meta])* $variant:ident = $name:literal;)*) => {
        /// A user's request, independent of the key that produced it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($(#[$doc])* $variant,)*
        }

        impl Action {
            /// Every action, in the order help and the palette list them.
            pub const ALL: [Action; [$($name),*].len()] = [$(Action::$variant),*];

            /// The name used in keymap.toml.
            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }
        }
    };
}

actions! {
    /// Leave the app.
    Quit = "quit";
    /// Open the help popup.
    Help = "help";
    /// Open the command palette.
    Palette = "palette";
    /// Show the next tab.
    NextTab = "next_tab";
    /// Show the previous tab.
    PrevTab = "prev_tab";
    /// Show the first tab.
    Tab1 = "tab_1";
    /// Show the second tab.
    Tab2 = "tab_2";
    /// Show the third tab.
    Tab3 = "tab_3";
    /// Show the fourth tab.
    Tab4 = "tab_4";
    /// Move the selection down one row.
    Down = "down";
    /// Move the selection up one row.
    Up = "up";
    /// Jump to the first row.
    Top = "top";
    /// Jump to the last row.
    Bottom = "bottom";
    /// Move down one screen.
    PageDown = "page_down";
    /// Move up one screen.
    PageUp = "page_up";
    /// Focus the next input field.
    NextField = "next_field";
    /// Focus the previous input field.
    PrevField = "prev_field";
    /// Accept: sign in, run the chosen command.
    Confirm = "confirm";
    /// Close the popup.
    Close = "close";
    /// Type a filter over the list.
    Filter = "filter";
    /// Show the next saved view of the list.
    NextQueue = "next_queue";
    /// Show the previous saved view of the list.
    PrevQueue = "prev_queue";
    /// Sort by the next column.
    SortNext = "sort_next";
    /// Reverse the sort.
    SortReverse = "sort_reverse";
    /// Show or hide the preview beside the list.
    TogglePreview = "toggle_preview";
    /// Assign the selected ticket to me.
    AssignMe = "assign_me";
    /// Close or reopen the selected ticket.
    ToggleClosed = "toggle_closed";
    /// Choose the selected ticket's stage.
    SetStage = "set_stage";
    /// Choose the selected ticket's priority.
    SetPriority = "set_priority";
    /// Choose who owns the selected (or marked) tickets.
    Assign = "assign";
    /// Set the selected ticket's category.
    SetCategory = "set_category";
    /// Edit the selected ticket's tags.
    SetTags = "set_tags";
    /// Mark or unmark the selected row for a bulk change.
    Mark = "mark";
    /// Mark the rows from the last mark to the selected one.
    MarkRange = "mark_range";
    /// Mark every row shown (or clear the marks when all are marked).
    MarkAll = "mark_all";
    /// Move the selected item down in an ordered list.
    MoveDown = "move_down";
    /// Move the selected item up in an ordered list.
    MoveUp = "move_up";
    /// Switch the selected item (or the focused choice) to its next state.
    Toggle = "toggle";
    /// Create a new item.
    New = "new";
    /// Edit the selected item.
    Edit = "edit";
    /// Delete the selected item.
    Delete = "delete";
    /// Try something out (the routing tester).
    Try = "try";
    /// Save the editor's changes.
    Save = "save";
    /// Make the selected item the default.
    MakeDefault = "make_default";
    /// See the selected contact's ticket list as they see it.
    ViewAs = "view_as";
    /// Go to the next step or section of a multi-part form.
    NextStep = "next_step";
    /// Go back to the previous step or section of a multi-part form.
    PrevStep = "prev_step";
    /// Throw away unsaved changes (or, in a conflict, keep the server's version).
    Revert = "revert";
    /// Write a reply on the selected ticket.
    Reply = "reply";
    /// Write an internal note on the selected ticket (staff).
    Note = "note";
    /// List the contacts who can see the selected ticket, and why (staff).
    WhoCanSee = "who_can_see";
    /// Choose the contacts copied on the selected ticket (staff).
    EditCcs = "edit_ccs";
    /// Show the mails the selected ticket came in, whole as received (staff).
    ShowOriginal = "show_original";
    /// Continue the text being written in `$EDITOR`.
    ExternalEditor = "external_editor";
    /// Insert a saved reply at the cursor, its placeholders filled (staff).
    SavedReplies = "saved_replies";
    /// Manage saved replies: new, edit, delete, share (staff).
    ManageSavedReplies = "manage_saved_replies";
    /// Sign out: end the session on the server and forget it here.
    SignOut = "sign_out";
    /// Sign out everywhere: end every session of the account (other devices too).
    SignOutEverywhere = "sign_out_everywhere";
    /// Change the account's password.
    ChangePassword = "change_password";
    /// Choose the language the app speaks (staff: automatic or a shipped language).
    ChooseLanguage = "choose_language";
    /// Show the changes that conflict with someone else's, to settle them.
    Conflicts = "conflicts";
    /// Accept (the consent notice).
    Accept = "accept";
    /// Decline (the consent notice), which signs out.
    Decline = "decline";
    /// Email a password-less sign-in code to the address typed on the sign-in screen.
    RequestCode = "request_code";
    /// Try the selected failed item again (a mail of the queue).
    Retry = "retry";
}

impl Action {
    /// A short description for hints, help and the palette in the current language, used when
    /// the pane offering the action has no more specific one.
    pub fn describe(self) -> String {
        t(&format!("action-{}", self.name()))
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Action {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let named = Action::ALL.map(|a| (a.name(), a));
        by_name(&named, s)
            .map_err(|names| format!("unknown action \"{s}\"; the actions are: {names}"))
    }
}

impl<'de> serde::Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// What a command says it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    /// The action's generic description.
    Generic,
    /// Fixed English text (the staff-only panes, not yet in the catalogue).
    English(&'static str),
    /// A catalogue message, by id.
    Message(&'static str),
}

/// One entry of a pane's command list: an action it handles right now and what it does there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    /// The action.
    pub action: Action,
    label: Label,
}

impl Command {
    /// A command with the action's generic description.
    pub fn new(action: Action) -> Self {
        Command {
            action,
            label: Label::Generic,
        }
    }

    /// A command with a pane-specific description in English (staff-only panes).
    pub fn labelled(action: Action, label: &'static str) -> Self {
        Command {
            action,
            label: Label::English(label),
        }
    }

    /// A command with a pane-specific description: catalogue message `id`.
    pub fn worded(action: Action, id: &'static str) -> Self {
        Command {
            action,
            label: Label::Message(id),
        }
    }

    /// What it does in this pane ("sign in", "next tab"), in the current language.
    pub fn text(&self) -> String {
        match self.label {
            Label::Generic => self.action.describe(),
            Label::English(text) => text.to_string(),
            Label::Message(id) => t(id),
        }
    }
}
