//! Drawing the support form: each field under its label, the focused one highlighted, its
//! problems under it, and a footer that says how to fill in the focused field.

use super::super::composer::popup_in_pane;
use super::Form;
use crate::tui::components::DrawCtx;
use crate::tui::components::widgets::form::Value;
use crate::tui::i18n::t;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

impl Form {
    /// Draws the popup inside the pane drawn over `area`: the fields stacked, scrolled so
    /// the focused one shows.
    pub(super) fn draw_popup(&self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        let theme = ctx.theme;
        let popup = popup_in_pane(frame, area, 90, area.height);
        let (lines, focus_line) = self.fields.stacked(ctx);
        let inner = popup.height.saturating_sub(2);
        let scroll = u16::try_from(focus_line)
            .unwrap_or(u16::MAX)
            .saturating_sub(inner / 2);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border_focused)
            .title(Line::styled(
                format!(" {} ", t("form-new-ticket")),
                theme.title,
            ))
            .title_bottom(Line::styled(self.hint(), theme.muted));
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false })
                .scroll((scroll, 0)),
            popup,
        );
        self.discard.draw(frame, popup, ctx);
    }

    /// The footer's keys for the focused field.
    fn hint(&self) -> String {
        let hint = t(match self.fields.current().map(|f| &f.value) {
            Some(Value::Choice { .. }) => "form-hint-choice",
            _ => "form-hint-text",
        });
        format!(" {hint} ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SupportForm;
    use crate::domain::portal::{FieldKind, FormField};
    use crate::tui::action::Action;
    use crate::tui::components::test_draw;

    fn screen(form: &Form, width: u16, height: u16) -> Vec<String> {
        let buffer = test_draw::buffer(width, height, |f, ctx| {
            let area = f.area();
            f.render_widget(Block::bordered().border_type(BorderType::Rounded), area);
            form.draw_popup(f, area, ctx);
        });
        test_draw::rows(&buffer)
    }

    fn form() -> Form {
        Form::new(SupportForm {
            enabled: true,
            fields: vec![FormField {
                key: "product".into(),
                label: "Product".into(),
                kind: FieldKind::Select,
                required: false,
                options: vec!["App".into(), "Web".into()],
                private: false,
            }],
        })
    }

    #[test]
    fn the_form_stays_inside_the_pane_border() {
        for (w, h) in [(80, 24), (120, 40)] {
            let rows = screen(&form(), w, h);
            let text = rows.join("\n");
            assert!(
                rows[0].starts_with("╭─") && rows[0].ends_with("─╮"),
                "{text}"
            );
            let last = &rows[usize::from(h) - 1];
            assert!(last.starts_with("╰─") && last.ends_with("─╯"), "{text}");
            assert!(
                !last.contains("Ctrl-S"),
                "the footer is not on the pane: {text}"
            );
            for row in &rows[1..usize::from(h) - 1] {
                assert!(row.starts_with("│ ") && row.ends_with(" │"), "{text}");
            }
            assert!(text.contains("Ctrl-S send"), "{text}");
        }
    }

    #[test]
    fn the_footer_says_how_to_choose_on_a_choice_field() {
        let mut f = form();
        let text = screen(&f, 80, 24).join("\n");
        assert!(!text.contains("Space choose"), "{text}");
        f.act(Action::PrevField);
        let text = screen(&f, 80, 24).join("\n");
        assert!(text.contains("←/→ or Space choose"), "{text}");
    }
}
