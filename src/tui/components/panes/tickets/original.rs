//! `o` (staff): the mails a ticket came in, whole as the server stored them — every header,
//! then the whole text with the quoted history and signature the thread folds away. The
//! mail that opened the ticket comes first, then each reply that came by mail; `]`/`[` move
//! between them. Fetched from the server each time (never cached), so it needs the server;
//! the mail's text is untrusted and is drawn only through the control-character filter.

use super::Tickets;
use super::layers::{Layer, Step};
use crate::client::{ApiClient, ApiError, Connection};
use crate::domain::Source;
use crate::domain::text::strip_control;
use crate::domain::wire::{Channel, TicketOut};
use crate::tui::action::{Action, Command};
use crate::tui::components::widgets::scrolled::Scroll;
use crate::tui::components::widgets::text::{one_line, wrap};
use crate::tui::components::{Component, DrawCtx, Outcome, centered};
use crate::tui::keymap::Context;
use crate::tui::msg::{Answer, Done, Originals, TaskId, Tasks};
use mail_parser::MessageParser;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// Widest the viewer gets, in cells.
const MAX_WIDTH: u16 = 100;
/// Said when the server cannot be reached.
const NEEDS_SERVER: &str = "The original mail needs the server, which cannot be reached.";
/// Said when the app works from the cache only, by request.
const CACHE_ONLY: &str = "The original mail needs the server (working from the cache only).";
/// Said of a ticket created here and not yet sent.
const NOT_SENT: &str = "This ticket is not on the server yet (pending): it has no mail.";

/// What is known of the mail shown.
#[derive(Debug)]
enum Loaded {
    /// Asked for; not here yet.
    Waiting,
    /// The mail, among the ticket's, and its header block and text as drawn (read once).
    Ready {
        originals: Box<Originals>,
        head: String,
        text: String,
    },
    /// Why it could not be read, in words.
    Failed(String),
}

/// The viewer over one ticket's mails.
#[derive(Debug)]
pub struct OriginalViewer {
    ticket: i64,
    api: ApiClient,
    tasks: Tasks,
    loaded: Loaded,
    /// The fetch on its way, until it is answered.
    task: Option<TaskId>,
    scroll: Scroll,
    step: Option<Step>,
}

impl OriginalViewer {
    fn new(ticket: i64, api: ApiClient, tasks: Tasks, loaded: Loaded) -> Self {
        OriginalViewer {
            ticket,
            api,
            tasks,
            loaded,
            task: None,
            scroll: Scroll::default(),
            step: None,
        }
    }

    /// Starts fetching mail `at` of the ticket's `mails` (all of them first, when `None`).
    fn fetch(&mut self, mails: Option<Vec<Option<i64>>>, at: usize) {
        let (api, ticket) = (self.api.clone(), self.ticket);
        let task = self.tasks.spawn(async move {
            Answer::Original(
                fetch(&api, ticket, mails, at)
                    .await
                    .map(Box::new)
                    .map_err(|e| words(ticket, e)),
            )
        });
        self.task = Some(task);
        self.loaded = Loaded::Waiting;
        self.scroll.reset();
    }

    /// Shows the next (`step` 1) or previous (-1) mail of the ticket, if there is one.
    fn turn(&mut self, step: isize) {
        let Loaded::Ready {
            originals: shown, ..
        } = &self.loaded
        else {
            return;
        };
        let Some(at) = shown.at.checked_add_signed(step) else {
            return;
        };
        if at < shown.mails.len() {
            let mails = shown.mails.clone();
            self.fetch(Some(mails), at);
        }
    }

    /// The title: which mail of how many, from whom and when.
    fn title(&self) -> String {
        match &self.loaded {
            Loaded::Ready { originals: o, .. } => format!(
                " Original mail {} of {} · #{} · from {} · {} ",
                o.at + 1,
                o.mails.len(),
                self.ticket,
                one_line(&o.mail.sender),
                o.mail
                    .received_at
                    .chars()
                    .take(16)
                    .collect::<String>()
                    .replace('T', " "),
            ),
            Loaded::Waiting | Loaded::Failed(_) => format!(" Original mail · #{} ", self.ticket),
        }
    }

