//! "Who can see this ticket?" (staff): a popup listing every contact who can see the selected
//! or open ticket and why, as the server's visibility rule decides, with the portal's current
//! permission mode in the title. The answer is fetched in the background, so the popup shows
//! a loading line first; it needs the server, and says so when it cannot be reached.

use crate::client::{ApiError, Client, Connection};
use crate::domain::portal::PermissionMode;
use crate::domain::text::strip_control;
use crate::domain::wire::{Audience, PortalFor};
use crate::tui::action::{Action, Command};
use crate::tui::components::DrawCtx;
use crate::tui::components::centered;
use crate::tui::components::widgets::scrolled::Scroll;
use crate::tui::components::widgets::text::{one_line, wrap};
use crate::tui::msg::{Answer, Done, TaskId, Tasks};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Widest the popup gets, in cells.
const MAX_WIDTH: u16 = 84;
/// Said when the server cannot answer because it cannot be reached.
const NEEDS_SERVER: &str = "Who can see this ticket needs the server, which cannot be reached.";
/// Said when the app works from the cache only, by request.
const CACHE_ONLY: &str = "Who can see this ticket needs the server (working from the cache only).";
/// Said of a ticket created here and not yet sent.
const NOT_SENT: &str = "This ticket is not on the server yet (pending), so nobody else sees it.";

/// What is known of the answer.
#[derive(Debug, Clone)]
enum Loaded {
    /// Asked for; not here yet.
    Waiting,
    /// The contacts, and the permission mode they were computed under (`None` if the portal
    /// settings came back without it).
    Ready {
        audience: Audience,
        mode: Option<PermissionMode>,
    },
    /// Why it could not be read, in words.
    Failed(String),
}

/// What became of an action given to the popup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    /// Still open (scrolled, or the action meant nothing here).
    Open,
    /// Closed by the action: the pane drops the popup.
    Closed,
}

/// The open popup over one ticket.
#[derive(Debug)]
pub struct AudiencePopup {
    id: i64,
    loaded: Loaded,
    /// The question on its way to the server, until it is answered.
    task: Option<TaskId>,
    scroll: Scroll,
}

impl AudiencePopup {
    /// Starts asking the server who can see ticket `id`; the answer comes back through
    /// `tasks` as a message for [`AudiencePopup::receive`].
    pub fn load(client: &Client, id: i64, tasks: &Tasks) -> Self {
        let cache_only = client.view().status.connection == Connection::CacheOnly;
        let early = match (id < 0, cache_only) {
            (true, _) => Some(NOT_SENT),
            (false, true) => Some(CACHE_ONLY),
            (false, false) => None,
        };
        if let Some(reason) = early {
            return Self::with(id, Loaded::Failed(reason.to_string()));
        }
        let client = client.clone();
        let task = tasks.spawn(async move { Answer::Audience(fetch(&client, id).await) });
        let mut popup = Self::with(id, Loaded::Waiting);
        popup.task = Some(task);
        popup
    }

    fn with(id: i64, loaded: Loaded) -> Self {
        AudiencePopup {
            id,
            loaded,
            task: None,
            scroll: Scroll::default(),
        }
    }

    /// Takes the server's answer to this popup's question; any other message is given back.
    pub fn receive(&mut self, done: Done) -> Option<Done> {
        match done.answer_to(self.task) {
            Ok(Answer::Audience(answer)) => {
                self.task = None;
                self.loaded = match answer {
                    Ok((audience, mode)) => Loaded::Ready { audience, mode },
                    Err(why) => Loaded::Failed(why),
                };
                None
            }
            Ok(other) => {
                tracing::warn!("the audience question answered {other:?}");
                None
            }
            Err(done) => Some(done),
        }
    }

    /// The keys the popup offers.
    pub fn commands() -> Vec<Command> {
        vec![
            Command::labelled(Action::Close, "close"),
            Command::labelled(Action::Down, "scroll down"),
            Command::labelled(Action::Up, "scroll up"),
            Command::new(Action::PageDown),
            Command::new(Action::PageUp),
        ]
    }

    /// Scrolls or closes.
    pub fn handle(&mut self, action: Action) -> Handled {
        if action == Action::Close {
            return Handled::Closed;
        }
        self.scroll.handle(action);
        Handled::Open
    }

