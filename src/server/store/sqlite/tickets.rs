//! Tickets and their messages.

use super::ccs::{check, write_ccs};
use super::changes::{append_change, append_ticket_change};
use super::config::route;
use super::mail_queue::enqueue;
use super::people::contact;
use super::rows::{MESSAGE_SELECT, message_row, now_text, ticket_row, ticket_select};
use crate::domain::ValidationError;
use crate::domain::mail::MailEvent;
use crate::domain::ticket::AuthorKind;
use crate::domain::visibility::{ReadScope, TicketScope};
use crate::domain::wire::customer_visible_change;
use crate::server::store::shared::{
    after_message, attach_failures, change_mails, changed_ticket, routing_draft,
};
use crate::server::store::{
    MessageRow, NewTicket, Reader, RouteDecision, StoreError, StoreResult, TicketChange,
    TicketQuery, TicketRow,
};
use rusqlite::types::Value;
use rusqlite::{Connection, params, params_from_iter};

/// The filters of a list on ticket columns (and names, for text), as ` AND ...` SQL over
/// aliases `t`, `c` (requester) and `co` (company), with the values pushed onto `args`.
/// Returns the SQL and whether it needs the `c`/`co` joins.
fn filter_sql(q: &TicketQuery, args: &mut Vec<Value>) -> (String, bool) {
    let mut sql = String::new();
    if let Some(stage) = q.stage {
        args.push(Value::Text(stage.as_str().into()));
        sql.push_str(&format!(" AND t.stage = ?{}", args.len()));
    }
    if q.hide_closed {
        sql.push_str(" AND t.stage <> 'closed'");
    }
    match q.owner {
        Some(Some(owner)) => {
            args.push(Value::Integer(owner));
            sql.push_str(&format!(" AND t.owner_id = ?{}", args.len()));
        }
        Some(None) => sql.push_str(" AND t.owner_id IS NULL"),
        None => {}
    }
    if let Some(inbox) = q.inbox {
        args.push(Value::Integer(inbox));
        sql.push_str(&format!(" AND t.inbox_id = ?{}", args.len()));
    }
    let mut names = false;
    for word in q.text.iter().flat_map(|t| t.split_whitespace()).take(8) {
        names = true;
        let escaped = word
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        args.push(Value::Text(format!("%{escaped}%")));
        let n = args.len();
        sql.push_str(&format!(
            " AND (LOWER(t.subject) LIKE ?{n} ESCAPE '\\' OR LOWER(c.name) LIKE ?{n} ESCAPE '\\' \
             OR LOWER(COALESCE(co.name, '')) LIKE ?{n} ESCAPE '\\' OR CAST(t.id AS TEXT) = ?{m})",
            m = n + 1
        ));
        args.push(Value::Text(word.to_string()));
    }
    if let Some(before) = q.before_id {
        args.push(Value::Integer(before));
        sql.push_str(&format!(" AND t.id < ?{}", args.len()));
    }
    (sql, names)
}

/// Which tickets of `scope` pass `filter`, as SQL selecting at most `limit` ids in id order.
/// The limit is written into the SQL, not bound: SQLite reads a bound `LIMIT` while planning,
/// so binding a value expires the cached statement and every page paid a full re-prepare
/// (a third of the server's time per list request, measured with perf).
/// A contact with company visibility reads two index ranges (their own tickets, their
/// company's), each walked in id order and cut at the limit, then merged: one `OR` over both
/// columns would make SQLite read and sort every ticket of the company for each page.
fn scoped_ids(
    scope: ReadScope,
    filter: &str,
    names: bool,
    descending: bool,
    limit: usize,
    args: &mut Vec<Value>,
) -> String {
    let dir = if descending { "DESC" } else { "ASC" };
    let joins = if names {
        "JOIN contacts c ON c.id = t.contact_id LEFT JOIN companies co ON co.id = t.company_id"
    } else {
        ""
    };
    let branch = |condition: &str| {
        format!(
            "SELECT id FROM (SELECT t.id AS id FROM tickets t {joins} WHERE {condition}{filter} ORDER BY t.id {dir} LIMIT {limit})"
        )
    };
    match scope {
        ReadScope::All => branch("1 = 1"),
        ReadScope::Contact {
            contact_id,
            company_id,
        } => {
            args.push(Value::Integer(contact_id));
            let n = args.len();
            let own = format!(
                "{} UNION {}",
                branch(&format!("t.contact_id = ?{n}")),
                branch(&format!(
                    "t.id IN (SELECT x.ticket_id FROM ticket_ccs x WHERE x.contact_id = ?{n})"
                ))
            );
            match company_id {
                None => own,
                Some(company) => {
                    args.push(Value::Integer(company));
                    format!(
                        "{own} UNION {}",
                        branch(&format!("t.company_id = ?{}", args.len()))
                    )
                }
            }
        }
    }
}