    /// The text, wrapped to `width` cells: the headers as received, a rule, the whole text.
    fn lines(&self, width: usize, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
        let theme = ctx.theme;
        let (headers, text) = match &self.loaded {
            Loaded::Waiting => return vec![Line::styled("Asking the server…", theme.muted)],
            Loaded::Failed(e) => {
                return wrap(&one_line(e), width)
                    .into_iter()
                    .map(|l| Line::styled(l, theme.error))
                    .collect();
            }
            Loaded::Ready { head, text, .. } => (head, text),
        };
        let mut lines: Vec<Line<'static>> = Vec::new();
        for header in headers.lines() {
            lines.extend(
                wrap(header, width)
                    .into_iter()
                    .map(|l| Line::styled(l, theme.muted)),
            );
        }
        lines.push(Line::styled("─".repeat(width.min(40)), theme.border));
        for row in wrap(text, width) {
            lines.push(Line::styled(row, theme.base));
        }
        lines
    }
}

/// A stored mail as people read it, both parts through the control-character filter: its
/// header block as received, and its text decoded (`text/plain`, else the HTML as text),
/// or the raw body when it is not MIME the parser can read.
fn readable(raw: &str) -> (String, String) {
    let normalised = raw.replace("\r\n", "\n");
    let (head, body) = normalised
        .split_once("\n\n")
        .unwrap_or((normalised.as_str(), ""));
    let text = MessageParser::default()
        .parse(raw.as_bytes())
        .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
        .unwrap_or_else(|| body.to_string());
    (strip_control(head), strip_control(&text))
}

/// Reads the ticket's mails (when not known yet) and the one at `at`.
async fn fetch(
    api: &ApiClient,
    ticket: i64,
    mails: Option<Vec<Option<i64>>>,
    at: usize,
) -> Result<Originals, Failure> {
    let mails = match mails {
        Some(mails) => mails,
        None => mails_of(api, ticket).await?,
    };
    let mail = match mails.get(at) {
        Some(None) => api.original(ticket).await?,
        Some(Some(message)) => api.message_original(ticket, *message).await?,
        None => return Err(Failure::NoMail),
    };
    Ok(Originals { mails, at, mail })
}

/// The mails a ticket came in, in thread order: `None` for the one that opened it, else the
/// message each reply by mail became.
async fn mails_of(api: &ApiClient, ticket: i64) -> Result<Vec<Option<i64>>, Failure> {
    let detail = api.ticket(ticket).await?.body;
    let opened_by_mail =
        matches!(&detail.ticket, TicketOut::Staff(r) if r.ticket.source == Source::Email);
    let mut mails: Vec<Option<i64>> = Vec::new();
    if opened_by_mail {
        mails.push(None);
    }
    mails.extend(
        detail
            .messages
            .iter()
            .filter(|m| m.channel == Channel::Email)
            .map(|m| Some(m.id)),
    );
    if mails.is_empty() {
        return Err(Failure::NoMail);
    }
    Ok(mails)
}

/// Why no mail could be shown.
#[derive(Debug)]
enum Failure {
    /// Neither the ticket nor a reply came by mail.
    NoMail,
    /// The server said no, or could not be asked.
    Api(ApiError),
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::Api(e)
    }
}

/// A failure in words for the viewer.
fn words(ticket: i64, failure: Failure) -> String {
    match failure {
        Failure::NoMail => {
            format!("#{ticket} did not come by mail: there is no original mail to show.")
        }
        Failure::Api(ApiError::NotFound) => format!(
            "The server keeps no original mail for #{ticket}: it did not come by mail, or came before mail was kept."
        ),
        Failure::Api(ApiError::Offline(_)) => NEEDS_SERVER.to_string(),
        Failure::Api(e) => format!("The original mail could not be read: {e}"),
    }
}

impl Layer for OriginalViewer {
    fn take_step(&mut self) -> Option<Step> {
        self.step.take()
    }
}

