//! The `:` command palette: every action of the current context, filtered by fuzzy matching
//! as you type; Enter runs the chosen one.

use crate::tui::action::{Action, Command};
use crate::tui::components::widgets::input::LineInput;
use crate::tui::components::widgets::text::keys_text;
use crate::tui::components::{Binding, Component, DrawCtx, Outcome, Request, centered, step};
use crate::tui::i18n::t;
use crate::tui::keymap::Context;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, List, ListItem, ListState, Padding};

/// How well `query` matches `text` as a subsequence (case-insensitive), and where; `None` if
/// it does not. Of all the ways to match, the best scoring one counts: consecutive characters
/// and word starts score higher, skipped characters lower.
pub fn fuzzy_match(query: &str, text: &str) -> Option<(i64, Vec<usize>)> {
    let fold = |c: char| c.to_lowercase().next().unwrap_or(c);
    let hay: Vec<char> = text.chars().collect();
    let needle: Vec<char> = query
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(fold)
        .collect();
    if needle.is_empty() {
        return Some((0, Vec::new()));
    }
    let word_start = |j: usize| j == 0 || !hay[j - 1].is_alphanumeric();
    let gap = |from: usize, to: usize| i64::try_from(to - from).unwrap_or(i64::MAX).min(3);
    // best[i][j]: best score with needle[i] matched at hay[j], and where needle[i - 1] was.
    let mut best: Vec<Vec<Option<(i64, usize)>>> = vec![vec![None; hay.len()]; needle.len()];
    for (i, &q) in needle.iter().enumerate() {
        for j in (0..hay.len()).filter(|&j| fold(hay[j]) == q) {
            let own = 1 + if word_start(j) { 3 } else { 0 };
            best[i][j] = if i == 0 {
                Some((own - gap(0, j), 0))
            } else {
                (0..j)
                    .filter_map(|p| best[i - 1][p].map(|(score, _)| (p, score)))
                    .map(|(p, score)| {
                        (score + own + if p + 1 == j { 5 } else { -gap(p + 1, j) }, p)
                    })
                    .max_by_key(|(score, _)| *score)
            };
        }
    }
    let last = needle.len() - 1;
    let (mut j, (score, _)) = best[last]
        .iter()
        .enumerate()
        .filter_map(|(j, b)| b.map(|b| (j, b)))
        .max_by_key(|(_, (s, _))| *s)?;
    let mut positions = vec![j];
    for i in (1..needle.len()).rev() {
        j = best[i][j].map_or(0, |(_, p)| p);
        positions.push(j);
    }
    positions.reverse();
    Some((score, positions))
}

/// The positions of the `labels` that `query` matches, best first (ties in the labels'
/// order), each with its matched character positions: how the palette and the composer's
/// saved-reply picker list what is typed.
pub fn ranked<'a>(query: &str, labels: impl Iterator<Item = &'a str>) -> Vec<(usize, Vec<usize>)> {
    let mut scored: Vec<(i64, usize, Vec<usize>)> = labels
        .enumerate()
        .filter_map(|(i, label)| fuzzy_match(query, label).map(|(s, p)| (s, i, p)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, i, p)| (i, p)).collect()
}

/// The command palette.
#[derive(Debug, Clone)]
pub struct Palette {
    entries: Vec<Binding>,
    query: LineInput,
    /// Indices into `entries` with their matched positions, best first.
    matches: Vec<(usize, Vec<usize>)>,
    selected: usize,
}

impl Palette {
    /// A palette over `entries` (the current context's actions).
    pub fn new(entries: Vec<Binding>) -> Self {
        let mut palette = Palette {
            entries,
            query: LineInput::new(false),
            matches: Vec::new(),
            selected: 0,
        };
        palette.refilter();
        palette
    }

    fn refilter(&mut self) {
        let labels = self.entries.iter().map(|e| e.label.as_str());
        self.matches = ranked(self.query.text(), labels);
        self.selected = 0;
    }

    /// Every action it offers, in order, whatever is typed.
    pub fn actions(&self) -> Vec<Action> {
        self.entries.iter().map(|e| e.action).collect()
    }

    /// The actions currently listed, best match first.
    pub fn listed(&self) -> Vec<Action> {
        self.matches
            .iter()
            .map(|(i, _)| self.entries[*i].action)
            .collect()
    }
}

