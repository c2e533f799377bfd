//! The server side of one SMTP session (RFC 5321): greeting, `EHLO`/`HELO`, `MAIL`, `RCPT`,
//! `DATA` (dot-unstuffed), `RSET`, `NOOP`, `QUIT`, within bounds on line length, message size,
//! recipients, commands, errors and time. What to accept and what to do with a message is
//! the [`Desk`]'s to say; this file only speaks the protocol.

use std::time::Duration;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};

/// The largest message taken (25 MiB); a larger one is refused with 552.
pub const MAX_MESSAGE_BYTES: usize = 25 * 1024 * 1024;
/// The longest command line (RFC 5321 allows 512 octets with its CRLF).
const MAX_COMMAND_LINE: usize = 512;
/// The longest line of message text read at once; a longer one is read in pieces.
const MAX_TEXT_LINE: usize = 64 * 1024;
/// Recipients of one message.
const MAX_RECIPIENTS: usize = 100;
/// Commands without a message taken before the session is closed (a client that talks and
/// never sends mail); each message taken starts the count again.
const MAX_COMMANDS: usize = 1000;
/// Refused commands in one session before it is closed.
const MAX_ERRORS: usize = 10;

/// The session's time limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmtpTimeouts {
    /// Waiting for a command (RFC 5321 suggests 5 minutes).
    pub command: Duration,
    /// Waiting for the next line of a message's text (RFC 5321: 3 minutes).
    pub data_line: Duration,
}

impl Default for SmtpTimeouts {
    fn default() -> Self {
        SmtpTimeouts {
            command: Duration::from_secs(300),
            data_line: Duration::from_secs(180),
        }
    }
}

/// An SMTP reply: code and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// Three-digit code.
    pub code: u16,
    /// Text (one line).
    pub text: String,
}

impl Reply {
    /// A reply with `code` and `text`.
    pub fn new(code: u16, text: impl Into<String>) -> Self {
        Reply {
            code,
            text: text.into(),
        }
    }
}

/// What the session asks about the mail it is handed.
#[async_trait::async_trait]
pub trait Desk: Send + Sync {
    /// Whether mail for `recipient` is taken here.
    async fn accepts(&self, recipient: &str) -> bool;
    /// Takes a whole message from `sender` (the envelope's, maybe empty) to `recipients`; the
    /// reply says whether it was taken.
    async fn deliver(&self, sender: &str, recipients: &[String], message: Vec<u8>) -> Reply;
}

/// A line as read: its bytes without the line end, or why there is none.
enum Line {
    Text(Vec<u8>),
    /// Longer than allowed: the rest of it was skipped.
    TooLong,
    /// The client closed the connection.
    Closed,
}

/// Reads one line of at most `max` bytes; a longer line is skipped to its end.
async fn read_line<R: AsyncBufRead + Unpin>(reader: &mut R, max: usize) -> std::io::Result<Line> {
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        let available = reader.fill_buf().await?;
        if available.is_empty() {
            return Ok(Line::Closed);
        }
        let (chunk, done) = match available.iter().position(|b| *b == b'\n') {
            Some(end) => (&available[..=end], true),
            None => (available, false),
        };
        let taken = chunk.len();
        if !too_long && line.len() + taken <= max + 2 {
            line.extend_from_slice(chunk);
        } else {
            too_long = true;
        }
        reader.consume(taken);
        if done {
            if too_long {
                return Ok(Line::TooLong);
            }
            while matches!(line.last(), Some(b'\n' | b'\r')) {
                line.pop();
            }
            return Ok(Line::Text(line));
        }
        if !too_long && line.len() > max + 2 {
            too_long = true;
        }
    }
}

/// The address in a `MAIL FROM:<…>` or `RCPT TO:<…>` argument, and the parameters after it.
fn path_argument<'a>(arg: &'a str, keyword: &str) -> Option<(&'a str, &'a str)> {
    let prefix = arg.get(..keyword.len())?;
    if !prefix.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = arg[keyword.len()..].trim_start();
    let rest = rest.strip_prefix('<')?;
    let end = rest.find('>')?;
    Some((rest[..end].trim(), rest[end + 1..].trim()))
}