    /// The title: the ticket and, once known, the permission mode.
    fn title(&self, loaded: &Loaded) -> String {
        match loaded {
            Loaded::Ready {
                mode: Some(mode), ..
            } => format!(" Who can see #{} · {} ", self.id, mode_words(*mode)),
            _ => format!(" Who can see #{} ", self.id),
        }
    }

    /// The popup's text, one entry per contact.
    fn lines(loaded: &Loaded, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
        let theme = ctx.theme;
        let audience = match loaded {
            Loaded::Waiting => return vec![Line::styled("Asking the server…", theme.muted)],
            Loaded::Failed(e) => return vec![Line::styled(strip_control(e), theme.error)],
            Loaded::Ready { audience, .. } => audience,
        };
        let mut lines = vec![Line::styled(
            match audience.contacts.len() {
                0 => "No contact can see this ticket; staff see every ticket.".to_string(),
                1 => "1 contact can see this ticket; staff see every ticket.".to_string(),
                n => format!("{n} contacts can see this ticket; staff see every ticket."),
            },
            theme.muted,
        )];
        for c in &audience.contacts {
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::styled(one_line(&c.name), theme.title),
                Span::styled(format!("  <{}>", one_line(&c.email)), theme.muted),
            ]));
            let mut why = vec![Span::raw(format!("  {}", c.reason.describe()))];
            if !c.listed {
                why.push(Span::styled(
                    " (not in their list: closed tickets hidden)",
                    theme.warning,
                ));
            }
            lines.push(Line::from(why));
        }
        lines
    }

    /// Draws the popup in the middle of `area`, scrolled.
    pub fn draw(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let loaded = &self.loaded;
        let title = self.title(loaded);
        let lines = Self::lines(loaded, ctx);
        let widest = lines
            .iter()
            .map(Line::width)
            .chain([title.chars().count()])
            .max()
            .unwrap_or(0);
        let width = u16::try_from(widest + 4)
            .unwrap_or(u16::MAX)
            .min(MAX_WIDTH)
            .min(area.width.saturating_sub(2));
        let inner_width = usize::from(width.saturating_sub(4)).max(1);
        let wrapped: Vec<Line<'static>> = lines
            .into_iter()
            .flat_map(|l| fit(l, inner_width))
            .collect();
        let height = u16::try_from(wrapped.len() + 2)
            .unwrap_or(u16::MAX)
            .min(area.height.saturating_sub(2));
        let popup = centered(area, width, height);
        self.scroll.draw(frame, popup, title, wrapped, ctx);
    }
}

/// Asks for the audience and the portal settings together, so the mode in the title is the
/// one the answer was computed under.
async fn fetch(client: &Client, id: i64) -> Result<(Audience, Option<PermissionMode>), String> {
    let api = client.api();
    match tokio::try_join!(api.audience(id), api.portal()) {
        Ok((audience, portal)) => {
            let mode = match portal.body {
                PortalFor::Staff(p) => Some(p.settings.ticket_permission.mode),
                PortalFor::Public(_) => None,
            };
            Ok((audience, mode))
        }
        Err(ApiError::Offline(_)) => Err(NEEDS_SERVER.to_string()),
        Err(ApiError::NotFound) => Err(format!("Ticket #{id} is not on the server.")),
        Err(e) => Err(format!("Who can see this ticket could not be read: {e}")),
    }
}

/// The permission mode in a few words, as the title shows it.
fn mode_words(mode: PermissionMode) -> &'static str {
    match mode {
        PermissionMode::Contact => "contact mode: own tickets only",
        PermissionMode::Company => "company mode",
        PermissionMode::ContactFilter => "contact filter mode",
    }
}