impl Component for OriginalViewer {
    fn contexts(&self) -> &'static [Context] {
        &[Context::Tickets, Context::List]
    }

    fn commands(&self) -> Vec<Command> {
        let mut list = vec![
            Command::labelled(Action::Close, "close"),
            Command::labelled(Action::Down, "scroll down"),
            Command::labelled(Action::Up, "scroll up"),
            Command::new(Action::PageDown),
            Command::new(Action::PageUp),
        ];
        if matches!(&self.loaded, Loaded::Ready { originals, .. } if originals.mails.len() > 1) {
            list.push(Command::labelled(Action::NextQueue, "next mail"));
            list.push(Command::labelled(Action::PrevQueue, "previous mail"));
        }
        list
    }

    fn handle(&mut self, action: Action) -> Outcome {
        match action {
            Action::Close => self.step = Some(Step::Close),
            Action::NextQueue => self.turn(1),
            Action::PrevQueue => self.turn(-1),
            other => {
                self.scroll.handle(other);
            }
        }
        Outcome::Changed
    }

    fn scroll(&mut self, rows: i32) -> Outcome {
        let action = if rows < 0 { Action::Up } else { Action::Down };
        for _ in 0..rows.unsigned_abs() {
            self.handle(action);
        }
        Outcome::Changed
    }

    /// Takes the answer of the fetch on its way; any other message is given back.
    fn background(&mut self, done: Done) -> Option<Done> {
        match done.answer_to(self.task) {
            Ok(Answer::Original(answer)) => {
                self.task = None;
                self.loaded = match answer {
                    Ok(originals) => {
                        let (head, text) = readable(&originals.mail.raw);
                        Loaded::Ready {
                            originals,
                            head,
                            text,
                        }
                    }
                    Err(why) => Loaded::Failed(why),
                };
                None
            }
            Ok(other) => {
                tracing::warn!("the original mail answered {other:?}");
                None
            }
            Err(done) => Some(done),
        }
    }

    /// Draws the viewer over most of `area`, scrolled.
    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let width = area.width.saturating_sub(4).min(MAX_WIDTH);
        let inner = usize::from(width.saturating_sub(4)).max(1);
        let lines = self.lines(inner, ctx);
        let height = u16::try_from(lines.len() + 2)
            .unwrap_or(u16::MAX)
            .min(area.height.saturating_sub(2));
        let popup = centered(area, width, height);
        self.scroll.draw(frame, popup, self.title(), lines, ctx);
    }
}

impl Tickets {
    /// `o`: opens the original-mail viewer on the target ticket (staff).
    pub(super) fn show_original(&mut self) -> Outcome {
        let Some(id) = self.target_id().filter(|_| self.staff) else {
            return Outcome::Ignored;
        };
        let api = self.client.api().clone();
        let cache_only = self.client.view().status.connection == Connection::CacheOnly;
        let early = match (id < 0, cache_only) {
            (true, _) => Some(NOT_SENT),
            (false, true) => Some(CACHE_ONLY),
            (false, false) => None,
        };
        let viewer = match early {
            Some(why) => {
                OriginalViewer::new(id, api, self.tasks.clone(), Loaded::Failed(why.into()))
            }
            None => {
                let mut viewer = OriginalViewer::new(id, api, self.tasks.clone(), Loaded::Waiting);
                viewer.fetch(None, 0);
                viewer
            }
        };
        self.open_layer(viewer);
        Outcome::Changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mail_reads_as_its_headers_then_its_decoded_text_without_escapes() {
        let raw = "From: Carla <carla@acme.test>\r\nSubject: =?utf-8?q?Badge?=\r\n\
                   Content-Type: text/plain; charset=utf-8\r\n\
                   Content-Transfer-Encoding: quoted-printable\r\n\r\n\
                   It broke =E2=80=94 again.\x1b]0;owned\x07\r\n\r\n> On Monday you wrote:\r\n> fixed\r\n";
        let (head, text) = readable(raw);
        assert!(
            head.starts_with("From: Carla <carla@acme.test>\nSubject:"),
            "{head}"
        );
        assert!(text.contains("It broke — again."), "decoded: {text}");
        assert!(
            text.contains("> On Monday you wrote:"),
            "the quote stays: {text}"
        );
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
        let (head, _) = readable("not a mail at all");
        assert_eq!(head, "not a mail at all", "kept as it came");
    }
}
