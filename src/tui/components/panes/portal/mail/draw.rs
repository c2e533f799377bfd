//! Drawing the Mail section: the page tabs, then the queue, the quarantine with the selected
//! mail's text, or the template editor beside its preview, and the pane's message under it.

use super::editor::{Editor, event_label};
use super::{Page, Portal};
use crate::client::View;
use crate::domain::mail::PLACEHOLDERS;
use crate::domain::text::strip_control;
use crate::domain::wire::{MailState, QuarantinedMail, QueuedMail, waiting_and_failed};
use crate::tui::components::DrawCtx;
use crate::tui::components::widgets::list::pane_block;
use crate::tui::components::widgets::text::wrap;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

/// `text` cut to `width` characters (with `…` when cut), padded to it.
fn cell(text: &str, width: usize) -> String {
    let clean = strip_control(text);
    if clean.chars().count() > width {
        let cut: String = clean.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        format!("{clean:<width$}")
    }
}

fn selectable(line: Line<'static>, here: bool, ctx: DrawCtx<'_>) -> Line<'static> {
    if here {
        line.style(ctx.theme.selected)
    } else {
        line
    }
}

/// The list's state when it has no rows to show: loading, failed, or empty.
fn placeholder<T>(
    list: Option<&Result<Vec<T>, String>>,
    what: &str,
    empty: &str,
    ctx: DrawCtx<'_>,
) -> Option<Line<'static>> {
    match list {
        None => Some(Line::styled(format!("Loading {what}…"), ctx.theme.muted)),
        Some(Err(e)) => Some(Line::styled(
            format!("Cannot load {what}: {}", strip_control(e)),
            ctx.theme.error,
        )),
        Some(Ok(rows)) if rows.is_empty() => Some(Line::styled(empty.to_string(), ctx.theme.muted)),
        Some(Ok(_)) => None,
    }
}

/// The queue's lines and the line of the selected mail.
fn queue_lines(
    mails: &[QueuedMail],
    cursor: usize,
    width: usize,
    ctx: DrawCtx<'_>,
) -> (Vec<Line<'static>>, usize) {
    let to = (width / 3).clamp(12, 30);
    let mut out = vec![Line::styled(
        format!("  {:<7} {:<8} {} SUBJECT", "MAIL", "STATE", cell("TO", to)),
        ctx.theme.muted,
    )];
    let mut at = 0;
    for (i, m) in mails.iter().enumerate() {
        if i == cursor {
            at = out.len();
        }
        let line = Line::raw(format!(
            "{}{:<7} {:<8} {} {}",
            if i == cursor { "▶ " } else { "  " },
            format!("#{}", m.id),
            m.state.as_str(),
            cell(&m.recipient, to),
            cell(&m.subject, width.saturating_sub(20 + to)).trim_end()
        ));
        out.push(selectable(line, i == cursor, ctx));
        if m.state != MailState::Sent
            && let Some(error) = &m.last_error
        {
            // The whole answer, over as many lines as it takes.
            let said = format!("server said: {}", strip_control(error));
            for row in wrap(&said, width.saturating_sub(12).max(20)) {
                out.push(Line::styled(format!("          {row}"), ctx.theme.error));
            }
        }
    }
    let (waiting, failed) = waiting_and_failed(mails);
    out.push(Line::styled(
        format!(
            "{} {}: {waiting} waiting, {failed} failed",
            mails.len(),
            if mails.len() == 1 { "mail" } else { "mails" }
        ),
        ctx.theme.muted,
    ));
    (out, at)
}

fn quarantine_lines(
    mails: &[QuarantinedMail],
    cursor: usize,
    width: usize,
    ctx: DrawCtx<'_>,
) -> (Vec<Line<'static>>, usize) {
    let from = (width / 3).clamp(12, 32);
    let mut out = vec![Line::styled(
        format!("  {:<16} {} SUBJECT", "RECEIVED", cell("FROM", from)),
        ctx.theme.muted,
    )];
    for (i, m) in mails.iter().enumerate() {
        let received: String = m
            .received_at
            .chars()
            .take(16)
            .collect::<String>()
            .replace('T', " ");
        let line = Line::raw(format!(
            "{}{:<16} {} {}",
            if i == cursor { "▶ " } else { "  " },
            strip_control(&received),
            cell(&m.sender, from),
            cell(&m.subject, width.saturating_sub(20 + from)).trim_end()
        ));
        out.push(selectable(line, i == cursor, ctx));
    }
    (out, cursor + 1)
}

