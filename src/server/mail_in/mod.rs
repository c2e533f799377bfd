//! Mail in: an SMTP listener (`deskport serve --smtp-listen`) taking mail for the portal's
//! inbound addresses, and a poller taking it from a mailbox (`deskport serve --imap`); both
//! hand each message to one desk, which threads replies into their tickets and opens tickets
//! for new mail. They run beside the HTTP server and stop with it.

pub mod desk;
pub mod imap;
pub mod parse;
pub mod quarantine;
pub mod smtp;

use crate::server::state::SharedState;
use desk::PortalDesk;
use imap::ImapSource;
use smtp::{Desk, Reply, SmtpTimeouts};
use std::convert::Infallible;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// SMTP sessions open at once; a connection past them is told to come back later (`421`).
const MAX_SESSIONS: usize = 64;

/// The name the listener greets with.
const HOST: &str = "deskport";

/// Where a server takes mail from: its SMTP listener, a mailbox it polls, both or neither.
#[derive(Debug, Default)]
pub struct Inbound {
    /// The bound SMTP listener (`serve --smtp-listen`).
    pub smtp: Option<TcpListener>,
    /// The mailbox to poll (`serve --imap`).
    pub imap: Option<ImapSource>,
}

/// Takes mail from every source in `inbound` for as long as the returned future is polled
/// (never, with no source).
pub async fn receive(state: SharedState, inbound: Inbound) -> Infallible {
    let smtp = async {
        match inbound.smtp {
            Some(listener) => {
                let desk = PortalDesk {
                    state: state.clone(),
                };
                receive_forever(listener, desk, SmtpTimeouts::default()).await
            }
            None => std::future::pending().await,
        }
    };
    let imap = async {
        match inbound.imap {
            Some(source) => {
                let desk = PortalDesk {
                    state: state.clone(),
                };
                imap::poll_forever(desk, source).await
            }
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        never = smtp => never,
        never = imap => never,
    }
}

/// Accepts SMTP sessions on `listener` for as long as the returned future is polled; dropping
/// it (the server stopping) ends every open session.
pub async fn receive_forever(
    listener: TcpListener,
    desk: PortalDesk,
    timeouts: SmtpTimeouts,
) -> Infallible {
    let desk: Arc<dyn Desk> = Arc::new(desk);
    let slots = Arc::new(Semaphore::new(MAX_SESSIONS));
    let mut sessions = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            Some(_) = sessions.join_next(), if !sessions.is_empty() => continue,
        };
        let (mut stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!("cannot accept an SMTP connection: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            sessions.spawn(async move {
                use tokio::io::AsyncWriteExt;
                let busy = Reply::new(421, "4.3.2 too busy; try again later");
                let _ = stream
                    .write_all(format!("{} {}\r\n", busy.code, busy.text).as_bytes())
                    .await;
            });
            continue;
        };
        let desk = desk.clone();
        sessions.spawn(async move {
            let (read, mut write) = stream.split();
            let mut reader = tokio::io::BufReader::new(read);
            if let Err(e) =
                smtp::serve(&mut reader, &mut write, desk.as_ref(), HOST, timeouts).await
            {
                tracing::debug!("SMTP session with {peer} ended: {e}");
            }
            drop(permit);
        });
    }
}
