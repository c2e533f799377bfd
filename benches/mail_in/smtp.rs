//! A plain SMTP client over a tokio TCP stream: one session that sends mail after mail
//! (`MAIL`, `RCPT`, `DATA`), so the time of each `250` after the message is known exactly.

use color_eyre::eyre::{Result, WrapErr, bail};
use std::net::SocketAddr;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

/// One open SMTP session, greeted with `EHLO`.
pub struct Session {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
}

impl Session {
    /// Connects to `addr` and says `EHLO`.
    pub async fn open(addr: SocketAddr) -> Result<Session> {
        let stream = TcpStream::connect(addr)
            .await
            .wrap_err_with(|| format!("connect to the SMTP listener {addr}"))?;
        stream.set_nodelay(true)?;
        let (read, writer) = stream.into_split();
        let mut session = Session {
            reader: BufReader::new(read),
            writer,
        };
        session.expect(220, "greeting").await?;
        session.command("EHLO bench.test", 250).await?;
        Ok(session)
    }

    /// Reads one reply (all lines of a multi-line one); returns its code and last line.
    async fn reply(&mut self) -> Result<(u16, String)> {
        loop {
            let mut line = String::new();
            if self.reader.read_line(&mut line).await? == 0 {
                bail!("the SMTP listener closed the connection");
            }
            let code: u16 = line
                .get(..3)
                .and_then(|c| c.parse().ok())
                .ok_or_else(|| color_eyre::eyre::eyre!("not an SMTP reply: {line:?}"))?;
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok((code, line.trim_end().to_string()));
            }
        }
    }

    async fn expect(&mut self, code: u16, what: &str) -> Result<()> {
        let (got, line) = self.reply().await?;
        if got != code {
            bail!("{what}: expected {code}, got {line}");
        }
        Ok(())
    }

    async fn command(&mut self, line: &str, code: u16) -> Result<()> {
        self.writer
            .write_all(format!("{line}\r\n").as_bytes())
            .await?;
        self.expect(code, line).await
    }

    /// Sends `message` from `from` to `to`; returns the reply to the message's end (`250`
    /// when the server took it), read the moment it arrives.
    pub async fn send(&mut self, from: &str, to: &str, message: &str) -> Result<(u16, String)> {
        self.command(&format!("MAIL FROM:<{from}>"), 250).await?;
        self.command(&format!("RCPT TO:<{to}>"), 250).await?;
        self.command("DATA", 354).await?;
        let mut text = String::with_capacity(message.len() + 8);
        for line in message.lines() {
            if line.starts_with('.') {
                text.push('.');
            }
            text.push_str(line);
            text.push_str("\r\n");
        }
        text.push_str(".\r\n");
        self.writer.write_all(text.as_bytes()).await?;
        self.reply().await
    }

    /// Ends the session.
    pub async fn quit(mut self) -> Result<()> {
        self.command("QUIT", 221).await
    }
}