/// The `SIZE=` a `MAIL FROM` declares, if any.
fn declared_size(params: &str) -> Option<usize> {
    params.split_whitespace().find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.eq_ignore_ascii_case("SIZE")
            .then(|| value.parse().ok())
            .flatten()
    })
}

/// Where the session is.
struct Envelope {
    greeted: bool,
    sender: Option<String>,
    recipients: Vec<String>,
}

/// Runs one session over `reader`/`writer` until the client quits, breaks a limit or goes
/// quiet; `host` names this server in the greeting.
pub async fn serve<R, W>(
    reader: &mut R,
    writer: &mut W,
    desk: &dyn Desk,
    host: &str,
    timeouts: SmtpTimeouts,
) -> std::io::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut env = Envelope {
        greeted: false,
        sender: None,
        recipients: Vec::new(),
    };
    send(
        writer,
        &Reply::new(220, format!("{host} deskport ESMTP ready")),
    )
    .await?;
    let mut errors = 0;
    let mut commands = 0;
    while commands < MAX_COMMANDS {
        commands += 1;
        let line = match tokio::time::timeout(timeouts.command, read_line(reader, MAX_COMMAND_LINE))
            .await
        {
            Err(_) => {
                return send(writer, &Reply::new(421, "4.4.2 timeout; closing")).await;
            }
            Ok(line) => line?,
        };
        let reply = match line {
            Line::Closed => return Ok(()),
            Line::TooLong => Reply::new(500, "5.5.2 line too long"),
            Line::Text(bytes) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                match command(reader, writer, desk, host, timeouts, &mut env, &text).await? {
                    Step::Taken(reply) => {
                        commands = 0;
                        reply
                    }
                    Step::Reply(reply) => reply,
                    Step::Sent => continue,
                    Step::Quit => {
                        return send(writer, &Reply::new(221, "2.0.0 bye")).await;
                    }
                    Step::Close(reply) => return send(writer, &reply).await,
                }
            }
        };
        if reply.code >= 500 && reply.code != 550 && reply.code != 552 {
            errors += 1;
        }
        send(writer, &reply).await?;
        if errors >= MAX_ERRORS {
            return send(writer, &Reply::new(421, "4.7.0 too many errors; closing")).await;
        }
    }
    send(writer, &Reply::new(421, "4.7.0 too many commands; closing")).await
}

/// What a command leads to.
enum Step {
    /// Send this reply and read the next command.
    Reply(Reply),
    /// A message was handed over: send this reply (the desk's answer) and read on.
    Taken(Reply),
    /// The reply was sent already (a multi-line one).
    Sent,
    /// Say goodbye and close.
    Quit,
    /// Send this reply and close.
    Close(Reply),
}

async fn send<W: AsyncWrite + Unpin>(writer: &mut W, reply: &Reply) -> std::io::Result<()> {
    writer
        .write_all(format!("{} {}\r\n", reply.code, reply.text).as_bytes())
        .await?;
    writer.flush().await
}

