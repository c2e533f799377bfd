//! The mails of a run and their journey: each sender's thread opened first (untimed, its
//! reply address read from the "ticket created" mail the server wrote), then 1 000 mails over
//! several SMTP sessions, a mix of new tickets and replies by reply address, each timed from
//! the `250` after its text to the moment the agent's client shows it.

use crate::seed::sender;
use crate::smtp;
use color_eyre::eyre::{Result, WrapErr, bail, eyre};
use deskport::client::Client;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long mail may take to reach the client before the run is called failed.
const PATIENCE: Duration = Duration::from_secs(300);

/// One mail of the run.
pub struct Mail {
    /// The sender (envelope and `From`).
    from: String,
    /// The one recipient: the support address, or the thread's reply address.
    to: String,
    /// The whole message.
    text: String,
    /// How the client shows it.
    arrival: Arrival,
}

impl Mail {
    /// Whether it answers the sender's thread (else it opens a ticket).
    pub fn is_reply(&self) -> bool {
        matches!(self.arrival, Arrival::Message { .. })
    }
}

/// What the agent's client shows once a mail is in.
enum Arrival {
    /// A ticket with this subject.
    Ticket(String),
    /// Ticket `id` with at least `messages` messages.
    Message { id: i64, messages: i64 },
}

/// A sender's own ticket, which their replies go to.
pub struct Thread {
    /// The ticket.
    id: i64,
    /// Its reply address, from the server's mail.
    reply_to: String,
    /// Its messages before the run.
    messages: i64,
}

/// A mail asking a new question: mail `n` from `from`, with a signature to fold away.
fn new_ticket(n: usize, from: &str, support: &str, subject: &str) -> String {
    format!(
        "From: {from}\r\nTo: {support}\r\nSubject: {subject}\r\nMessage-ID: <bench-{n}@senders.test>\r\n\
         Date: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Hello,\r\nthe badge reader at door {n} refuses every card since this morning.\r\n\
         Could someone look at it?\r\n\r\n-- \r\n{from}\r\n",
        chrono::Utc::now().to_rfc2822()
    )
}

