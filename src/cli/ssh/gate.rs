//! The door before sign-in. Every TCP connection costs a task, buffers and a key exchange
//! before anyone knows who it is, so connections that have not signed in yet are capped (in
//! total and per address; one past the cap is closed at once, before a byte is sent) and
//! each has a time limit to sign in, counted from the moment it was accepted, after which it
//! is disconnected. Signing in gives the place back.

use super::seats::{Seat, SeatLimits, Seats};
use russh::Disconnect;
use russh::server::{Config, Handler, run_stream};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::time::{Instant, sleep_until, timeout_at};

/// How long to wait before accepting again when accepting failed (out of file descriptors).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// What the client reads when its time to sign in is up.
const TOO_SLOW: &str = "sign-in took too long";

/// The bounds on connections that have not signed in yet.
#[derive(Debug, Clone, Copy)]
pub struct GateLimits {
    /// How many may wait at once, in total and per client address.
    pub waiting: SeatLimits,
    /// How long a connection has to sign in, from the moment it is accepted.
    pub sign_in_time: Duration,
}

impl Default for GateLimits {
    fn default() -> Self {
        GateLimits {
            waiting: SeatLimits {
                total: 64,
                per_account: 8,
            },
            sign_in_time: Duration::from_secs(120),
        }
    }
}

/// A connection's place among those waiting to sign in; its handler holds it, so the place
/// is given back when the connection signs in or ends, however it ends.
#[derive(Debug)]
pub struct Waiting {
    _place: Seat,
    signed_in: oneshot::Sender<()>,
}

impl Waiting {
    /// The connection signed in: its place is free, and its time limit no longer runs.
    pub fn signed_in(self) {
        // The connection's watcher may have ended with it; then nobody waits for this.
        let _ = self.signed_in.send(());
    }
}

/// Accepts connections on `socket` until the task running it is aborted (a failed accept is
/// retried after a pause), each admitted one served by the handler `new_client` makes for it.
pub async fn serve<H, F>(
    socket: TcpListener,
    config: Arc<Config>,
    limits: GateLimits,
    mut new_client: F,
) -> std::io::Result<()>
where
    H: Handler + Send + 'static,
    F: FnMut(SocketAddr, Waiting) -> H,
{
    let places = Seats::new(limits.waiting);
    loop {
        let (stream, peer) = match socket.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!("cannot accept an SSH connection: {e}");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let accepted_at = Instant::now();
        let Ok(place) = places.take(&peer.ip().to_string()) else {
            tracing::debug!("too many SSH connections waiting to sign in; closed {peer}");
            continue;
        };
        let (signed_in, watch) = oneshot::channel();
        let handler = new_client(
            peer,
            Waiting {
                _place: place,
                signed_in,
            },
        );
        let deadline = accepted_at + limits.sign_in_time;
        tokio::spawn(attend(config.clone(), stream, handler, watch, deadline));
    }
}