/// Runs a scoped, filtered page: ids first (cheap index walks), then the named rows.
fn scoped_page(
    conn: &Connection,
    scope: ReadScope,
    q: &TicketQuery,
    descending: bool,
) -> StoreResult<Vec<TicketRow>> {
    let mut args: Vec<Value> = Vec::new();
    let (filter, names) = filter_sql(q, &mut args);
    let limit = q.limit;
    let ids = scoped_ids(scope, &filter, names, descending, limit, &mut args);
    let dir = if descending { "DESC" } else { "ASC" };
    let select = ticket_select(scope.into());
    let sql = format!("{select} WHERE t.id IN ({ids}) ORDER BY t.id {dir} LIMIT {limit}");
    let mut stmt = conn.prepare_cached(&sql)?;
    Ok(stmt
        .query_map(params_from_iter(args), ticket_row)?
        .collect::<Result<_, _>>()?)
}

/// A page of tickets in `scope` matching `q`, newest first.
pub fn list(conn: &Connection, scope: ReadScope, q: &TicketQuery) -> StoreResult<Vec<TicketRow>> {
    scoped_page(conn, scope, q, true)
}

/// Tickets in `scope` with id above `after`, ascending (snapshot pages of the sync feed).
pub fn by_id(
    conn: &Connection,
    scope: ReadScope,
    after: i64,
    limit: usize,
) -> StoreResult<Vec<TicketRow>> {
    let mut args: Vec<Value> = vec![Value::Integer(after)];
    let ids = scoped_ids(scope, " AND t.id > ?1", false, false, limit, &mut args);
    let select = ticket_select(scope.into());
    let sql = format!("{select} WHERE t.id IN ({ids}) ORDER BY t.id LIMIT {limit}");
    let mut stmt = conn.prepare_cached(&sql)?;
    Ok(stmt
        .query_map(params_from_iter(args), ticket_row)?
        .collect::<Result<_, _>>()?)
}

