//! The quick answer to a connection past the cap when every open one is busy.

use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

/// The error body a refused newcomer reads before the connection closes.
const BUSY_BODY: &str = r#"{"error":{"code":"too_many_connections","message":"every connection is busy; try again shortly"}}"#;

/// Refused connections being answered at once; past this many a newcomer is just closed.
pub(super) const MAX_REFUSALS: usize = 64;

/// Time a refused client gets to read its 503.
const REFUSAL_LINGER: Duration = Duration::from_secs(1);

/// Answers 503 and closes, rather than leaving the client in the accept queue. The client's
/// request is read and dropped meanwhile: closing a socket with unread input resets it, and
/// the reset can destroy the answer before the client reads it.
pub(super) fn refuse(stream: TcpStream, refusals: &Arc<Semaphore>) {
    let Ok(permit) = refusals.clone().try_acquire_owned() else {
        return;
    };
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = stream;
        let response = format!(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{BUSY_BODY}",
            BUSY_BODY.len()
        );
        let answer = async {
            stream.write_all(response.as_bytes()).await?;
            stream.shutdown().await?;
            let mut sink = [0u8; 1024];
            while stream.read(&mut sink).await? > 0 {}
            io::Result::Ok(())
        };
        let _ = tokio::time::timeout(REFUSAL_LINGER, answer).await;
        drop(permit);
    });
}