/// A mail as it reads: its headers, a blank line, its text.
fn letter(headers: &[(&str, String)], body: &str, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = headers
        .iter()
        .map(|(name, value)| {
            Line::from(vec![
                Span::styled(format!("{name}: "), ctx.theme.muted),
                Span::raw(strip_control(value)),
            ])
        })
        .collect();
    out.push(Line::raw(""));
    out.extend(
        strip_control(body)
            .lines()
            .map(|l| Line::raw(l.to_string())),
    );
    out
}

/// The selected quarantined mail, whole.
fn mail_text(m: &QuarantinedMail, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
    let from = match &m.name {
        Some(name) => format!("{name} <{}>", m.sender),
        None => m.sender.clone(),
    };
    letter(
        &[("From", from), ("Subject", m.subject.clone())],
        &m.body,
        ctx,
    )
}

/// Draws `lines` into `area`, scrolled so line `at` shows.
fn scrolled(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>, at: usize) {
    let height = usize::from(area.height.max(1));
    let offset = at.saturating_sub(height - 1);
    frame.render_widget(
        Paragraph::new(lines.into_iter().skip(offset).collect::<Vec<_>>()),
        area,
    );
}

fn boxed<'a>(title: String, ctx: DrawCtx<'_>) -> Block<'a> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(ctx.theme.border)
        .title(Line::styled(format!(" {title} "), ctx.theme.title))
}

/// The editor's rows, `width` columns wide, with the refused row's reason under it.
fn editor_rows(editor: &Editor, width: usize, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (row, line) in editor
        .form
        .fields
        .iter()
        .zip(editor.form.rows(true, width, ctx))
    {
        out.push(line);
        if let Some(e) = editor
            .error
            .as_ref()
            .filter(|e| e.event == editor.event() && e.row == row.id)
        {
            for (i, row) in wrap(&e.text, width.saturating_sub(6).max(12))
                .into_iter()
                .enumerate()
            {
                let lead = if i == 0 { "    ✗ " } else { "      " };
                out.push(Line::styled(format!("{lead}{row}"), ctx.theme.error));
            }
        }
    }
    out
}

/// Whose wording the template has.
fn wording_line(editor: &Editor, ctx: DrawCtx<'_>) -> Line<'static> {
    Line::styled(
        if editor.own_wording() {
            "Wording: the portal's own.".to_string()
        } else {
            format!("Wording: the default in {}.", editor.language())
        },
        ctx.theme.muted,
    )
}

/// The known placeholders, wrapped to `width` columns under their label.
fn placeholder_lines(width: usize, ctx: DrawCtx<'_>) -> Vec<Line<'static>> {
    const LABEL: &str = "Placeholders: ";
    let known: Vec<String> = PLACEHOLDERS
        .iter()
        .map(|(k, _)| format!("{{{k}}}"))
        .collect();
    let indent = LABEL.chars().count();
    wrap(&known.join(" "), width.saturating_sub(indent).max(12))
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let lead = if i == 0 { LABEL } else { "" };
            Line::styled(format!("{lead:<indent$}{row}"), ctx.theme.muted)
        })
        .collect()
}

/// Draws the template editor: its rows and notes beside the live preview when there is
/// room, else above it. While the body is edited, the editor takes the rows' place with the
/// placeholders under it; on a narrow screen the preview then waits until the edit is kept.
fn draw_templates(p: &mut Portal, view: &View, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
    let Some(settings) = Portal::settings(view) else {
        return;
    };
    let language = view
        .domains
        .iter()
        .find(|d| d.host == settings.domain)
        .map_or_else(|| "en".to_string(), |d| d.primary_language.clone());
    p.refresh_editor(&settings.email, &language);
    let Some((editor, _)) = &mut p.mail.editor else {
        return;
    };
    let body = editor.form.area_mut().map(|a| a.lines().join("\n"));
    let mail = editor.preview(&settings, body);
    let wide = area.width >= 100;
    let [left, right] = if wide {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area)
    } else {
        [area, Rect::default()]
    };
    let width = usize::from(left.width);
    let rows = editor_rows(editor, width, ctx);
    let known = placeholder_lines(width, ctx);
    let preview_area = if let Some(area_editor) = editor.form.area_mut() {
        let room = usize::from(left.height);
        let rows_height = if room >= rows.len() + known.len() + 6 {
            rows.len()
        } else {
            0
        };
        let [top, middle, bottom] = Layout::vertical([
            Constraint::Length(u16::try_from(rows_height).unwrap_or(0)),
            Constraint::Fill(1),
            Constraint::Length(u16::try_from(known.len()).unwrap_or(1)),
        ])
        .areas(left);
        frame.render_widget(Paragraph::new(rows), top);
        area_editor.set_block(
            boxed("Body".into(), ctx)
                .border_style(ctx.theme.border_focused)
                .title_bottom(Line::styled(" Tab keeps · Esc cancels ", ctx.theme.muted)),
        );
        area_editor.set_cursor_line_style(ratatui::style::Style::default());
        frame.render_widget(&*area_editor, middle);
        frame.render_widget(Paragraph::new(known), bottom);
        wide.then_some(right)
    } else {
        let mut lines = rows;
        if wide {
            lines.push(Line::raw(""));
        }
        lines.push(wording_line(editor, ctx));
        lines.extend(known);
        if wide {
            frame.render_widget(Paragraph::new(lines), left);
            Some(right)
        } else {
            let height = u16::try_from(lines.len()).unwrap_or(u16::MAX);
            let [top, rest] =
                Layout::vertical([Constraint::Length(height), Constraint::Fill(1)]).areas(area);
            frame.render_widget(Paragraph::new(lines), top);
            Some(rest)
        }
    };
    let Some(preview_area) = preview_area else {
        return;
    };
    let lines = letter(&[("Subject", mail.subject)], &mail.body, ctx);
    let title = format!(
        "Preview: {} mail to {}",
        event_label(editor.event()),
        editor.recipient()
    );
    frame.render_widget(
        Paragraph::new(lines)
            .block(boxed(title, ctx))
            .wrap(Wrap { trim: false }),
        preview_area,
    );
}