/// Tickets with these ids, as `reader` sees them.
pub fn in_ids(conn: &Connection, ids: &[i64], reader: Reader) -> StoreResult<Vec<TicketRow>> {
    let mut out = Vec::with_capacity(ids.len());
    let mut stmt = conn.prepare_cached(&format!("{} WHERE t.id = ?1", ticket_select(reader)))?;
    for id in ids {
        match stmt.query_row([id], ticket_row) {
            Ok(row) => out.push(row),
            Err(rusqlite::Error::QueryReturnedNoRows) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}

/// One ticket, as `reader` sees it.
pub fn get(conn: &Connection, id: i64, reader: Reader) -> StoreResult<TicketRow> {
    Ok(conn
        .prepare_cached(&format!("{} WHERE t.id = ?1", ticket_select(reader)))?
        .query_row([id], ticket_row)?)
}

/// Messages of a ticket, oldest first, each with its failed mails.
pub fn messages(conn: &Connection, ticket_id: i64) -> StoreResult<Vec<MessageRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{MESSAGE_SELECT} WHERE m.ticket_id = ?1 ORDER BY m.id"
    ))?;
    let mut messages = stmt
        .query_map([ticket_id], message_row)?
        .collect::<Result<Vec<_>, _>>()?;
    let failed = conn
        .prepare_cached(
            "SELECT message_ref, recipient, COALESCE(last_error, 'failed') FROM mail_queue \
             WHERE ticket_id = ?1 AND state = 'failed' AND message_ref IS NOT NULL ORDER BY id",
        )?
        .query_map([ticket_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    attach_failures(&mut messages, failed);
    Ok(messages)
}

/// Creates a ticket: rules (or the staff's explicit inbox) decide where it goes. `ccs` are
/// the contacts copied on it from the start (checked by the caller), written before its
/// mails are queued so that each of them gets the "ticket created" mail too.
pub fn create(
    conn: &Connection,
    t: NewTicket,
    ccs: &[i64],
) -> StoreResult<(TicketRow, RouteDecision)> {
    let requester = contact(conn, t.contact_id).map_err(|e| match e {
        StoreError::NotFound => {
            ValidationError::new("contact_id", format!("no contact with id {}", t.contact_id))
                .into()
        }
        other => other,
    })?;
    let company_name: Option<String> = match requester.company_id {
        Some(id) => Some(conn.query_row(
            "SELECT name FROM companies WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?),
        None => None,
    };
    let decision = match t.inbox_id {
        Some(inbox_id) => {
            if !super::config::inboxes(conn)?
                .iter()
                .any(|b| b.id == inbox_id)
            {
                return Err(ValidationError::new(
                    "inbox_id",
                    format!("no inbox with id {inbox_id}"),
                )
                .into());
            }
            RouteDecision {
                rule: None,
                inbox_id: Some(inbox_id),
                owner_id: t.owner_id,
                priority: Some(t.priority),
            }
        }
        None => {
            let draft = routing_draft(&t, &requester, company_name);
            let mut d = route(conn, &draft, None, true)?;
            d.owner_id = t.owner_id.or(d.owner_id);
            d
        }
    };
    let inbox_id = decision.inbox_id.ok_or_else(|| {
        ValidationError::new(
            "inbox_id",
            "the portal has no default inbox and no rule matched",
        )
    })?;
    if let Some(owner) = decision.owner_id
        && !super::people::staff_ids(conn)?.contains(&owner)
    {
        return Err(ValidationError::new("owner_id", format!("no agent with id {owner}")).into());
    }
    let now = now_text();
    conn.prepare_cached(
        "INSERT INTO tickets (subject, description, stage, priority, category, inbox_id, owner_id, contact_id, company_id, \
         source, form_fields, tags, created_at, updated_at, version, public_updated_at, public_version) \
         VALUES (?1, ?2, 'new', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, 1, ?12, 1)",
    )?
    .execute(params![
        t.subject.trim(),
        t.description,
        decision.priority.unwrap_or(t.priority).as_str(),
        t.category,
        inbox_id,
        decision.owner_id,
        t.contact_id,
        requester.company_id,
        t.source.as_str(),
        serde_json::to_string(&t.form_fields)?,
        serde_json::to_string(&t.tags)?,
        now
    ])?;
    let id = conn.last_insert_rowid();
    append_change(conn, "ticket", id, "upsert", None)?;
    if !ccs.is_empty() {
        write_ccs(conn, id, ccs)?;
    }
    let created = get(conn, id, Reader::Staff)?;
    enqueue(conn, &created, MailEvent::TicketCreated, None)?;
    enqueue(conn, &created, MailEvent::AssignedToYou, None)?;
    Ok((created, decision))
}

/// Applies a change by the account named `by` if `expected` (when given) is the current
/// version as `reader` sees it; returns the ticket as `reader` sees it. A change customers
/// cannot see leaves the public version, update time and author alone and is logged as
/// staff-only.
pub fn update(
    conn: &Connection,
    id: i64,
    c: &TicketChange,
    reader: Reader,
    expected: Option<i64>,
    by: &str,
) -> StoreResult<TicketRow> {
    let current = get(conn, id, Reader::Staff)?;
    if let Some(v) = expected {
        let seen = match reader {
            Reader::Staff => current.ticket.version,
            Reader::Customer => get(conn, id, reader)?.ticket.version,
        };
        if v != seen {
            return Err(StoreError::Conflict(seen));
        }
    }
    if let Some(Some(o)) = c.owner_id
        && !super::people::staff_ids(conn)?.contains(&o)
    {
        return Err(ValidationError::new("owner_id", format!("no agent with id {o}")).into());
    }
    if let Some(inbox) = c.inbox_id
        && !super::config::inboxes(conn)?.iter().any(|b| b.id == inbox)
    {
        return Err(ValidationError::new("inbox_id", format!("no inbox with id {inbox}")).into());
    }
    if let Some(ccs) = &c.ccs {
        check(conn, &current.ticket, ccs)?;
    }
    let now = now_text();
    let t = changed_ticket(&current.ticket, c, &now);
    if t == current.ticket {
        return get(conn, id, reader);
    }
    let public = customer_visible_change(&current.ticket, &t);
    conn.prepare_cached(
        "UPDATE tickets SET subject = ?2, stage = ?3, priority = ?4, category = ?5, owner_id = ?6, inbox_id = ?7, tags = ?8, \
         closed_at = ?9, updated_at = ?10, version = version + 1, updated_by = ?12, \
         public_version = public_version + ?11, public_updated_at = CASE WHEN ?11 THEN ?10 ELSE public_updated_at END, \
         public_updated_by = CASE WHEN ?11 THEN ?12 ELSE public_updated_by END WHERE id = ?1",
    )?
    .execute(params![id, t.subject, t.stage.as_str(), t.priority.as_str(), t.category, t.owner_id, t.inbox_id, serde_json::to_string(&t.tags)?, t.closed_at, now, public, by])?;
    if t.ccs != current.ticket.ccs {
        write_ccs(conn, id, &t.ccs)?;
    }
    append_ticket_change(conn, id, Some(TicketScope::from(&current.ticket)), !public)?;
    let mails = change_mails(&current.ticket, &t);
    if !mails.is_empty() {
        let changed = get(conn, id, Reader::Staff)?;
        for mail in mails {
            enqueue(conn, &changed, mail, None)?;
        }
    }
    get(conn, id, reader)
}

/// Appends a message and moves the stage: a customer's reply (or any reply on a closed
/// ticket from its requester) to waiting on us, a staff reply to waiting on contact. Internal
/// notes leave stage and `updated_at` alone.
pub fn add_message(
    conn: &Connection,
    ticket_id: i64,
    author: AuthorKind,
    author_id: i64,
    body: &str,
    internal: bool,
) -> StoreResult<MessageRow> {
    let current = get(conn, ticket_id, Reader::Staff)?;
    let now = now_text();
    conn.prepare_cached("INSERT INTO messages (ticket_id, author_kind, author_id, body, internal, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?
        .execute(params![ticket_id, if author == AuthorKind::User { "user" } else { "contact" }, author_id, body, internal, now])?;
    let message = conn
        .prepare_cached(&format!("{MESSAGE_SELECT} WHERE m.id = ?1"))?
        .query_row([conn.last_insert_rowid()], message_row)?;
    let (stage, updated_at, closed_at) = after_message(&current.ticket, author, internal, now);
    // A note is news to staff only: the public version, update time and author stay.
    conn.prepare_cached(
        "UPDATE tickets SET message_count = message_count + 1, stage = ?2, closed_at = ?3, updated_at = ?4, version = version + 1, \
         updated_by = ?6, public_version = public_version + ?5, public_updated_at = CASE WHEN ?5 THEN ?4 ELSE public_updated_at END, \
         public_updated_by = CASE WHEN ?5 THEN ?6 ELSE public_updated_by END WHERE id = ?1",
    )?
    .execute(params![ticket_id, stage.as_str(), closed_at, updated_at, !internal, message.author_name])?;
    append_ticket_change(
        conn,
        ticket_id,
        Some(TicketScope::from(&current.ticket)),
        internal,
    )?;
    if !internal && author == AuthorKind::User {
        let replied = get(conn, ticket_id, Reader::Staff)?;
        enqueue(conn, &replied, MailEvent::StaffReply, Some(&message))?;
    }
    Ok(message)
}

/// Open and unassigned tickets per inbox.
pub fn inbox_counts(conn: &Connection) -> StoreResult<Vec<(i64, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT inbox_id, COUNT(*), SUM(CASE WHEN owner_id IS NULL THEN 1 ELSE 0 END) FROM tickets \
         WHERE stage <> 'closed' GROUP BY inbox_id",
    )?;
    Ok(stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?)
}