/// Runs one connection, disconnecting it at `deadline` unless it signed in by then.
async fn attend<H: Handler + Send + 'static>(
    config: Arc<Config>,
    stream: TcpStream,
    handler: H,
    signed_in: oneshot::Receiver<()>,
    deadline: Instant,
) {
    if let Err(e) = stream.set_nodelay(true) {
        tracing::debug!("cannot set TCP_NODELAY on an SSH connection: {e}");
    }
    let session = match timeout_at(deadline, run_stream(config, stream, handler)).await {
        Ok(Ok(session)) => session,
        Ok(Err(_)) => return tracing::debug!("an SSH connection failed before its key exchange"),
        Err(_) => return tracing::debug!("an SSH connection sent no greeting in time"),
    };
    let handle = session.handle();
    tokio::pin!(session);
    tokio::select! {
        _ = &mut session => return,
        // Signed in, or the handler is gone (the session is ending): either way no limit.
        _ = signed_in => {}
        () = sleep_until(deadline) => {
            let sent = handle
                .disconnect(Disconnect::ByApplication, TOO_SLOW.to_string(), String::new())
                .await;
            if sent.is_err() {
                tracing::debug!("an SSH connection ended as its time to sign in ran out");
            }
        }
    }
    if session.await.is_err() {
        tracing::debug!("an SSH connection ended with an error");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use russh::client;
    use russh::keys::PrivateKey;
    use russh::keys::ssh_key::private::Ed25519Keypair;
    use russh::server::Auth;
    use tokio::io::AsyncReadExt as _;

    /// Signs in anyone who asks for no authentication.
    struct Open(Option<Waiting>);

    impl Handler for Open {
        type Error = russh::Error;

        async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
            if let Some(waiting) = self.0.take() {
                waiting.signed_in();
            }
            Ok(Auth::Accept)
        }
    }

    struct Trusting;

    impl client::Handler for Trusting {
        type Error = russh::Error;

        async fn check_server_key(
            &mut self,
            _key: &russh::keys::PublicKeyOrCertificate,
        ) -> Result<bool, Self::Error> {
            Ok(true)
        }
    }

    async fn gate(limits: GateLimits) -> SocketAddr {
        let socket = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = socket.local_addr().unwrap();
        let config = Arc::new(Config {
            keys: vec![PrivateKey::from(Ed25519Keypair::from_seed(&[7; 32]))],
            ..Default::default()
        });
        tokio::spawn(serve(socket, config, limits, |_, waiting| {
            Open(Some(waiting))
        }));
        addr
    }

    /// What a raw connection reads until it is closed, or `None` if it is still open after
    /// `wait`.
    async fn read_to_close(stream: &mut TcpStream, wait: Duration) -> Option<Vec<u8>> {
        let mut seen = Vec::new();
        tokio::time::timeout(wait, stream.read_to_end(&mut seen))
            .await
            .ok()
            .map(|_| seen)
    }

    #[tokio::test]
    async fn connections_not_signed_in_are_capped_and_timed_out_and_signed_in_ones_stay() {
        let limits = GateLimits {
            waiting: SeatLimits {
                total: 3,
                per_account: 2,
            },
            sign_in_time: Duration::from_millis(1500),
        };
        let addr = gate(limits).await;
        let mut first = TcpStream::connect(addr).await.unwrap();
        let mut second = TcpStream::connect(addr).await.unwrap();
        let mut third = TcpStream::connect(addr).await.unwrap();
        let refused = read_to_close(&mut third, Duration::from_secs(1))
            .await
            .expect("a third connection from one address is closed at once");
        assert!(refused.is_empty(), "nothing is sent to it: {refused:?}");
        let turned_away = client::connect(Arc::default(), addr, Trusting).await;
        assert!(
            turned_away.is_err(),
            "an SSH client past the cap is turned away too"
        );

        let greeted = read_to_close(&mut first, Duration::from_secs(5))
            .await
            .expect("a silent connection is closed when its time is up");
        assert!(greeted.starts_with(b"SSH-2.0-"), "{greeted:?}");
        read_to_close(&mut second, Duration::from_secs(5))
            .await
            .expect("the other one too");

        let mut signed_in = client::connect(Arc::default(), addr, Trusting)
            .await
            .expect("places are given back when connections end");
        assert!(signed_in.authenticate_none("a").await.unwrap().success());
        let mut again = client::connect(Arc::default(), addr, Trusting)
            .await
            .expect("a free place");
        assert!(again.authenticate_none("b").await.unwrap().success());
        let slow = client::connect(Arc::default(), addr, Trusting)
            .await
            .expect("two signed in hold no places");
        tokio::time::sleep(limits.sign_in_time + Duration::from_millis(500)).await;
        assert!(slow.is_closed(), "one that did not sign in is disconnected");
        assert!(
            !signed_in.is_closed() && !again.is_closed(),
            "signed-in connections outlive the limit"
        );
    }
}
