//! Reading the `GET /events` Server-Sent Events stream: lines in, events out.

use super::api::transport_error;
use super::error::ApiError;
use std::time::Duration;

/// The server sends a keep-alive comment every 15 s; silence for this long means the stream is dead.
pub const SILENCE_LIMIT: Duration = Duration::from_secs(45);

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// `event:` name (`message` when absent).
    pub event: String,
    /// `data:` lines joined with newlines.
    pub data: String,
}

/// Incremental `text/event-stream` parser: feed bytes, take complete events.
#[derive(Debug, Default)]
pub struct SseParser {
    buf: Vec<u8>,
    event: Option<String>,
    data: Vec<String>,
}

impl SseParser {
    /// Feeds a chunk; returns the events it completed.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        self.buf.extend_from_slice(chunk);
        let mut out = Vec::new();
        while let Some(nl) = self.buf.iter().position(|b| *b == b'\n') {
            let mut line: Vec<u8> = self.buf.drain(..=nl).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            if let Some(ev) = self.line(&String::from_utf8_lossy(&line)) {
                out.push(ev);
            }
        }
        out
    }

    fn line(&mut self, line: &str) -> Option<SseEvent> {
        if line.is_empty() {
            let event = self.event.take();
            if self.data.is_empty() && event.is_none() {
                return None;
            }
            let data = std::mem::take(&mut self.data).join("\n");
            return Some(SseEvent {
                event: event.unwrap_or_else(|| "message".into()),
                data,
            });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = line
            .split_once(':')
            .map(|(f, v)| (f, v.strip_prefix(' ').unwrap_or(v)))
            .unwrap_or((line, ""));
        match field {
            "event" => self.event = Some(value.to_string()),
            "data" => self.data.push(value.to_string()),
            _ => {}
        }
        None
    }
}

/// An open event stream.
pub struct EventStream {
    resp: reqwest::Response,
    parser: SseParser,
    queued: std::collections::VecDeque<SseEvent>,
}

impl EventStream {
    /// Wraps the answer of `GET /events`.
    pub fn new(resp: reqwest::Response) -> Self {
        EventStream {
            resp,
            parser: SseParser::default(),
            queued: Default::default(),
        }
    }

    /// The next event; `Ok(None)` when the server closed the stream, an error when it broke or
    /// fell silent for [`SILENCE_LIMIT`].
    pub async fn next(&mut self) -> Result<Option<SseEvent>, ApiError> {
        loop {
            if let Some(ev) = self.queued.pop_front() {
                return Ok(Some(ev));
            }
            let chunk = tokio::time::timeout(SILENCE_LIMIT, self.resp.chunk())
                .await
                .map_err(|_| ApiError::Offline("the event stream fell silent".into()))?
                .map_err(|e| transport_error(&e))?;
            match chunk {
                Some(bytes) => self.queued.extend(self.parser.feed(&bytes)),
                None => return Ok(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_split_chunks_comments_and_crlf() {
        let mut p = SseParser::default();
        assert!(p.feed(b"event: chan").is_empty());
        assert!(p.feed(b"ged\r\ndata:\r\n").is_empty());
        let evs = p.feed(b"\r\n: keep-alive\n\ndata: a\ndata: b\n\n");
        assert_eq!(
            evs,
            vec![
                SseEvent {
                    event: "changed".into(),
                    data: String::new()
                },
                SseEvent {
                    event: "message".into(),
                    data: "a\nb".into()
                }
            ]
        );
    }
}
