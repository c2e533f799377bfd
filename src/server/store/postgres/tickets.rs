//! Tickets and their messages.

use super::ccs::{check, write_ccs};
use super::changes::{append_change, append_ticket_change};
use super::config::route;
use super::mail_queue::enqueue;
use super::people::contact;
use super::rows::{message_row, ticket_row};
use super::sql::{Db, execute, get, row, row_opt, rows};
use crate::domain::ValidationError;
use crate::domain::mail::MailEvent;
use crate::domain::ticket::AuthorKind;
use crate::domain::visibility::{ReadScope, TicketScope};
use crate::domain::wire::customer_visible_change;
use crate::server::store::shared::{
    MESSAGE_SELECT, after_message, attach_failures, change_mails, changed_ticket, now_text,
    routing_draft, ticket_select,
};
use crate::server::store::{
    MessageRow, NewTicket, Reader, RouteDecision, StoreError, StoreResult, TicketChange,
    TicketQuery, TicketRow,
};
use tokio_postgres::types::ToSql;

/// Statement parameters built up with the SQL that numbers them.
type Args = Vec<Box<dyn ToSql + Sync + Send>>;

/// `$n` for the value just pushed.
fn last(args: &Args) -> String {
    format!("${}", args.len())
}

/// The filters of a list on ticket columns (and names, for text), as ` AND ...` SQL over
/// aliases `t`, `c` (requester) and `co` (company), with the values pushed onto `args`.
/// Returns the SQL and whether it needs the `c`/`co` joins.
fn filter_sql(q: &TicketQuery, args: &mut Args) -> (String, bool) {
    let mut sql = String::new();
    if let Some(stage) = q.stage {
        args.push(Box::new(stage.as_str().to_string()));
        sql.push_str(&format!(" AND t.stage = {}", last(args)));
    }
    if q.hide_closed {
        sql.push_str(" AND t.stage <> 'closed'");
    }
    match q.owner {
        Some(Some(owner)) => {
            args.push(Box::new(owner));
            sql.push_str(&format!(" AND t.owner_id = {}", last(args)));
        }
        Some(None) => sql.push_str(" AND t.owner_id IS NULL"),
        None => {}
    }
    if let Some(inbox) = q.inbox {
        args.push(Box::new(inbox));
        sql.push_str(&format!(" AND t.inbox_id = {}", last(args)));
    }
    let mut names = false;
    for word in q.text.iter().flat_map(|t| t.split_whitespace()).take(8) {
        names = true;
        let escaped = word
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        args.push(Box::new(format!("%{escaped}%")));
        let n = last(args);
        args.push(Box::new(word.to_string()));
        let m = last(args);
        sql.push_str(&format!(
            " AND (LOWER(t.subject) LIKE {n} ESCAPE '\\' OR LOWER(c.name) LIKE {n} ESCAPE '\\' \
             OR LOWER(COALESCE(co.name, '')) LIKE {n} ESCAPE '\\' OR CAST(t.id AS TEXT) = {m})"
        ));
    }
    if let Some(before) = q.before_id {
        args.push(Box::new(before));
        sql.push_str(&format!(" AND t.id < {}", last(args)));
    }
    (sql, names)
}

/// Which tickets of `scope` pass `filter`, as SQL selecting at most `limit` ids in id order;
/// a contact with company visibility reads their own tickets and their company's as two
/// index ranges, merged, and only the first `limit` of both are kept (so no more than
/// `limit` tickets are read and joined: without it a customer's page read half again as
/// many, their own tickets being among the company's).
fn scoped_ids(
    scope: ReadScope,
    filter: &str,
    names: bool,
    descending: bool,
    limit: usize,
    args: &mut Args,
) -> String {
    let dir = if descending { "DESC" } else { "ASC" };
    let joins = if names {
        "JOIN contacts c ON c.id = t.contact_id LEFT JOIN companies co ON co.id = t.company_id"
    } else {
        ""
    };
    let branch = |condition: &str| {
        format!(
            "SELECT id FROM (SELECT t.id AS id FROM tickets t {joins} WHERE {condition}{filter} ORDER BY t.id {dir} LIMIT {limit}) AS page"
        )
    };
    match scope {
        ReadScope::All => branch("TRUE"),
        ReadScope::Contact {
            contact_id,
            company_id,
        } => {
            args.push(Box::new(contact_id));
            let n = last(args);
            let own = format!(
                "{} UNION {}",
                branch(&format!("t.contact_id = {n}")),
                branch(&format!(
                    "t.id IN (SELECT x.ticket_id FROM ticket_ccs x WHERE x.contact_id = {n})"
                ))
            );
            match company_id {
                None => own,
                Some(company) => {
                    args.push(Box::new(company));
                    format!(
                        "SELECT id FROM ({own} UNION {}) AS merged ORDER BY id {dir} LIMIT {limit}",
                        branch(&format!("t.company_id = {}", last(args)))
                    )
                }
            }
        }
    }
}

