//! What a user can ask the terminal app to do. Keys map to these through the keymap; the help
//! popup, the hint bar and the command palette all list them, so they share one vocabulary.

use super::config_file::by_name;
use std::fmt;
use std::str::FromStr;

/// Declares [`Action`] from one table, so the enum, [`Action::ALL`], [`Action::name`] and
/// [`Action::describe`] cannot drift apart: each row is a variant, its keymap name and its
/// generic description.
macro_rules! actions {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, $describe:literal;)*) => {
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

            /// A short description for hints, help and the palette, used when the pane
            /// offering the action has no more specific one.
            pub fn describe(self) -> &'static str {
                match self {
                    $(Action::$variant => $describe,)*
                }
            }
        }
    };
}

actions! {
    /// Leave the app.
    Quit = "quit", "quit";
    /// Open the help popup.
    Help = "help", "help";
    /// Open the command palette.
    Palette = "palette", "commands";
    /// Show the next tab.
    NextTab = "next_tab", "next tab";
    /// Show the previous tab.
    PrevTab = "prev_tab", "previous tab";
    /// Show the first tab.
    Tab1 = "tab_1", "first tab";
    /// Show the second tab.
    Tab2 = "tab_2", "second tab";
    /// Show the third tab.
    Tab3 = "tab_3", "third tab";
    /// Move the selection down one row.
    Down = "down", "down";
    /// Move the selection up one row.
    Up = "up", "up";
    /// Jump to the first row.
    Top = "top", "first";
    /// Jump to the last row.
    Bottom = "bottom", "last";
    /// Move down one screen.
    PageDown = "page_down", "page down";
    /// Move up one screen.
    PageUp = "page_up", "page up";
    /// Focus the next input field.
    NextField = "next_field", "next field";
    /// Focus the previous input field.
    PrevField = "prev_field", "previous field";
    /// Accept: sign in, run the chosen command.
    Confirm = "confirm", "confirm";
    /// Close the popup.
    Close = "close", "close";
    /// Type a filter over the list.
    Filter = "filter", "filter";
    /// Show the next saved view of the list.
    NextQueue = "next_queue", "next view";
    /// Show the previous saved view of the list.
    PrevQueue = "prev_queue", "previous view";
    /// Sort by the next column.
    SortNext = "sort_next", "sort by next column";
    /// Reverse the sort.
    SortReverse = "sort_reverse", "reverse sort";
    /// Show or hide the preview beside the list.
    TogglePreview = "toggle_preview", "toggle preview";
    /// Assign the selected ticket to me.
    AssignMe = "assign_me", "assign to me";
    /// Close or reopen the selected ticket.
    ToggleClosed = "toggle_closed", "close or reopen";
    /// Choose the selected ticket's stage.
    SetStage = "set_stage", "set stage";
    /// Choose the selected ticket's priority.
    SetPriority = "set_priority", "set priority";
    /// Choose who owns the selected (or marked) tickets.
    Assign = "assign", "assign";
    /// Set the selected ticket's category.
    SetCategory = "set_category", "set category";
    /// Edit the selected ticket's tags.
    SetTags = "set_tags", "edit tags";
    /// Mark or unmark the selected row for a bulk change.
    Mark = "mark", "mark";
    /// Mark the rows from the last mark to the selected one.
    MarkRange = "mark_range", "mark range";
    /// Mark every row shown (or clear the marks when all are marked).
    MarkAll = "mark_all", "mark all shown";
    /// Move the selected item down in an ordered list.
    MoveDown = "move_down", "move down";
    /// Move the selected item up in an ordered list.
    MoveUp = "move_up", "move up";
    /// Switch the selected item (or the focused choice) to its next state.
    Toggle = "toggle", "switch";
    /// Create a new item.
    New = "new", "new";
    /// Edit the selected item.
    Edit = "edit", "edit";
    /// Delete the selected item.
    Delete = "delete", "delete";
    /// Try something out (the routing tester).
    Try = "try", "try out";
    /// Save the editor's changes.
    Save = "save", "save";
    /// Make the selected item the default.
    MakeDefault = "make_default", "make default";
    /// See the selected contact's ticket list as they see it.
    ViewAs = "view_as", "view as contact";
    /// Go to the next step or section of a multi-part form.
    NextStep = "next_step", "next step";
    /// Go back to the previous step or section of a multi-part form.
    PrevStep = "prev_step", "previous step";
    /// Throw away unsaved changes (or, in a conflict, keep the server's version).
    Revert = "revert", "discard changes";
    /// Write a reply on the selected ticket.
    Reply = "reply", "reply";
    /// Write an internal note on the selected ticket (staff).
    Note = "note", "internal note";
    /// List the contacts who can see the selected ticket, and why (staff).
    WhoCanSee = "who_can_see", "who can see this ticket";
    /// Choose the contacts copied on the selected ticket (staff).
    EditCcs = "edit_ccs", "CCs";
    /// Show the mails the selected ticket came in, whole as received (staff).
    ShowOriginal = "show_original", "original mail";
    /// Continue the text being written in `$EDITOR`.
    ExternalEditor = "external_editor", "continue in $EDITOR";
    /// Sign out: end the session on the server and forget it here.
    SignOut = "sign_out", "sign out";
    /// Sign out everywhere: end every session of the account (other devices too).
    SignOutEverywhere = "sign_out_everywhere", "sign out everywhere";
    /// Change the account's password.
    ChangePassword = "change_password", "change password";
    /// Show the changes that conflict with someone else's, to settle them.
    Conflicts = "conflicts", "resolve conflicts";
    /// Accept (the consent notice).
    Accept = "accept", "accept";
    /// Decline (the consent notice), which signs out.
    Decline = "decline", "decline";
    /// Email a password-less sign-in code to the address typed on the sign-in screen.
    RequestCode = "request_code", "email me a sign-in code";
    /// Try the selected failed item again (a mail of the queue).
    Retry = "retry", "retry";
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

/// One entry of a pane's command list: an action it handles right now and what it does there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    /// The action.
    pub action: Action,
    /// What it does in this pane ("sign in", "next tab").
    pub label: &'static str,
}

impl Command {
    /// A command with the action's generic description.
    pub fn new(action: Action) -> Self {
        Command {
            action,
            label: action.describe(),
        }
    }

    /// A command with a pane-specific description.
    pub fn labelled(action: Action, label: &'static str) -> Self {
        Command { action, label }
    }
}
