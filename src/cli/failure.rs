//! How a command ends: one plain line on stderr and a documented exit code for what the user
//! can act on (a wrong password, an unreachable server, a refused value), a quiet success
//! when the reader of our output went away (`deskport tickets | head`), and color-eyre's full
//! report, backtrace included, only for a panic, which is always a bug.

use color_eyre::eyre::Report;
use deskport::client::{ApiError, ClientError};
use deskport::tui::i18n::{t, tf};
use std::io::IsTerminal as _;
use std::process::ExitCode;

/// The exit codes, as `deskport --help` and the README list them.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  done (also when the output is cut short, as in `deskport tickets | head`)
  1  failed: a value refused, a local file unreadable, a server error
  2  the command line is wrong (see --help)
  3  not signed in: no session, an expired one, or a wrong email, password or code
  4  the server cannot be reached
  5  not allowed: the account's role (or the portal's settings) forbid it
101  a crash: a bug in deskport, reported with a backtrace";

/// Why a command failed, as far as the exit code tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Anything else the user can read and act on.
    Failed,
    /// No session, an expired one, or wrong credentials.
    SignedOut,
    /// The server cannot be reached.
    Unreachable,
    /// The account may not do this.
    NotAllowed,
}

impl Exit {
    fn code(self) -> u8 {
        match self {
            Exit::Failed => 1,
            Exit::SignedOut => 3,
            Exit::Unreachable => 4,
            Exit::NotAllowed => 5,
        }
    }
}

/// An error a command reports to the user, with the exit code it ends with.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command failed for a reason the message explains.
    #[error("{message}")]
    Failed {
        /// Which exit code.
        exit: Exit,
        /// One line for the user.
        message: String,
    },
    /// Standard output was closed by its reader: not a failure, the command just stops.
    #[error("standard output was closed")]
    OutputClosed,
}

/// A failure with `exit` and `message`, ready for `?`.
pub fn fail(exit: Exit, message: impl Into<String>) -> Report {
    CliError::Failed {
        exit,
        message: message.into(),
    }
    .into()
}

/// What an API failure means to the user of a command on `server` (its base URL), in the
/// command's language (a server's own message already comes in it).
pub fn api_failure(server: &str, e: &ApiError) -> Report {
    let (exit, message) = match e {
        ApiError::Offline(detail) => (Exit::Unreachable, unreachable(server, detail)),
        ApiError::Unauthorized(_) => (Exit::SignedOut, t("cli-session-ended")),
        ApiError::Forbidden { code, .. } if code == "consent_required" => {
            (Exit::NotAllowed, t("cli-consent-first"))
        }
        ApiError::Forbidden { message, .. } => (
            Exit::NotAllowed,
            tf("cli-not-allowed", &[("reason", message.into())]),
        ),
        ApiError::Server { status, message } => (
            Exit::Failed,
            tf(
                "cli-server-failed",
                &[
                    ("status", i64::from(*status).into()),
                    ("reason", message.into()),
                ],
            ),
        ),
        ApiError::Protocol(m) => (
            Exit::Failed,
            tf(
                "cli-unexpected-answer",
                &[("server", server.into()), ("detail", m.into())],
            ),
        ),
        ApiError::NotFound => (Exit::Failed, t("cli-not-found")),
        ApiError::Conflict { message, .. }
        | ApiError::RateLimited { message, .. }
        | ApiError::Rejected { message, .. } => (Exit::Failed, message.clone()),
    };
    fail(exit, message)
}

/// What a client failure means to the user of a command on `server`.
pub fn client_failure(server: &str, e: &ClientError) -> Report {
    match e {
        ClientError::Api(api) => api_failure(server, api),
        other => fail(Exit::Failed, other.to_string()),
    }
}

/// "cannot reach http://host:port (connection refused)": the server once, and the cause at
/// the bottom of the transport's chain (`detail`) without the request URL or OS error number.
pub fn unreachable(server: &str, detail: &str) -> String {
    let cause = root_cause(detail);
    tf(
        "cli-unreachable",
        &[("server", server.into()), ("cause", (&cause).into())],
    )
}

