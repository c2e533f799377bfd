//! A portal's tables as plain columns of values, the shape `deskport migrate` moves them in:
//! read from the SQLite file and written into an empty PostgreSQL database, row for row, ids
//! and change-log sequence numbers kept. The PostgreSQL schema says which columns a table has
//! and their types, so a column added to both stores by a later migration moves without
//! touching this code, and one added to PostgreSQL alone fails the move by name.

/// The tables a move copies, parents before the tables that refer to them. Left behind:
/// one-time codes (minutes long, and mailed for the old server), stored idempotent answers
/// (a day long, for retries of requests made to the old server) and rate-limit counters.
pub const MOVED_TABLES: &[&str] = &[
    "portal",
    "domains",
    "users",
    "companies",
    "contacts",
    "inboxes",
    "routing_rules",
    "saved_replies",
    "tickets",
    "ticket_ccs",
    "messages",
    "mail_queue",
    "inbound_mail",
    "changes",
    "sessions",
    "sign_in_failures",
    "ssh_keys",
];

/// A column type both stores can hold (SQLite keeps booleans as 0 and 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// A 64-bit integer (`bigint`; ids, times and counters).
    Int,
    /// UTF-8 text (`text`; JSON documents are kept as text too).
    Text,
    /// A flag (`boolean`; an integer 0 or 1 on SQLite).
    Bool,
    /// Raw bytes (`bytea`; hashes and keys).
    Bytes,
}

impl ColumnKind {
    /// The kind of a PostgreSQL `information_schema` data type, if a move can carry it.
    pub fn of_postgres(data_type: &str) -> Option<ColumnKind> {
        match data_type {
            "bigint" => Some(ColumnKind::Int),
            "text" => Some(ColumnKind::Text),
            "boolean" => Some(ColumnKind::Bool),
            "bytea" => Some(ColumnKind::Bytes),
            _ => None,
        }
    }

    /// Its PostgreSQL array type, for inserting a column at once with `UNNEST`.
    pub fn postgres_array(self) -> &'static str {
        match self {
            ColumnKind::Int => "bigint[]",
            ColumnKind::Text => "text[]",
            ColumnKind::Bool => "boolean[]",
            ColumnKind::Bytes => "bytea[]",
        }
    }
}

/// One column of a table to move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSpec {
    /// Its name (the same in both stores).
    pub name: String,
    /// Its type.
    pub kind: ColumnKind,
    /// Whether PostgreSQL numbers it from a sequence, which must be moved past the copied
    /// values so the next insert does not reuse one.
    pub sequenced: bool,
}

/// A table to move and its columns, in the target's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSpec {
    /// The table.
    pub name: String,
    /// Its columns.
    pub columns: Vec<ColumnSpec>,
}

/// The values of one column, top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnValues {
    /// A [`ColumnKind::Int`] column's values, `None` for NULL.
    Int(Vec<Option<i64>>),
    /// A [`ColumnKind::Text`] column's values.
    Text(Vec<Option<String>>),
    /// A [`ColumnKind::Bool`] column's values.
    Bool(Vec<Option<bool>>),
    /// A [`ColumnKind::Bytes`] column's values.
    Bytes(Vec<Option<Vec<u8>>>),
}

/// A whole table read from the source: its spec and one [`ColumnValues`] per column.
#[derive(Debug, Clone)]
pub struct TableRows {
    /// What was read.
    pub spec: TableSpec,
    /// The values, in the spec's column order.
    pub columns: Vec<ColumnValues>,
    /// How many rows.
    pub rows: usize,
}

/// What a move copied, for the report: rows per table, and where the change log stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MoveReport {
    /// Rows copied per table, in [`MOVED_TABLES`] order.
    pub rows: Vec<(String, usize)>,
    /// The last change-log sequence number copied; the target's next change follows it.
    pub last_seq: i64,
    /// Whether the one-time code key was copied (a data dir whose server never started has
    /// none yet; the first server on the target then makes one).
    pub code_key: bool,
}