impl Component for Palette {
    fn contexts(&self) -> &'static [Context] {
        &[Context::Palette]
    }

    fn commands(&self) -> Vec<Command> {
        vec![
            Command::worded(Action::Confirm, "palette-run"),
            Command::new(Action::Close),
            Command::new(Action::Down),
            Command::new(Action::Up),
        ]
    }

    fn handle(&mut self, action: Action) -> Outcome {
        match action {
            Action::Close => Outcome::Request(Request::Close),
            Action::Confirm => match self.matches.get(self.selected) {
                Some((i, _)) => Outcome::Request(Request::Run(self.entries[*i].action)),
                None => Outcome::Changed,
            },
            Action::Down => {
                self.selected = step(self.selected, 1, self.matches.len());
                Outcome::Changed
            }
            Action::Up => {
                self.selected = step(self.selected, -1, self.matches.len());
                Outcome::Changed
            }
            _ => Outcome::Ignored,
        }
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn input(&mut self, key: &KeyEvent) -> Outcome {
        if self.query.key(key) {
            self.refilter();
            Outcome::Changed
        } else {
            Outcome::Ignored
        }
    }

    fn paste(&mut self, text: &str) -> Outcome {
        self.query.insert_str(text);
        self.refilter();
        Outcome::Changed
    }

    fn scroll(&mut self, rows: i32) -> Outcome {
        self.selected = step(self.selected, i64::from(rows), self.matches.len());
        Outcome::Changed
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let rows = u16::try_from(self.entries.len())
            .unwrap_or(u16::MAX)
            .saturating_add(4);
        let popup = centered(
            area,
            area.width.saturating_sub(4).min(64),
            rows.min(area.height.saturating_sub(2)),
        );
        let block = Block::bordered()
            .padding(Padding::horizontal(1))
            .border_type(BorderType::Rounded)
            .border_style(ctx.theme.border_focused)
            .title(Line::styled(
                format!(" {} ", t("palette-title")),
                ctx.theme.title,
            ))
            .style(ctx.theme.popup);
        let inner = block.inner(popup);
        frame.render_widget(Clear, popup);
        frame.render_widget(block, popup);
        let [prompt, rule, list_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        let mut line = self.query.line(ctx.theme.input, true);
        line.spans.insert(0, Span::styled(": ", ctx.theme.key));
        frame.render_widget(line, prompt);
        frame.render_widget(
            Line::styled("─".repeat(usize::from(rule.width)), ctx.theme.border),
            rule,
        );
        let key_width = self
            .entries
            .iter()
            .map(|e| keys_text(&e.keys).chars().count())
            .max()
            .unwrap_or(0);
        let items: Vec<ListItem> = self
            .matches
            .iter()
            .map(|(i, positions)| {
                let entry = &self.entries[*i];
                let mut spans: Vec<Span> = entry
                    .label
                    .chars()
                    .enumerate()
                    .map(|(n, c)| {
                        let style = if positions.contains(&n) {
                            ctx.theme.matched
                        } else {
                            ctx.theme.popup
                        };
                        Span::styled(c.to_string(), style)
                    })
                    .collect();
                let label_width = entry.label.chars().count();
                let keys = keys_text(&entry.keys);
                let gap = usize::from(list_area.width)
                    .saturating_sub(label_width + key_width + 2)
                    .max(2);
                spans.push(Span::raw(" ".repeat(gap)));
                spans.push(Span::styled(keys, ctx.theme.muted));
                ListItem::new(Line::from(spans))
            })
            .collect();
        if items.is_empty() {
            frame.render_widget(Line::styled(t("palette-none"), ctx.theme.muted), list_area);
            return;
        }
        let list = List::new(items)
            .highlight_style(ctx.theme.selected)
            .highlight_symbol("▶ ");
        let mut state = ListState::default().with_selected(Some(self.selected));
        frame.render_stateful_widget(list, list_area, &mut state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn entry(action: Action, label: &'static str) -> Binding {
        Binding {
            action,
            label: label.to_string(),
            keys: Vec::new(),
        }
    }

    #[test]
    fn fuzzy_matching_prefers_word_starts_and_runs() {
        assert!(fuzzy_match("nt", "next tab").is_some());
        assert!(fuzzy_match("xz", "next tab").is_none());
        let (a, _) = fuzzy_match("tab", "next tab").unwrap();
        let (b, _) = fuzzy_match("tab", "the last bit").unwrap();
        assert!(a > b);
        assert_eq!(fuzzy_match("NT", "next tab").unwrap().1, vec![0, 5]);
    }

    #[test]
    fn typing_filters_and_enter_runs_the_best_match() {
        let mut p = Palette::new(vec![
            entry(Action::Quit, "quit"),
            entry(Action::NextTab, "next tab"),
            entry(Action::Help, "help"),
        ]);
        assert_eq!(p.listed().len(), 3);
        for c in "nxt".chars() {
            p.input(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        assert_eq!(p.listed(), vec![Action::NextTab]);
        assert_eq!(
            p.handle(Action::Confirm),
            Outcome::Request(Request::Run(Action::NextTab))
        );
    }
}