/// Answers one command line.
async fn command<R, W>(
    reader: &mut R,
    writer: &mut W,
    desk: &dyn Desk,
    host: &str,
    timeouts: SmtpTimeouts,
    env: &mut Envelope,
    line: &str,
) -> std::io::Result<Step>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let (verb, arg) = line.split_once(' ').unwrap_or((line, ""));
    let arg = arg.trim();
    let reply = match verb.to_ascii_uppercase().as_str() {
        "EHLO" | "HELO" if arg.is_empty() => Reply::new(501, "5.5.4 say who you are"),
        "EHLO" => {
            env.greeted = true;
            env.sender = None;
            env.recipients.clear();
            let lines = [
                format!("250-{host} greets {arg}"),
                format!("250-SIZE {MAX_MESSAGE_BYTES}"),
                "250-8BITMIME".to_string(),
                "250 PIPELINING".to_string(),
            ];
            writer
                .write_all(format!("{}\r\n", lines.join("\r\n")).as_bytes())
                .await?;
            writer.flush().await?;
            return Ok(Step::Sent);
        }
        "HELO" => {
            env.greeted = true;
            env.sender = None;
            env.recipients.clear();
            Reply::new(250, host.to_string())
        }
        "MAIL" if !env.greeted => Reply::new(503, "5.5.1 EHLO first"),
        "MAIL" if env.sender.is_some() => Reply::new(503, "5.5.1 one MAIL at a time"),
        "MAIL" => match path_argument(arg, "FROM:") {
            None => Reply::new(501, "5.5.4 syntax: MAIL FROM:<address>"),
            Some((_, params)) if declared_size(params).is_some_and(|s| s > MAX_MESSAGE_BYTES) => {
                Reply::new(552, "5.3.4 message too big")
            }
            Some((from, _)) => {
                env.sender = Some(from.to_string());
                Reply::new(250, "2.1.0 ok")
            }
        },
        "RCPT" if env.sender.is_none() => Reply::new(503, "5.5.1 MAIL first"),
        "RCPT" => match path_argument(arg, "TO:") {
            None => Reply::new(501, "5.5.4 syntax: RCPT TO:<address>"),
            Some(_) if env.recipients.len() >= MAX_RECIPIENTS => {
                Reply::new(452, "4.5.3 too many recipients")
            }
            Some((to, _)) if desk.accepts(to).await => {
                env.recipients.push(to.to_string());
                Reply::new(250, "2.1.5 ok")
            }
            Some(_) => Reply::new(550, "5.1.1 no such mailbox here"),
        },
        "DATA" if env.recipients.is_empty() => Reply::new(503, "5.5.1 RCPT first"),
        "DATA" => {
            send(writer, &Reply::new(354, "end with <CRLF>.<CRLF>")).await?;
            let step = match read_message(reader, timeouts).await? {
                Message::Whole(bytes) => {
                    let sender = env.sender.clone().unwrap_or_default();
                    Step::Taken(desk.deliver(&sender, &env.recipients, bytes).await)
                }
                Message::TooBig => Step::Reply(Reply::new(552, "5.3.4 message too big")),
                Message::LineTooLong => {
                    Step::Reply(Reply::new(500, "5.5.2 a line of the message is too long"))
                }
                Message::TimedOut => {
                    return Ok(Step::Close(Reply::new(421, "4.4.2 timeout; closing")));
                }
                Message::Closed => return Ok(Step::Close(Reply::new(421, "4.4.2 closing"))),
            };
            env.sender = None;
            env.recipients.clear();
            return Ok(step);
        }
        "RSET" => {
            env.sender = None;
            env.recipients.clear();
            Reply::new(250, "2.0.0 ok")
        }
        "NOOP" => Reply::new(250, "2.0.0 ok"),
        "QUIT" => return Ok(Step::Quit),
        "VRFY" => Reply::new(252, "2.5.0 cannot verify; send the mail"),
        _ => Reply::new(502, "5.5.2 command not implemented"),
    };
    Ok(Step::Reply(reply))
}

/// A message's text as read after `DATA`.
enum Message {
    /// The whole text, dot-unstuffed, lines ending in CRLF.
    Whole(Vec<u8>),
    /// Larger than [`MAX_MESSAGE_BYTES`] (read to its end and dropped).
    TooBig,
    /// A line was longer than any mail may have (read to its end and dropped).
    LineTooLong,
    /// The client went quiet.
    TimedOut,
    /// The client closed the connection before the end.
    Closed,
}

/// Reads a message's text up to the line holding a single dot, undoing dot-stuffing.
async fn read_message<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    timeouts: SmtpTimeouts,
) -> std::io::Result<Message> {
    let mut data = Vec::new();
    let mut too_big = false;
    let mut too_long = false;
    loop {
        let line = match tokio::time::timeout(timeouts.data_line, read_line(reader, MAX_TEXT_LINE))
            .await
        {
            Err(_) => return Ok(Message::TimedOut),
            Ok(line) => line?,
        };
        let bytes = match line {
            Line::Closed => return Ok(Message::Closed),
            Line::TooLong => {
                too_long = true;
                continue;
            }
            Line::Text(bytes) => bytes,
        };
        if bytes == b"." {
            break;
        }
        let text = bytes.strip_prefix(b".").unwrap_or(&bytes);
        if too_big || data.len() + text.len() + 2 > MAX_MESSAGE_BYTES {
            too_big = true;
            data = Vec::new();
            continue;
        }
        data.extend_from_slice(text);
        data.extend_from_slice(b"\r\n");
    }
    Ok(if too_big {
        Message::TooBig
    } else if too_long {
        Message::LineTooLong
    } else {
        Message::Whole(data)
    })
}

#[cfg(test)]
mod tests;
