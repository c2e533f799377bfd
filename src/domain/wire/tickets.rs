//! Ticket and message bodies, and the projection of a ticket for each role (what a customer may
//! see is decided here, in one place).

use crate::domain::ticket::AuthorKind;
use crate::domain::{Message, PortalSettings, Priority, Source, Stage, Ticket, Viewer};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`) in patches.
pub fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A ticket as lists and details return it: the ticket plus names resolved by the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TicketRow {
    /// The ticket.
    #[serde(flatten)]
    pub ticket: Ticket,
    /// Requester's name.
    pub requester_name: String,
    /// Requester's email (staff only on the wire).
    pub requester_email: String,
    /// Company name, if any.
    pub company_name: Option<String>,
    /// Owner's name, if any.
    pub owner_name: Option<String>,
    /// Inbox name.
    pub inbox_name: String,
    /// Messages on the thread, internal notes included.
    pub message_count: i64,
    /// Who made the last change (their name then), so a conflict can say whose change it ran
    /// into; `None` when not recorded (older tickets and servers).
    #[serde(default)]
    pub updated_by: Option<String>,
    /// The `Cc` addresses of the mail that opened the ticket, contacts copied or not, so
    /// staff see whom the customer wrote to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mail_cc: Vec<String>,
}

/// How a message reached the ticket.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Written in deskport (the app or the API).
    #[default]
    Portal,
    /// Received by mail.
    Email,
}

impl Channel {
    /// The storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Portal => "portal",
            Channel::Email => "email",
        }
    }

    /// Reads the storage name (anything else is `portal`, the column's default).
    pub fn parse(s: &str) -> Self {
        if s == "email" {
            Channel::Email
        } else {
            Channel::Portal
        }
    }
}

/// A mail about a message that could not be delivered, and the mail server's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MailFailure {
    /// Whom it was for.
    pub recipient: String,
    /// What the mail server (or a bounce) said.
    pub error: String,
}

/// A message with its author's display name and how it travelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRow {
    /// The message.
    pub message: Message,
    /// The author's name.
    pub author_name: String,
    /// How it arrived.
    pub channel: Channel,
    /// The address a mailed message came from.
    pub sender_address: Option<String>,
    /// The `Cc` addresses of a mailed message.
    pub cc: Vec<String>,
    /// The mails carrying this message that failed.
    pub mail_failures: Vec<MailFailure>,
}

/// A ticket as a customer sees it: the customer label instead of the stage, no owner, tags,
/// inbox or emails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CustomerTicket {
    /// Ticket number.
    pub id: i64,
    pub subject: String,
    /// First message.
    pub description: String,
    /// The portal's label for the stage.
    pub status_label: String,
    /// Whether it is closed (customers may reopen).
    pub closed: bool,
    pub priority: Priority,
    /// Requester's name (never their email).
    pub requester_name: String,
    /// Whether the caller raised it.
    pub own: bool,
    /// Support-form values; a colleague of the requester gets none of the private fields.
    pub form_fields: BTreeMap<String, String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// RFC 3339.
    pub closed_at: Option<String>,
    /// For `If-Match`.
    pub version: i64,
    /// Who made the last change the customer could see; `None` when not recorded.
    #[serde(default)]
    pub updated_by: Option<String>,
}

/// A ticket for one caller: staff get every field, customers the customer projection.
// Staff rows are the larger variant and also the common one (every staff list and feed);
// boxing them would add an allocation per ticket where lists hold 100 000.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum TicketOut {
    /// Staff view.
    Staff(TicketRow),
    /// Customer view.
    Customer(CustomerTicket),
}

/// Projects a ticket for `viewer` under the portal's ticket view and support form.
pub fn ticket_for(viewer: &Viewer, portal: &PortalSettings, row: TicketRow) -> TicketOut {
    match viewer {
        Viewer::Staff { .. } => TicketOut::Staff(row),
        Viewer::Contact { contact_id, .. } => {
            let own = row.ticket.contact_id == *contact_id;
            TicketOut::Customer(customer_ticket(portal, own, row))
        }
    }
}

fn customer_ticket(portal: &PortalSettings, own: bool, row: TicketRow) -> CustomerTicket {
    CustomerTicket {
        id: row.ticket.id,
        status_label: portal.ticket_view.label(row.ticket.stage),
        closed: row.ticket.stage.is_closed(),
        priority: row.ticket.priority,
        own,
        requester_name: row.requester_name,
        subject: row.ticket.subject,
        description: row.ticket.description,
        form_fields: portal.support_form.answers_for(row.ticket.form_fields, own),
        created_at: row.ticket.created_at,
        updated_at: row.ticket.updated_at,
        closed_at: row.ticket.closed_at,
        version: row.ticket.version,
        updated_by: row.updated_by,
    }
}

/// Whether a customer who can see the ticket could tell `before` from `after`: the fields
/// [`ticket_for`] gives them, and the scope that decides who sees it. A change that is not
/// one leaves the ticket's public version and update time alone.
pub fn customer_visible_change(before: &Ticket, after: &Ticket) -> bool {
    before.subject != after.subject
        || before.description != after.description
        || before.stage != after.stage
        || before.priority != after.priority
        || before.contact_id != after.contact_id
        || before.company_id != after.company_id
        || before.ccs != after.ccs
        || before.form_fields != after.form_fields
        || before.closed_at != after.closed_at
}

/// Who wrote a message, as shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuthorOut {
    /// `contact` or `user`.
    pub kind: AuthorKind,
    /// Display name.
    pub name: String,
}

/// A message on the wire.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MessageOut {
    /// For staff the message's id; for customers its place among the ticket's messages they
    /// can see (1, 2, …), so the internal notes between them leave no gaps to count.
    pub id: i64,
    pub body: String,
    /// Staff-only note (never sent to customers).
    pub internal: bool,
    pub author: AuthorOut,
    /// RFC 3339.
    pub created_at: String,
    /// How it arrived: in deskport or by mail.
    #[serde(default)]
    pub channel: Channel,
    /// The address a mailed message came from (staff only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_address: Option<String>,
    /// The `Cc` addresses of a mailed message (staff only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<String>,
    /// Mails carrying this reply that could not be delivered, with the answer (staff only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mail_failures: Vec<MailFailure>,
}

impl From<MessageRow> for MessageOut {
    fn from(m: MessageRow) -> Self {
        MessageOut {
            id: m.message.id,
            body: m.message.body,
            internal: m.message.internal,
            author: AuthorOut {
                kind: m.message.author_kind,
                name: m.author_name,
            },
            created_at: m.message.created_at,
            channel: m.channel,
            sender_address: m.sender_address,
            cc: m.cc,
            mail_failures: m.mail_failures,
        }
    }
}

/// The messages of one ticket (oldest first) `viewer` may read: customers never get
/// internal notes, and get each message numbered by its place among those they can see.
pub fn messages_for(viewer: &Viewer, rows: Vec<MessageRow>) -> Vec<MessageOut> {
    visible_messages(viewer, rows).map(|(_, m)| m).collect()
}

/// The message stored as `id`, as [`messages_for`] gives it to `viewer` among the ticket's
/// `rows`; `None` when they may not read it.
pub fn message_for(viewer: &Viewer, rows: Vec<MessageRow>, id: i64) -> Option<MessageOut> {
    visible_messages(viewer, rows)
        .find(|(stored, _)| *stored == id)
        .map(|(_, m)| m)
}

/// Each message `viewer` may read with its stored id.
fn visible_messages(
    viewer: &Viewer,
    rows: Vec<MessageRow>,
) -> impl Iterator<Item = (i64, MessageOut)> {
    let staff = viewer.is_staff();
    rows.into_iter()
        .filter(move |m| staff || !m.message.internal)
        .enumerate()
        .map(move |(place, m)| {
            let stored = m.message.id;
            let mut out = MessageOut::from(m);
            if !staff {
                // Addresses of other people, and the mail server's answers, are staff's.
                out.id = place as i64 + 1;
                out.sender_address = None;
                out.cc = Vec::new();
                out.mail_failures = Vec::new();
            }
            (stored, out)
        })
}

/// A ticket with its visible thread.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TicketDetail {
    /// The ticket.
    #[serde(flatten)]
    pub ticket: TicketOut,
    /// Visible messages, oldest first.
    pub messages: Vec<MessageOut>,
}

/// A page of tickets.
#[derive(Debug, Serialize, Clone, Deserialize, ToSchema)]
pub struct TicketPage {
    /// Tickets, newest first.
    pub items: Vec<TicketOut>,
    /// Cursor of the next page, or null at the end.
    pub next_cursor: Option<String>,
}

/// A customer's new ticket, through the support form.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerTicketInput {
    pub subject: String,
    pub description: String,
    /// The support form's extra fields.
    #[serde(default)]
    pub form_fields: BTreeMap<String, String>,
}

/// A ticket raised by staff on a contact's behalf.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffTicketInput {
    pub subject: String,
    pub description: String,
    /// The contact the ticket is for.
    pub contact_id: i64,
    /// Priority (default medium).
    #[serde(default)]
    pub priority: Option<Priority>,
    #[serde(default)]
    pub category: Option<String>,
    /// Source (default agent).
    #[serde(default)]
    pub source: Option<Source>,
    /// Place directly in this inbox instead of routing.
    #[serde(default)]
    pub inbox_id: Option<i64>,
    /// Assign directly.
    #[serde(default)]
    pub owner_id: Option<i64>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Form values.
    #[serde(default)]
    pub form_fields: BTreeMap<String, String>,
}

/// Either body, by the caller's role.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum TicketInput {
    /// The body a customer sends (the support form).
    Customer(CustomerTicketInput),
    /// The body staff send.
    Staff(StaffTicketInput),
}

/// What staff may change on a ticket.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffTicketPatch {
    pub subject: Option<String>,
    pub stage: Option<Stage>,
    pub priority: Option<Priority>,
    pub category: Option<String>,
    /// Owner; `null` unassigns.
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i64>)]
    pub owner_id: Option<Option<i64>>,
    /// Moves the ticket to this inbox (no routing rule runs).
    pub inbox_id: Option<i64>,
    /// Tags (replaces them).
    pub tags: Option<Vec<String>>,
}

/// What a customer may change: close or reopen.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerTicketPatch {
    /// `true` closes, `false` reopens.
    pub closed: bool,
}

/// Either patch body, by role.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum TicketPatch {
    /// The body staff send.
    Staff(StaffTicketPatch),
    /// The body a customer sends (the support form).
    Customer(CustomerTicketPatch),
}

/// The contacts to copy on a ticket, replacing its CCs (an empty list removes them all).
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CcsInput {
    /// Contact ids: other contacts of the requester's company, at most 50.
    pub contact_ids: Vec<i64>,
}

/// A reply or internal note.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageInput {
    /// Text, 1–20 000 characters.
    pub body: String,
    /// Internal note (staff only).
    #[serde(default)]
    pub internal: bool,
}

/// The same change for many tickets.
#[derive(Debug, Deserialize, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    /// Ticket ids, 1–1000.
    pub ids: Vec<i64>,
    /// The change.
    pub patch: StaffTicketPatch,
}

/// One ticket's outcome.
#[derive(Debug, Serialize, Deserialize, Clone, ToSchema)]
pub struct BulkResult {
    /// Ticket id.
    pub id: i64,
    /// Whether it was changed.
    pub ok: bool,
    /// New version, when changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Why not, when not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Outcomes, one per id.
#[derive(Debug, Serialize, Deserialize, Clone, ToSchema)]
pub struct BulkResponse {
    /// In the order of the request.
    pub results: Vec<BulkResult>,
}
