//! The editable rows of the portal's settings and setup wizard: the app's form widget with
//! one row a setting, known by [`FieldId`]. A text row takes typed keys only while it is
//! being edited (Enter starts, Enter or Tab confirms, Esc cancels:
//! [`Typing::OnEdit`](crate::tui::components::widgets::form::Typing)), so the app's keys
//! keep working everywhere else in the pane.

use crate::domain::portal::CustomerColumn;
use crate::domain::ticket::Stage;
use crate::tui::components::widgets::form;

pub use crate::tui::components::widgets::form::Value;

/// The portal's rows, each known by the setting it edits.
pub type Form = form::Form<FieldId>;

/// One editable row.
pub type Field = form::Field<FieldId>;

/// Which setting a row edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    /// Portal name.
    Name,
    /// Domain host, among the connected domains.
    Domain,
    Slug,
    /// Host of a domain to connect.
    NewHost,
    /// Primary language of the domain to connect.
    NewLanguage,
    /// Default inbox or help desk.
    Inbox,
    /// Ticket permission mode.
    Mode,
    /// Contact property a filter condition looks at (the first row of a condition).
    FilterProperty,
    /// How the condition compares.
    FilterOp,
    /// What the condition compares with (comma-separated for `in`).
    FilterValue,
    /// Invite-only or self-registration.
    AccessMode,
    /// Password-less codes.
    Passwordless,
    /// Idle timeout.
    IdleTimeout,
    /// Whether customers see a column; the rows' order is the columns' order.
    Column(CustomerColumn),
    /// The customer label of a stage.
    StageLabel(Stage),
    /// Whether closed tickets are listed.
    ShowClosed,
    /// Default sort column.
    SortColumn,
    /// Default sort direction.
    SortDescending,
    /// Whether the consent notice is shown.
    ConsentEnabled,
    /// The consent notice text.
    ConsentText,
    /// Whether customers must accept the notice.
    ConsentRequired,
    /// Whether customers may open tickets with the support form.
    FormEnabled,
    /// A support-form field's key (the first row of a field).
    FormKey,
    /// A support-form field's label.
    FormLabel,
    /// A support-form field's kind.
    FormKind,
    /// Whether a support-form field is required.
    FormRequired,
    /// Whether only the requester and staff see a support-form field's answer.
    FormPrivate,
    /// A select field's options, comma-separated.
    FormOptions,
    /// Which mail template the editor shows.
    MailEvent,
    /// The language whose default wording the editor starts from.
    MailLanguage,
    /// The template's subject.
    MailSubject,
    /// The template's body.
    MailBody,
}