/// Opens one thread per sender and returns them, once the client shows each and the server
/// wrote each one's "ticket created" mail into `mail_dir`.
pub async fn open_threads(
    smtp_addr: SocketAddr,
    support: &str,
    senders: usize,
    client: &Client,
    mail_dir: &Path,
) -> Result<Vec<Thread>> {
    let mut session = smtp::Session::open(smtp_addr).await?;
    for s in 0..senders {
        let subject = format!("Bench thread {s}");
        let text = new_ticket(1_000_000 + s, &sender(s), support, &subject);
        let (code, line) = session.send(&sender(s), support, &text).await?;
        if code != 250 {
            bail!("opening thread {s}: {line}");
        }
    }
    session.quit().await?;
    let deadline = Instant::now() + PATIENCE;
    loop {
        let ids: Vec<Option<(i64, i64)>> = {
            let view = client.view();
            let by_subject: HashMap<&str, (i64, i64)> = view
                .tickets()
                .map(|t| (t.subject(), (t.id(), t.message_count().unwrap_or(0))))
                .collect();
            (0..senders)
                .map(|s| {
                    by_subject
                        .get(format!("Bench thread {s}").as_str())
                        .copied()
                })
                .collect()
        };
        let replies = reply_addresses(mail_dir)?;
        let threads: Option<Vec<Thread>> = ids
            .iter()
            .map(|found| {
                let (id, messages) = (*found)?;
                Some(Thread {
                    id,
                    reply_to: replies.get(&id)?.clone(),
                    messages,
                })
            })
            .collect();
        if let Some(threads) = threads {
            return Ok(threads);
        }
        if Instant::now() > deadline {
            bail!("the senders' threads, or their mails, never arrived");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The reply address of each ticket the server mailed, from the `Reply-To` of the `.eml`
/// files it wrote.
fn reply_addresses(mail_dir: &Path) -> Result<HashMap<i64, String>> {
    let mut found = HashMap::new();
    let entries = std::fs::read_dir(mail_dir).wrap_err("the server's mail folder")?;
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let mut head = text.lines().take_while(|l| !l.is_empty());
        let reply_to = head
            .by_ref()
            .find_map(|l| l.strip_prefix("Reply-To:"))
            .map(|first| {
                let folded = head.take_while(|l| l.starts_with([' ', '\t']));
                std::iter::once(first)
                    .chain(folded)
                    .map(str::trim)
                    .collect::<String>()
            });
        if let Some(address) = reply_to
            .as_deref()
            .map(|v| v.trim_start_matches('<').trim_end_matches('>'))
            && let Some(id) = address
                .strip_prefix("support+")
                .and_then(|rest| rest.split('.').next())
                .and_then(|id| id.parse().ok())
        {
            found.insert(id, address.to_string());
        }
    }
    Ok(found)
}

/// The mails of the run: `per_sender` from each sender, one in `reply_every` a reply to
/// their thread (quoting the mail before), the others new tickets; sender by sender in
/// turn, so each sender's mails go in order.
pub fn plan(threads: &[Thread], support: &str, per_sender: usize, reply_every: usize) -> Vec<Mail> {
    let mut replies = vec![0; threads.len()];
    let mut mails = Vec::new();
    for k in 0..per_sender {
        for (s, thread) in threads.iter().enumerate() {
            let n = mails.len();
            let from = sender(s);
            let mail = if (s + k) % reply_every == 0 {
                replies[s] += 1;
                let text = format!(
                    "From: {from}\r\nTo: {to}\r\nSubject: Re: [#{id}] Bench thread {s}\r\n\
                     Message-ID: <bench-{n}@senders.test>\r\nDate: {date}\r\n\r\n\
                     It happened again ({n}).\r\n\r\nOn Monday, the help desk wrote:\r\n\
                     > A technician is on the way.\r\n> Tell us if it happens again.\r\n",
                    to = thread.reply_to,
                    id = thread.id,
                    date = chrono::Utc::now().to_rfc2822(),
                );
                Mail {
                    from,
                    to: thread.reply_to.clone(),
                    text,
                    arrival: Arrival::Message {
                        id: thread.id,
                        messages: thread.messages + replies[s],
                    },
                }
            } else {
                let subject = format!("Bench {n}: badge reader at door {n}");
                Mail {
                    text: new_ticket(n, &from, support, &subject),
                    from,
                    to: support.to_string(),
                    arrival: Arrival::Ticket(subject),
                }
            };
            mails.push(mail);
        }
    }
    mails
}

/// When each mail was taken (its `250`) and when the client first showed it.
pub struct Timings {
    /// When the first session started sending.
    pub start: Instant,
    /// Per mail: the `250`.
    pub taken: Vec<Instant>,
    /// Per mail: first seen in the client.
    pub shown: Vec<Instant>,
}

/// Sends `mails` over `sessions` SMTP sessions (mail `i` on session `i % sessions`) while
/// watching `client`; returns once the client shows every mail.
pub async fn run(
    smtp_addr: SocketAddr,
    sessions: usize,
    mails: &[Mail],
    client: &Client,
) -> Result<Timings> {
    let start = Instant::now();
    let failure: Failure = Arc::default();
    let senders: Vec<_> = (0..sessions)
        .map(|c| {
            let batch: Vec<(usize, String, String, String)> = mails
                .iter()
                .enumerate()
                .skip(c)
                .step_by(sessions)
                .map(|(i, m)| (i, m.from.clone(), m.to.clone(), m.text.clone()))
                .collect();
            let failure = failure.clone();
            tokio::spawn(async move {
                let sent = send_all(smtp_addr, batch).await;
                if let Err(e) = &sent {
                    *failure.lock().unwrap_or_else(PoisonError::into_inner) =
                        Some(format!("{e:#}"));
                }
                sent
            })
        })
        .collect();
    let shown = watch(client, mails, &failure).await?;
    let mut taken = vec![start; mails.len()];
    for task in senders {
        for (i, at) in task.await.map_err(|e| eyre!("a sending session: {e}"))?? {
            taken[i] = at;
        }
    }
    Ok(Timings {
        start,
        taken,
        shown,
    })
}

/// Sends `batch` (index, from, to, text) in one session; returns when each was taken.
async fn send_all(
    addr: SocketAddr,
    batch: Vec<(usize, String, String, String)>,
) -> Result<Vec<(usize, Instant)>> {
    let mut session = smtp::Session::open(addr).await?;
    let mut taken = Vec::with_capacity(batch.len());
    for (i, from, to, text) in batch {
        let (code, line) = session.send(&from, &to, &text).await?;
        let at = Instant::now();
        if code != 250 {
            bail!("mail {i} from {from}: {line}");
        }
        taken.push((i, at));
    }
    session.quit().await?;
    Ok(taken)
}

/// The first error of a sending session, which ends the watch.
type Failure = Arc<Mutex<Option<String>>>;

/// When the client first showed each of `mails`, looking again after every change it
/// announces; stops early when a sending session failed.
async fn watch(client: &Client, mails: &[Mail], failure: &Failure) -> Result<Vec<Instant>> {
    let mut events = client.subscribe();
    let mut subjects: HashMap<&str, usize> = HashMap::new();
    let mut messages: HashMap<i64, Vec<(i64, usize)>> = HashMap::new();
    for (i, m) in mails.iter().enumerate() {
        match &m.arrival {
            Arrival::Ticket(subject) => {
                subjects.insert(subject, i);
            }
            Arrival::Message { id, messages: n } => messages.entry(*id).or_default().push((*n, i)),
        }
    }
    let mut shown: Vec<Option<Instant>> = vec![None; mails.len()];
    let mut left = mails.len();
    let deadline = Instant::now() + PATIENCE;
    while left > 0 {
        {
            let view = client.view();
            let now = Instant::now();
            let mut mark = |i: usize| {
                if shown[i].is_none() {
                    shown[i] = Some(now);
                    left -= 1;
                }
            };
            for t in view.tickets() {
                if let Some(&i) = subjects.get(t.subject()) {
                    mark(i);
                }
            }
            for (id, waiting) in &messages {
                let count = view
                    .ticket(*id)
                    .and_then(|t| t.message_count())
                    .unwrap_or(0);
                for &(_, i) in waiting.iter().filter(|(n, _)| count >= *n) {
                    mark(i);
                }
            }
        }
        if let Some(e) = failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
        {
            bail!("sending failed: {e}");
        }
        if Instant::now() > deadline {
            bail!(
                "{left} of {} mails never reached the agent's client",
                mails.len()
            );
        }
        let _ = tokio::time::timeout(Duration::from_millis(20), events.recv()).await;
    }
    Ok(shown.into_iter().flatten().collect())
}
