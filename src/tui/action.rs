//! What a user can ask the terminal app to do. Keys map to these through the keymap; the help
//! popup, the hint bar and the command palette all list them, so they share one vocabulary.

use std::fmt;
use std::str::FromStr;

/// A user's request, independent of the key that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Leave the app.
    Quit,
    /// Open the help popup.
    Help,
    /// Open the command palette.
    Palette,
    /// Show the next tab.
    NextTab,
    /// Show the previous tab.
    PrevTab,
    /// Show the first tab.
    Tab1,
    /// Show the second tab.
    Tab2,
    /// Show the third tab.
    Tab3,
    /// Move the selection down one row.
    Down,
    /// Move the selection up one row.
    Up,
    /// Jump to the first row.
    Top,
    /// Jump to the last row.
    Bottom,
    /// Move down one screen.
    PageDown,
    /// Move up one screen.
    PageUp,
    /// Focus the next input field.
    NextField,
    /// Focus the previous input field.
    PrevField,
    /// Accept: sign in, run the chosen command.
    Confirm,
    /// Close the popup.
    Close,
    /// Type a filter over the list.
    Filter,
    /// Show the next saved view of the list.
    NextQueue,
    /// Show the previous saved view of the list.
    PrevQueue,
    /// Sort by the next column.
    SortNext,
    /// Reverse the sort.
    SortReverse,
    /// Show or hide the preview beside the list.
    TogglePreview,
    /// Assign the selected ticket to me.
    AssignMe,
    /// Close or reopen the selected ticket.
    ToggleClosed,
    /// Choose the selected ticket's stage.
    SetStage,
    /// Choose the selected ticket's priority.
    SetPriority,
    /// Choose who owns the selected (or marked) tickets.
    Assign,
    /// Set the selected ticket's category.
    SetCategory,
    /// Edit the selected ticket's tags.
    SetTags,
    /// Mark or unmark the selected row for a bulk change.
    Mark,
    /// Mark the rows from the last mark to the selected one.
    MarkRange,
    /// Mark every row shown (or clear the marks when all are marked).
    MarkAll,
    /// Move the selected item down in an ordered list.
    MoveDown,
    /// Move the selected item up in an ordered list.
    MoveUp,
    /// Switch the selected item (or the focused choice) to its next state.
    Toggle,
    /// Create a new item.
    New,
    /// Edit the selected item.
    Edit,
    /// Delete the selected item.
    Delete,
    /// Try something out (the routing tester).
    Try,
    /// Save the editor's changes.
    Save,
    /// Make the selected item the default.
    MakeDefault,
    /// See the selected contact's ticket list as they see it.
    ViewAs,
    /// Go to the next step or section of a multi-part form.
    NextStep,
    /// Go back to the previous step or section of a multi-part form.
    PrevStep,
    /// Throw away unsaved changes (or, in a conflict, keep the server's version).
    Revert,
    /// Write a reply on the selected ticket.
    Reply,
    /// Write an internal note on the selected ticket (staff).
    Note,
    /// List the contacts who can see the selected ticket, and why (staff).
    WhoCanSee,
    /// Continue the text being written in `$EDITOR`.
    ExternalEditor,
    /// Sign out: end the session on the server and forget it here.
    SignOut,
    /// Sign out everywhere: end every session of the account (other devices too).
    SignOutEverywhere,
    /// Change the account's password.
    ChangePassword,
    /// Show the changes that conflict with someone else's, to settle them.
    Conflicts,
    /// Accept (the consent notice).
    Accept,
    /// Decline (the consent notice), which signs out.
    Decline,
    /// Email a password-less sign-in code to the address typed on the sign-in screen.
    RequestCode,
}

impl Action {
    /// Every action, in the order help and the palette list them.
    pub const ALL: [Action; 58] = [
        Action::Quit,
        Action::Help,
        Action::Palette,
        Action::NextTab,
        Action::PrevTab,
        Action::Tab1,
        Action::Tab2,
        Action::Tab3,
        Action::Down,
        Action::Up,
        Action::Top,
        Action::Bottom,
        Action::PageDown,
        Action::PageUp,
        Action::NextField,
        Action::PrevField,
        Action::Confirm,
        Action::Close,
        Action::Filter,
        Action::NextQueue,
        Action::PrevQueue,
        Action::SortNext,
        Action::SortReverse,
        Action::TogglePreview,
        Action::AssignMe,
        Action::ToggleClosed,
        Action::SetStage,
        Action::SetPriority,
        Action::Assign,
        Action::SetCategory,
        Action::SetTags,
        Action::Mark,
        Action::MarkRange,
        Action::MarkAll,
        Action::MoveDown,
        Action::MoveUp,
        Action::Toggle,
        Action::New,
        Action::Edit,
        Action::Delete,
        Action::Try,
        Action::Save,
        Action::MakeDefault,
        Action::ViewAs,
        Action::NextStep,
        Action::PrevStep,
        Action::Revert,
        Action::Reply,
        Action::Note,
        Action::WhoCanSee,
        Action::ExternalEditor,
        Action::SignOut,
        Action::SignOutEverywhere,
        Action::ChangePassword,
        Action::Conflicts,
        Action::Accept,
        Action::Decline,
        Action::RequestCode,
    ];