/// Runs a page statement (its generic plan, as every pooled connection is set up to use).
async fn page(c: &Db, sql: &str, args: &Args) -> StoreResult<Vec<TicketRow>> {
    let params: Vec<&(dyn ToSql + Sync)> = args
        .iter()
        .map(|a| a.as_ref() as &(dyn ToSql + Sync))
        .collect();
    rows(c, sql, &params)
        .await?
        .iter()
        .map(ticket_row)
        .collect()
}

/// A page of tickets in `scope` matching `q`, newest first.
pub async fn list(c: &Db, scope: ReadScope, q: &TicketQuery) -> StoreResult<Vec<TicketRow>> {
    let mut args = Args::new();
    let (filter, names) = filter_sql(q, &mut args);
    let limit = q.limit;
    let ids = scoped_ids(scope, &filter, names, true, limit, &mut args);
    let select = ticket_select(scope.into());
    let sql = format!("{select} WHERE t.id IN ({ids}) ORDER BY t.id DESC LIMIT {limit}");
    page(c, &sql, &args).await
}

/// Tickets in `scope` with id above `after`, ascending (snapshot pages of the sync feed).
pub async fn by_id(
    c: &Db,
    scope: ReadScope,
    after: i64,
    limit: usize,
) -> StoreResult<Vec<TicketRow>> {
    let mut args: Args = vec![Box::new(after)];
    let ids = scoped_ids(scope, " AND t.id > $1", false, false, limit, &mut args);
    let select = ticket_select(scope.into());
    let sql = format!("{select} WHERE t.id IN ({ids}) ORDER BY t.id LIMIT {limit}");
    page(c, &sql, &args).await
}

/// Tickets with these ids (missing ones skipped), as `reader` sees them, in the given order.
pub async fn in_ids(c: &Db, ids: &[i64], reader: Reader) -> StoreResult<Vec<TicketRow>> {
    let sql = format!("{} WHERE t.id = $1", ticket_select(reader));
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(r) = row_opt(c, &sql, &[id]).await? {
            out.push(ticket_row(&r)?);
        }
    }
    Ok(out)
}

/// One ticket, as `reader` sees it.
pub async fn get_ticket(c: &Db, id: i64, reader: Reader) -> StoreResult<TicketRow> {
    let sql = format!("{} WHERE t.id = $1", ticket_select(reader));
    ticket_row(&row(c, &sql, &[&id]).await?)
}

/// Messages of a ticket, oldest first, each with its failed mails.
pub async fn messages(c: &Db, ticket_id: i64) -> StoreResult<Vec<MessageRow>> {
    let sql = format!("{MESSAGE_SELECT} WHERE m.ticket_id = $1 ORDER BY m.id");
    let mut messages = rows(c, &sql, &[&ticket_id])
        .await?
        .iter()
        .map(message_row)
        .collect::<StoreResult<Vec<_>>>()?;
    let failed = rows(
        c,
        "SELECT message_ref, recipient, COALESCE(last_error, 'failed') FROM mail_queue \
         WHERE ticket_id = $1 AND state = 'failed' AND message_ref IS NOT NULL ORDER BY id",
        &[&ticket_id],
    )
    .await?
    .iter()
    .map(|r| Ok((get(r, 0)?, get(r, 1)?, get(r, 2)?)))
    .collect::<StoreResult<Vec<_>>>()?;
    attach_failures(&mut messages, failed);
    Ok(messages)
}

