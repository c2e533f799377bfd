//! Helpers for the client tests: signed-in clients on temporary data dirs, waiting for the
//! view to reach a state, and a TCP proxy that can take the server "off the network" (every
//! open connection, the event stream included, is cut) and bring it back on the same address.

#![allow(dead_code)]

use deskport::client::{Client, ClientConfig, Session, View};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Password of every demo account.
pub const PASSWORD: &str = "deskport-demo";

/// Signs `email` in at `url` (a server or proxy base URL).
pub async fn session(url: &str, email: &str) -> Session {
    deskport::client::login(url, email, PASSWORD)
        .await
        .unwrap_or_else(|e| panic!("login {email} at {url}: {e}"))
}

/// Fast retry settings, so offline/online transitions take milliseconds in tests.
pub fn config(data_dir: &Path) -> ClientConfig {
    let mut c = ClientConfig::new(data_dir);
    c.retry_min = Duration::from_millis(50);
    c.retry_max = Duration::from_millis(300);
    c
}

/// Starts a client for `session` on `data_dir`.
pub async fn start(data_dir: &Path, session: Session) -> Client {
    Client::start(config(data_dir), session)
        .await
        .expect("client starts")
}

/// Waits (up to 30 s) until `ok` holds for the client's view.
pub async fn until(client: &Client, what: &str, ok: impl Fn(&View) -> bool) {
    let mut events = client.subscribe();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if ok(&client.view()) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; status {:?}",
            client.view().status
        );
        tokio::select! {
            _ = events.recv() => {}
            () = tokio::time::sleep(Duration::from_millis(50)) => {}
        }
    }
}

/// Waits until the client is online with nothing left to send.
pub async fn settled(client: &Client) {
    until(client, "online and settled", |v| {
        v.status.connection == deskport::client::Connection::Online && v.pending_writes() == 0
    })
    .await;
}

/// A TCP forwarder in front of a server.
pub struct Proxy {
    /// Where clients connect.
    pub addr: SocketAddr,
    target: SocketAddr,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    /// Starts forwarding a fresh loopback port to `target`.
    pub async fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy binds");
        let addr = listener.local_addr().expect("proxy addr");
        let proxy = Proxy {
            addr,
            target,
            tasks: Arc::default(),
        };
        proxy.serve(listener);
        proxy
    }

    /// `http://ADDR`, the URL clients use.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn serve(&self, listener: TcpListener) {
        let (target, tasks) = (self.target, self.tasks.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let conn = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                tasks.lock().expect("tasks").push(conn);
            }
        });
        self.tasks.lock().expect("tasks").push(accept);
    }

    /// Cuts every connection and stops listening: the server is unreachable.
    pub fn down(&self) {
        for t in self.tasks.lock().expect("tasks").drain(..) {
            t.abort();
        }
    }

    /// Listens again on the same address.
    pub async fn up(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let listener = loop {
            match TcpListener::bind(self.addr).await {
                Ok(l) => break l,
                Err(e) => {
                    assert!(
                        Instant::now() < deadline,
                        "cannot rebind {}: {e}",
                        self.addr
                    );
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        };
        self.serve(listener);
    }
}
