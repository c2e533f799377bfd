//! The typed changes the view and the cache apply: what the sync feed carries, by kind.

use super::compact::Compact;
use crate::domain::wire::PortalFor;
use crate::domain::{Company, Contact, DomainInfo, Inbox, RoutingRule, SavedReply, User};

/// What one synced change carries, typed.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    /// Portal settings for this account.
    Portal(Box<PortalFor>),
    /// Connected domains.
    Domains(Vec<DomainInfo>),
    /// A ticket.
    Ticket(Box<Compact>),
    /// An inbox.
    Inbox(Inbox),
    /// A routing rule.
    Rule(RoutingRule),
    /// A staff user.
    User(User),
    /// A contact.
    Contact(Contact),
    /// A company.
    Company(Company),
    /// A saved reply (the shared ones and the account's own).
    SavedReply(SavedReply),
}

impl Item {
    /// The kind of entity it is.
    pub(crate) fn kind(&self) -> EntityKind {
        match self {
            Item::Portal(_) => EntityKind::Portal,
            Item::Domains(_) => EntityKind::Domains,
            Item::Ticket(_) => EntityKind::Ticket,
            Item::Inbox(_) => EntityKind::Inbox,
            Item::Rule(_) => EntityKind::Rule,
            Item::User(_) => EntityKind::User,
            Item::Contact(_) => EntityKind::Contact,
            Item::Company(_) => EntityKind::Company,
            Item::SavedReply(_) => EntityKind::SavedReply,
        }
    }
}

/// Kinds of entity the sync feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    /// `portal`.
    Portal,
    /// `domains`.
    Domains,
    /// `ticket`.
    Ticket,
    /// `inbox`.
    Inbox,
    /// `rule`.
    Rule,
    /// `user`.
    User,
    /// `contact`.
    Contact,
    /// `company`.
    Company,
    /// `saved_reply`.
    SavedReply,
}

impl EntityKind {
    /// The feed's name for the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Portal => "portal",
            EntityKind::Domains => "domains",
            EntityKind::Ticket => "ticket",
            EntityKind::Inbox => "inbox",
            EntityKind::Rule => "rule",
            EntityKind::User => "user",
            EntityKind::Contact => "contact",
            EntityKind::Company => "company",
            EntityKind::SavedReply => "saved_reply",
        }
    }

    /// Parses the feed's name; `None` for kinds this client does not know.
    pub fn parse(s: &str) -> Option<Self> {
        [
            EntityKind::Portal,
            EntityKind::Domains,
            EntityKind::Ticket,
            EntityKind::Inbox,
            EntityKind::Rule,
            EntityKind::User,
            EntityKind::Contact,
            EntityKind::Company,
            EntityKind::SavedReply,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One change to apply to the view (and the cache).
#[derive(Debug, Clone)]
pub(crate) enum Delta {
    /// Insert or replace.
    Upsert(Item),
    /// Drop this entity from the view.
    Delete(EntityKind, i64),
}