async fn staff_exists(c: &Db, id: i64) -> StoreResult<bool> {
    Ok(super::people::staff_ids(c).await?.contains(&id))
}

async fn inbox_exists(c: &Db, id: i64) -> StoreResult<bool> {
    Ok(super::config::inboxes(c).await?.iter().any(|b| b.id == id))
}

/// Creates a ticket, copying the contacts `ccs` on it before its mails are queued (see the
/// SQLite store's `create`).
pub async fn create(c: &Db, t: NewTicket, ccs: &[i64]) -> StoreResult<(TicketRow, RouteDecision)> {
    let requester = contact(c, t.contact_id).await.map_err(|e| match e {
        StoreError::NotFound => {
            ValidationError::new("contact_id", format!("no contact with id {}", t.contact_id))
                .into()
        }
        other => other,
    })?;
    let company_name: Option<String> = match requester.company_id {
        Some(id) => Some(get(
            &row(c, "SELECT name FROM companies WHERE id = $1", &[&id]).await?,
            0,
        )?),
        None => None,
    };
    let decision = match t.inbox_id {
        Some(inbox_id) => {
            if !inbox_exists(c, inbox_id).await? {
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
            let mut d = route(c, &draft, None, true).await?;
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
        && !staff_exists(c, owner).await?
    {
        return Err(ValidationError::new("owner_id", format!("no agent with id {owner}")).into());
    }
    let now = now_text();
    let added = row(
        c,
        "INSERT INTO tickets (subject, description, stage, priority, category, inbox_id, owner_id, contact_id, company_id, \
         source, form_fields, tags, created_at, updated_at, version, public_updated_at, public_version) \
         VALUES ($1, $2, 'new', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, 1, $12, 1) RETURNING id",
        &[
            &t.subject.trim(),
            &t.description,
            &decision.priority.unwrap_or(t.priority).as_str(),
            &t.category,
            &inbox_id,
            &decision.owner_id,
            &t.contact_id,
            &requester.company_id,
            &t.source.as_str(),
            &serde_json::to_string(&t.form_fields)?,
            &serde_json::to_string(&t.tags)?,
            &now,
        ],
    )
    .await?;
    let id: i64 = get(&added, 0)?;
    append_change(c, "ticket", id, "upsert", None).await?;
    if !ccs.is_empty() {
        write_ccs(c, id, ccs).await?;
    }
    let created = get_ticket(c, id, Reader::Staff).await?;
    enqueue(c, &created, MailEvent::TicketCreated, None).await?;
    enqueue(c, &created, MailEvent::AssignedToYou, None).await?;
    Ok((created, decision))
}

/// Applies a change by the account named `by` if `expected` (when given) is the current
/// version as `reader` sees it; returns the ticket as `reader` sees it. A change customers
/// cannot see leaves the public version, update time and author alone and is logged as
/// staff-only.
pub async fn update(
    c: &Db,
    id: i64,
    change: &TicketChange,
    reader: Reader,
    expected: Option<i64>,
    by: &str,
) -> StoreResult<TicketRow> {
    let current = get_ticket(c, id, Reader::Staff).await?;
    if let Some(v) = expected {
        let seen = match reader {
            Reader::Staff => current.ticket.version,
            Reader::Customer => get_ticket(c, id, reader).await?.ticket.version,
        };
        if v != seen {
            return Err(StoreError::Conflict(seen));
        }
    }
    if let Some(Some(o)) = change.owner_id
        && !staff_exists(c, o).await?
    {
        return Err(ValidationError::new("owner_id", format!("no agent with id {o}")).into());
    }
    if let Some(inbox) = change.inbox_id
        && !inbox_exists(c, inbox).await?
    {
        return Err(ValidationError::new("inbox_id", format!("no inbox with id {inbox}")).into());
    }
    if let Some(ccs) = &change.ccs {
        check(c, &current.ticket, ccs).await?;
    }
    let now = now_text();
    let t = changed_ticket(&current.ticket, change, &now);
    if t == current.ticket {
        return get_ticket(c, id, reader).await;
    }
    let public = customer_visible_change(&current.ticket, &t);
    execute(
        c,
        "UPDATE tickets SET subject = $2, stage = $3, priority = $4, category = $5, owner_id = $6, inbox_id = $7, tags = $8, \
         closed_at = $9, updated_at = $10, version = version + 1, updated_by = $12, \
         public_version = public_version + CASE WHEN $11 THEN 1 ELSE 0 END, \
         public_updated_at = CASE WHEN $11 THEN $10 ELSE public_updated_at END, \
         public_updated_by = CASE WHEN $11 THEN $12 ELSE public_updated_by END WHERE id = $1",
        &[
            &id,
            &t.subject,
            &t.stage.as_str(),
            &t.priority.as_str(),
            &t.category,
            &t.owner_id,
            &t.inbox_id,
            &serde_json::to_string(&t.tags)?,
            &t.closed_at,
            &now,
            &public,
            &by,
        ],
    )
    .await?;
    if t.ccs != current.ticket.ccs {
        write_ccs(c, id, &t.ccs).await?;
    }
    append_ticket_change(c, id, Some(TicketScope::from(&current.ticket)), !public).await?;
    let mails = change_mails(&current.ticket, &t);
    if !mails.is_empty() {
        let changed = get_ticket(c, id, Reader::Staff).await?;
        for mail in mails {
            enqueue(c, &changed, mail, None).await?;
        }
    }
    get_ticket(c, id, reader).await
}

/// Appends a message and moves the stage: a customer's reply to waiting on us, a staff
/// reply to waiting on contact (a closed ticket stays closed). Internal notes leave stage
/// and `updated_at` alone.
pub async fn add_message(
    c: &Db,
    ticket_id: i64,
    author: AuthorKind,
    author_id: i64,
    body: &str,
    internal: bool,
) -> StoreResult<MessageRow> {
    let current = get_ticket(c, ticket_id, Reader::Staff).await?;
    let now = now_text();
    let kind = if author == AuthorKind::User {
        "user"
    } else {
        "contact"
    };
    let added = row(
        c,
        "INSERT INTO messages (ticket_id, author_kind, author_id, body, internal, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        &[&ticket_id, &kind, &author_id, &body, &internal, &now],
    )
    .await?;
    let message_id: i64 = get(&added, 0)?;
    let message = message_row(
        &row(
            c,
            &format!("{MESSAGE_SELECT} WHERE m.id = $1"),
            &[&message_id],
        )
        .await?,
    )?;
    let (stage, updated_at, closed_at) = after_message(&current.ticket, author, internal, now);
    let public = !internal;
    // A note is news to staff only: the public version, update time and author stay.
    execute(
        c,
        "UPDATE tickets SET message_count = message_count + 1, stage = $2, closed_at = $3, updated_at = $4, version = version + 1, \
         updated_by = $6, public_version = public_version + CASE WHEN $5 THEN 1 ELSE 0 END, \
         public_updated_at = CASE WHEN $5 THEN $4 ELSE public_updated_at END, \
         public_updated_by = CASE WHEN $5 THEN $6 ELSE public_updated_by END WHERE id = $1",
        &[&ticket_id, &stage.as_str(), &closed_at, &updated_at, &public, &message.author_name],
    )
    .await?;
    append_ticket_change(
        c,
        ticket_id,
        Some(TicketScope::from(&current.ticket)),
        internal,
    )
    .await?;
    if !internal && author == AuthorKind::User {
        let replied = get_ticket(c, ticket_id, Reader::Staff).await?;
        enqueue(c, &replied, MailEvent::StaffReply, Some(&message)).await?;
    }
    Ok(message)
}

/// Open and unassigned tickets per inbox.
pub async fn inbox_counts(c: &Db) -> StoreResult<Vec<(i64, i64, i64)>> {
    rows(
        c,
        "SELECT inbox_id, COUNT(*), SUM(CASE WHEN owner_id IS NULL THEN 1 ELSE 0 END) FROM tickets \
         WHERE stage <> 'closed' GROUP BY inbox_id",
        &[],
    )
    .await?
    .iter()
    .map(|r| Ok((get(r, 0)?, get(r, 1)?, get(r, 2)?)))
    .collect()
}
