//! The tab bar: the tabs a role gets, numbered for the `1`–`4` keys, the shown one marked by
//! brackets and style (so it reads without colour), read-only tabs labelled as such.

use crate::domain::Role;
use crate::tui::components::DrawCtx;
use crate::tui::i18n::t;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// A pane a tab shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabKind {
    Tickets,
    /// Inboxes and routing rules.
    Routing,
    /// Portal settings.
    Portal,
    /// The signed-in person's own account.
    Account,
}

impl TabKind {
    /// The tab's name, in the current language.
    pub fn title(self) -> String {
        t(match self {
            TabKind::Tickets => "tab-tickets",
            TabKind::Routing => "tab-routing",
            TabKind::Portal => "tab-portal",
            TabKind::Account => "tab-account",
        })
    }
}

/// One tab of the bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tab {
    /// What it shows.
    pub kind: TabKind,
    /// Whether its pane only shows (the role may not edit there).
    pub read_only: bool,
}

/// The tabs a role gets: customers their tickets and account; agents tickets, read-only
/// routing and portal, and their account; admins all of them editable.
pub fn tabs_for(role: Role) -> Vec<Tab> {
    match role {
        Role::Customer => vec![
            Tab {
                kind: TabKind::Tickets,
                read_only: false,
            },
            Tab {
                kind: TabKind::Account,
                read_only: false,
            },
        ],
        Role::Agent | Role::Admin => {
            let read_only = role == Role::Agent;
            vec![
                Tab {
                    kind: TabKind::Tickets,
                    read_only: false,
                },
                Tab {
                    kind: TabKind::Routing,
                    read_only,
                },
                Tab {
                    kind: TabKind::Portal,
                    read_only,
                },
                Tab {
                    kind: TabKind::Account,
                    read_only: false,
                },
            ]
        }
    }
}

/// Draws the bar into the one-line `area` and returns each tab's cells, for mouse clicks.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    tabs: &[Tab],
    active: usize,
    ctx: DrawCtx<'_>,
) -> Vec<Rect> {
    let full: Vec<String> = tabs
        .iter()
        .enumerate()
        .map(|(i, t)| label(i, t, true))
        .collect();
    let brand = " deskport ";
    let width = |labels: &[String]| {
        brand.len() + labels.iter().map(|l| l.chars().count() + 3).sum::<usize>()
    };
    let labels = if width(&full) <= usize::from(area.width) {
        full
    } else {
        tabs.iter()
            .enumerate()
            .map(|(i, t)| label(i, t, false))
            .collect()
    };
    let mut spans = vec![Span::styled(brand, ctx.theme.title)];
    let mut rects = Vec::new();
    let mut x = area
        .x
        .saturating_add(u16::try_from(brand.len()).unwrap_or(u16::MAX));
    for (i, text) in labels.into_iter().enumerate() {
        let (shown, style) = if i == active {
            (format!("[{text}]"), ctx.theme.tab_active)
        } else {
            (format!(" {text} "), ctx.theme.tab)
        };
        let w = u16::try_from(shown.chars().count()).unwrap_or(u16::MAX);
        rects.push(Rect {
            x,
            y: area.y,
            width: w.min(area.right().saturating_sub(x)),
            height: 1,
        });
        x = x.saturating_add(w + 1);
        spans.push(Span::styled(shown, style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Line::from(spans).style(ctx.theme.base), area);
    rects
}

fn label(index: usize, tab: &Tab, long: bool) -> String {
    match (tab.read_only, long) {
        (true, true) => format!("{} {} {}", index + 1, tab.kind.title(), t("tab-read-only")),
        (true, false) => format!(
            "{} {} {}",
            index + 1,
            tab.kind.title(),
            t("tab-read-only-short")
        ),
        (false, _) => format!("{} {}", index + 1, tab.kind.title()),
    }
}