    /// The name used in keymap.toml.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::Palette => "palette",
            Action::NextTab => "next_tab",
            Action::PrevTab => "prev_tab",
            Action::Tab1 => "tab_1",
            Action::Tab2 => "tab_2",
            Action::Tab3 => "tab_3",
            Action::Down => "down",
            Action::Up => "up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::NextField => "next_field",
            Action::PrevField => "prev_field",
            Action::Confirm => "confirm",
            Action::Close => "close",
            Action::Filter => "filter",
            Action::NextQueue => "next_queue",
            Action::PrevQueue => "prev_queue",
            Action::SortNext => "sort_next",
            Action::SortReverse => "sort_reverse",
            Action::TogglePreview => "toggle_preview",
            Action::AssignMe => "assign_me",
            Action::ToggleClosed => "toggle_closed",
            Action::SetStage => "set_stage",
            Action::SetPriority => "set_priority",
            Action::Assign => "assign",
            Action::SetCategory => "set_category",
            Action::SetTags => "set_tags",
            Action::Mark => "mark",
            Action::MarkRange => "mark_range",
            Action::MarkAll => "mark_all",
            Action::MoveDown => "move_down",
            Action::MoveUp => "move_up",
            Action::Toggle => "toggle",
            Action::New => "new",
            Action::Edit => "edit",
            Action::Delete => "delete",
            Action::Try => "try",
            Action::Save => "save",
            Action::MakeDefault => "make_default",
            Action::ViewAs => "view_as",
            Action::NextStep => "next_step",
            Action::PrevStep => "prev_step",
            Action::Revert => "revert",
            Action::Reply => "reply",
            Action::Note => "note",
            Action::WhoCanSee => "who_can_see",
            Action::ExternalEditor => "external_editor",
            Action::SignOut => "sign_out",
            Action::SignOutEverywhere => "sign_out_everywhere",
            Action::ChangePassword => "change_password",
            Action::Conflicts => "conflicts",
            Action::Accept => "accept",
            Action::Decline => "decline",
            Action::RequestCode => "request_code",
        }
    }

    /// A short description for hints, help and the palette, used when the pane offering the
    /// action has no more specific one.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::Palette => "commands",
            Action::NextTab => "next tab",
            Action::PrevTab => "previous tab",
            Action::Tab1 => "first tab",
            Action::Tab2 => "second tab",
            Action::Tab3 => "third tab",
            Action::Down => "down",
            Action::Up => "up",
            Action::Top => "first",
            Action::Bottom => "last",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::NextField => "next field",
            Action::PrevField => "previous field",
            Action::Confirm => "confirm",
            Action::Close => "close",
            Action::Filter => "filter",
            Action::NextQueue => "next view",
            Action::PrevQueue => "previous view",
            Action::SortNext => "sort by next column",
            Action::SortReverse => "reverse sort",
            Action::TogglePreview => "toggle preview",
            Action::AssignMe => "assign to me",
            Action::ToggleClosed => "close or reopen",
            Action::SetStage => "set stage",
            Action::SetPriority => "set priority",
            Action::Assign => "assign",
            Action::SetCategory => "set category",
            Action::SetTags => "edit tags",
            Action::Mark => "mark",
            Action::MarkRange => "mark range",
            Action::MarkAll => "mark all shown",
            Action::MoveDown => "move down",
            Action::MoveUp => "move up",
            Action::Toggle => "switch",
            Action::New => "new",
            Action::Edit => "edit",
            Action::Delete => "delete",
            Action::Try => "try out",
            Action::Save => "save",
            Action::MakeDefault => "make default",
            Action::ViewAs => "view as contact",
            Action::NextStep => "next step",
            Action::PrevStep => "previous step",
            Action::Revert => "discard changes",
            Action::Reply => "reply",
            Action::Note => "internal note",
            Action::WhoCanSee => "who can see this ticket",
            Action::ExternalEditor => "continue in $EDITOR",
            Action::SignOut => "sign out",
            Action::SignOutEverywhere => "sign out everywhere",
            Action::ChangePassword => "change password",
            Action::Conflicts => "resolve conflicts",
            Action::Accept => "accept",
            Action::Decline => "decline",
            Action::RequestCode => "email me a sign-in code",
        }
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
        Action::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
                format!(
                    "unknown action \"{s}\"; the actions are: {}",
                    names.join(", ")
                )
            })
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