/// `line` as it fits in `width` cells: as it is when it fits, else word-wrapped in its first
/// span's style, keeping its indent (only a long name, email or error needs it).
fn fit(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    if line.width() <= width {
        return vec![line];
    }
    let style = line.spans.first().map(|s| s.style).unwrap_or_default();
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let indent: String = text.chars().take_while(|c| *c == ' ').collect();
    let room = width.saturating_sub(indent.len()).max(1);
    wrap(&text, room)
        .into_iter()
        .map(|l| Line::styled(format!("{indent}{l}"), style))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::wire::{AudienceEntry, AudienceReason};
    use crate::tui::components::test_draw;

    fn entry(id: i64, name: &str, reason: AudienceReason, listed: bool) -> AudienceEntry {
        AudienceEntry {
            contact_id: id,
            name: name.into(),
            email: format!("{}@acme.test", name.to_lowercase().replace(' ', ".")),
            reason,
            listed,
        }
    }

    fn ready(contacts: Vec<AudienceEntry>, mode: PermissionMode) -> AudiencePopup {
        AudiencePopup::with(
            42,
            Loaded::Ready {
                audience: Audience {
                    ticket_id: 42,
                    contacts,
                },
                mode: Some(mode),
            },
        )
    }

    fn screen(popup: &AudiencePopup, width: u16, height: u16) -> String {
        let buffer = test_draw::buffer(width, height, |f, ctx| popup.draw(f, f.area(), ctx));
        test_draw::rows(&buffer).join("\n")
    }

    #[test]
    fn it_lists_each_contact_with_the_reason_and_the_mode() {
        let popup = ready(
            vec![
                entry(1, "Carla Reyes", AudienceReason::CompanyMode, true),
                entry(2, "Dan \u{1b}[2JOrt\niz", AudienceReason::OwnTicket, false),
            ],
            PermissionMode::Company,
        );
        let text = screen(&popup, 80, 24);
        assert!(text.contains("Who can see #42 · company mode"), "{text}");
        assert!(text.contains("2 contacts can see this ticket"), "{text}");
        assert!(
            text.contains("Carla Reyes  <carla.reyes@acme.test>"),
            "{text}"
        );
        assert!(text.contains("same company (company mode)"), "{text}");
        assert!(
            text.contains("own ticket (not in their list: closed tickets hidden)"),
            "{text}"
        );
        assert!(!text.contains('\u{1b}'), "control characters are stripped");
        assert!(
            text.contains("Dan Ort iz  <dan.ort iz@acme.test>"),
            "{text}"
        );
    }

    #[test]
    fn loading_and_failure_are_said_in_words() {
        let waiting = AudiencePopup::with(7, Loaded::Waiting);
        assert!(screen(&waiting, 80, 24).contains("Asking the server…"));
        assert!(screen(&waiting, 80, 24).contains("Who can see #7 "));
        let failed = AudiencePopup::with(7, Loaded::Failed(NEEDS_SERVER.into()));
        assert!(screen(&failed, 80, 24).contains("needs the server"));
        let pending = AudiencePopup::with(-1, Loaded::Failed(NOT_SENT.into()));
        assert!(screen(&pending, 80, 24).contains("not on the server yet"));
    }

    #[test]
    fn a_long_list_scrolls_and_stops_at_the_end_and_escape_closes() {
        let contacts = (1..=30)
            .map(|n| {
                entry(
                    n,
                    &format!("Contact {n:02}"),
                    AudienceReason::FilterMatch,
                    true,
                )
            })
            .collect();
        let mut popup = ready(contacts, PermissionMode::ContactFilter);
        let first = screen(&popup, 80, 24);
        assert!(
            first.contains("Contact 01") && !first.contains("Contact 30"),
            "{first}"
        );
        assert!(first.contains("1–20 of 91"), "{first}");
        assert_eq!(popup.handle(Action::Bottom), Handled::Open);
        let last = screen(&popup, 80, 24);
        assert!(
            last.contains("Contact 30") && !last.contains("Contact 01"),
            "{last}"
        );
        assert!(last.contains("72–91 of 91"), "{last}");
        popup.handle(Action::Down);
        assert_eq!(popup.scroll.offset(), 71, "no scrolling past the end");
        popup.handle(Action::PageUp);
        popup.handle(Action::Up);
        assert_eq!(popup.scroll.offset(), 60);
        popup.handle(Action::Top);
        assert_eq!(popup.scroll.offset(), 0);
        assert_eq!(popup.handle(Action::Reply), Handled::Open);
        assert_eq!(popup.handle(Action::Close), Handled::Closed);
    }

    #[test]
    fn long_lines_wrap_inside_the_popup() {
        let long = "x".repeat(120);
        let popup = ready(
            vec![entry(1, &long, AudienceReason::OwnTicket, true)],
            PermissionMode::Contact,
        );
        let text = screen(&popup, 80, 24);
        assert!(text.contains("contact mode: own tickets only"), "{text}");
        assert_eq!(
            text.matches('x').count(),
            120 + 120,
            "name and email, all shown: {text}"
        );
    }
}