fn draw_page(p: &mut Portal, view: &View, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
    let width = usize::from(area.width);
    let cursor = p.mail.cursor;
    match p.mail.page {
        Page::Queue => {
            p.fetch_unless_known();
            let list = p.mail.queue.as_ref();
            if let Some(line) = placeholder(list, "the mail queue", "The mail queue is empty.", ctx)
            {
                frame.render_widget(Paragraph::new(line), area);
            } else if let Some(Ok(mails)) = list {
                let (lines, at) = queue_lines(mails, cursor, width, ctx);
                scrolled(frame, area, lines, at);
            }
        }
        Page::Quarantine => {
            p.fetch_unless_known();
            let list = p.mail.quarantine.as_ref();
            let empty = "No mail waits in the quarantine: mail from unknown senders waits here on an invite-only portal.";
            if let Some(line) = placeholder(list, "the quarantine", empty, ctx) {
                frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), area);
            } else if let Some(Ok(mails)) = list {
                let (lines, at) = quarantine_lines(mails, cursor, width, ctx);
                let height = u16::try_from(lines.len())
                    .unwrap_or(u16::MAX)
                    .min(area.height / 2);
                let [top, bottom] =
                    Layout::vertical([Constraint::Length(height), Constraint::Fill(1)]).areas(area);
                scrolled(frame, top, lines, at);
                if let Some(m) = mails.get(cursor) {
                    frame.render_widget(
                        Paragraph::new(mail_text(m, ctx))
                            .block(boxed("The mail".into(), ctx))
                            .wrap(Wrap { trim: false }),
                        bottom,
                    );
                }
            }
        }
        Page::Templates => draw_templates(p, view, frame, area, ctx),
    }
}

/// Draws the Mail section.
pub fn draw(p: &mut Portal, view: &View, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
    let mut title = "Portal".to_string();
    if p.mail.dirty() {
        title.push_str(" · * modified, not saved");
    }
    let block = pane_block(title, ctx);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let footer: Vec<Line> = p.message.iter().map(|m| m.line(ctx)).collect();
    let footer_height = u16::try_from(footer.len() + 1).unwrap_or(2);
    let [top, pages, middle, bottom] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(2),
        Constraint::Fill(1),
        Constraint::Length(footer_height),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(super::super::draw::header(p, ctx)), top);
    if p.read_only {
        let text =
            "The Mail section is for admins: the mail queue, the quarantine and the templates.";
        frame.render_widget(
            Paragraph::new(Line::styled(text, ctx.theme.muted)).wrap(Wrap { trim: true }),
            middle,
        );
        return;
    }
    let tabs: Vec<Span> = Page::ALL
        .iter()
        .flat_map(|page| {
            let here = *page == p.mail.page;
            let (text, style) = if here {
                (format!("[{}]", page.title()), ctx.theme.tab_active)
            } else {
                (format!(" {} ", page.title()), ctx.theme.tab)
            };
            [Span::styled(text, style), Span::raw(" ")]
        })
        .collect();
    frame.render_widget(Paragraph::new(Line::from(tabs)), pages);
    draw_page(p, view, frame, middle, ctx);
    frame.render_widget(Paragraph::new(footer).wrap(Wrap { trim: true }), bottom);
}