fn root_cause(detail: &str) -> String {
    let last = detail.rsplit(": ").next().unwrap_or(detail).trim();
    let without_errno = match last.find(" (os error ") {
        Some(at) if last.ends_with(')') => &last[..at],
        _ => last,
    };
    let mut chars = without_errno.chars();
    match (chars.next(), chars.next()) {
        // "Connection refused" reads better mid-sentence as "connection refused"; "DNS …" stays.
        (Some(first), Some(second)) if second.is_lowercase() => first
            .to_lowercase()
            .chain(without_errno[first.len_utf8()..].chars())
            .collect(),
        _ => without_errno.to_string(),
    }
}

/// Ends the process for `result`: the exit code, and for an error one line on stderr.
pub fn finish(result: color_eyre::Result<()>) -> ExitCode {
    let Err(report) = result else {
        return ExitCode::SUCCESS;
    };
    let ours = report.chain().find_map(|e| e.downcast_ref::<CliError>());
    let exit = match ours {
        Some(CliError::OutputClosed) => return ExitCode::SUCCESS,
        Some(CliError::Failed { exit, .. }) => *exit,
        None => Exit::Failed,
    };
    eprintln!("{} {}", prefix(), one_line(&report));
    ExitCode::from(exit.code())
}

/// The error and its causes on one line, without control characters (a server's message
/// could carry some) and without a cause that repeats what its wrapper already said.
fn one_line(report: &Report) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in report.chain() {
        let text = plain(&cause.to_string());
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

/// A warning that does not end the command (the cache shown instead of the server, a step
/// still to take), on one line of stderr like an error.
pub fn warn(message: impl std::fmt::Display) {
    eprintln!("{} {}", prefix(), plain(&message.to_string()));
}

/// `text` on one line, without control characters or escape sequences.
fn plain(text: &str) -> String {
    deskport::domain::text::strip_control(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `deskport:`, bold red when stderr is a terminal and `NO_COLOR` is not set.
fn prefix() -> &'static str {
    if color_on_stderr() {
        "\u{1b}[1;31mdeskport:\u{1b}[0m"
    } else {
        "deskport:"
    }
}

fn color_on_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Installs color-eyre's panic report (location and backtrace: a panic is a bug), plain when
/// stderr is not a terminal, so a crash piped into a file or a bug report has no escape codes.
pub fn install_crash_report() -> color_eyre::Result<()> {
    let theme = if color_on_stderr() {
        color_eyre::config::Theme::dark()
    } else {
        color_eyre::config::Theme::new()
    };
    color_eyre::config::HookBuilder::default()
        .theme(theme)
        .install()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cause_of_an_unreachable_server_is_said_once_without_the_url() {
        let detail = "error sending request for url (http://127.0.0.1:9/api/v1/sync?limit=500): \
                      client error (Connect): tcp connect error: Connection refused (os error 111)";
        assert_eq!(
            unreachable("http://127.0.0.1:9", detail),
            "cannot reach http://127.0.0.1:9 (connection refused)"
        );
        assert_eq!(root_cause("operation timed out"), "operation timed out");
        assert_eq!(root_cause("DNS error"), "DNS error");
    }

    #[test]
    fn a_chain_is_one_line_without_repeats_or_escapes() {
        let report = Report::msg("local cache: disk full\nnow")
            .wrap_err("cannot open the local cache")
            .wrap_err("cannot open the local cache");
        assert_eq!(
            one_line(&report),
            "cannot open the local cache: local cache: disk full now"
        );
        let hostile = fail(Exit::Failed, "bad \u{1b}]0;title\u{7}value");
        assert_eq!(one_line(&hostile), "bad value");
    }

    #[test]
    fn exit_codes_follow_the_kind_of_failure() {
        let code = |e: ApiError| match api_failure("http://h", &e).downcast::<CliError>() {
            Ok(CliError::Failed { exit, .. }) => exit.code(),
            _ => 0,
        };
        assert_eq!(code(ApiError::Offline("refused".into())), 4);
        assert_eq!(code(ApiError::Unauthorized("expired".into())), 3);
        let forbidden = ApiError::Forbidden {
            code: "forbidden".into(),
            message: "admins only".into(),
        };
        assert_eq!(code(forbidden), 5);
        assert_eq!(code(ApiError::NotFound), 1);
    }
}
