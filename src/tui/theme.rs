//! Styles, loaded from TOML: the shipped 16-colour theme or the monochrome one (chosen
//! automatically under `NO_COLOR`), with the user's `theme.toml` changing single styles.

use super::config_file::{ConfigError, by_name, read_optional};
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

/// The shipped 16-colour theme.
pub const DEFAULT_THEME: &str = include_str!("../../assets/theme-default.toml");
/// The shipped monochrome theme.
pub const MONO_THEME: &str = include_str!("../../assets/theme-mono.toml");

/// Which shipped theme to start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeChoice {
    /// Monochrome when `NO_COLOR` is set, the 16-colour theme otherwise.
    Auto,
    /// The 16-colour theme.
    Default,
    /// Attributes only, no colours.
    Mono,
}

macro_rules! theme_slots {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        /// The style of every kind of thing the app draws.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct Theme {
            $($(#[$doc])* pub $name: Style,)*
        }

        impl Theme {
            const SLOTS: &[&str] = &[$(stringify!($name)),*];

            fn slot_mut(&mut self, name: &str) -> Option<&mut Style> {
                match name {
                    $(stringify!($name) => Some(&mut self.$name),)*
                    _ => None,
                }
            }
        }
    };
}

theme_slots! {
    /// Ordinary text.
    base,
    /// Secondary text: dates, counts, explanations.
    muted,
    /// Pane and popup titles.
    title,
    /// Borders of unfocused panes.
    border,
    /// The border of the focused pane or popup.
    border_focused,
    /// Tab names.
    tab,
    /// The shown tab's name.
    tab_active,
    /// The selected row.
    selected,
    /// The status bar.
    status,
    /// The "online" sync state.
    online,
    /// The "offline" sync state.
    offline,
    /// The "syncing" sync state.
    syncing,
    /// Keys in hints and help.
    key,
    /// Key descriptions in hints.
    hint,
    /// Error messages.
    error,
    /// Warnings: pending writes, a terminal too small.
    warning,
    /// Popup bodies.
    popup,
    /// Characters matched by the palette's search.
    matched,
    /// Text input fields.
    input,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    styles: BTreeMap<Spanned<String>, StyleSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<NamedColor>,
    bg: Option<NamedColor>,
    #[serde(default)]
    modifiers: Vec<NamedModifier>,
}

impl StyleSpec {
    fn style(&self) -> Style {
        let mut style = Style::new();
        if let Some(fg) = self.fg {
            style = style.fg(fg.0);
        }
        if let Some(bg) = self.bg {
            style = style.bg(bg.0);
        }
        self.modifiers
            .iter()
            .fold(style, |s, m| s.add_modifier(m.0))
    }
}

const COLORS: [(&str, Color); 17] = [
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("dark_gray", Color::DarkGray),
    ("light_red", Color::LightRed),
    ("light_green", Color::LightGreen),
    ("light_yellow", Color::LightYellow),
    ("light_blue", Color::LightBlue),
    ("light_magenta", Color::LightMagenta),
    ("light_cyan", Color::LightCyan),
    ("white", Color::White),
    ("reset", Color::Reset),
];

const MODIFIERS: [(&str, Modifier); 5] = [
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
];

#[derive(Debug, Clone, Copy)]
struct NamedColor(Color);

impl<'de> Deserialize<'de> for NamedColor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        by_name(&COLORS, &s).map(NamedColor).map_err(|names| {
            serde::de::Error::custom(format!("unknown colour \"{s}\"; the colours are: {names}"))
        })
    }
}

#[derive(Debug, Clone, Copy)]
struct NamedModifier(Modifier);

impl<'de> Deserialize<'de> for NamedModifier {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        by_name(&MODIFIERS, &s).map(NamedModifier).map_err(|names| {
            serde::de::Error::custom(format!(
                "unknown modifier \"{s}\"; the modifiers are: {names}"
            ))
        })
    }
}

impl Theme {
    /// The chosen shipped theme with the user's `theme.toml` (if any) on top.
    pub fn load(
        choice: ThemeChoice,
        no_color: bool,
        user_file: &Path,
    ) -> Result<Self, ConfigError> {
        let mut theme = Self::shipped(choice, no_color)?;
        if let Some(text) = read_optional(user_file)? {
            theme.apply(user_file, &text, false)?;
        }
        Ok(theme)
    }

    /// A shipped theme alone.
    pub fn shipped(choice: ThemeChoice, no_color: bool) -> Result<Self, ConfigError> {
        let mono = match choice {
            ThemeChoice::Auto => no_color,
            ThemeChoice::Default => false,
            ThemeChoice::Mono => true,
        };
        let (name, text) = if mono {
            ("assets/theme-mono.toml", MONO_THEME)
        } else {
            ("assets/theme-default.toml", DEFAULT_THEME)
        };
        let mut theme = Theme::default();
        theme.apply(Path::new(name), text, true)?;
        Ok(theme)
    }

    /// Sets the styles listed in `text`; `complete` demands that every style is listed.
    fn apply(&mut self, file: &Path, text: &str, complete: bool) -> Result<(), ConfigError> {
        let parsed: ThemeFile =
            toml::from_str(text).map_err(|e| ConfigError::parse(file, text, &e))?;
        for (name, spec) in &parsed.styles {
            let slot = self.slot_mut(name.get_ref()).ok_or_else(|| {
                ConfigError::at(
                    file,
                    text,
                    name.span().start,
                    format!(
                        "unknown style \"{}\"; the styles are: {}",
                        name.get_ref(),
                        Self::SLOTS.join(", ")
                    ),
                )
            })?;
            *slot = spec.style();
        }
        if complete
            && let Some(missing) = Self::SLOTS
                .iter()
                .find(|s| !parsed.styles.keys().any(|k| k.get_ref() == *s))
        {
            return Err(ConfigError {
                file: file.to_path_buf(),
                line: None,
                message: format!("style \"{missing}\" is missing"),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shipped_themes_are_complete() {
        let default = Theme::shipped(ThemeChoice::Default, false).unwrap();
        let mono = Theme::shipped(ThemeChoice::Mono, false).unwrap();
        assert_eq!(default.tab_active.bg, Some(Color::Cyan));
        assert!(mono.tab_active.add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn no_color_picks_the_monochrome_theme_and_it_has_no_colours() {
        let theme = Theme::shipped(ThemeChoice::Auto, true).unwrap();
        assert_eq!(theme, Theme::shipped(ThemeChoice::Mono, false).unwrap());
        for slot in Theme::SLOTS {
            let mut t = theme;
            let style = *t.slot_mut(slot).unwrap();
            assert_eq!((style.fg, style.bg), (None, None), "{slot}");
        }
    }

    #[test]
    fn a_user_theme_changes_single_styles_and_reports_bad_lines() {
        let mut theme = Theme::shipped(ThemeChoice::Default, false).unwrap();
        theme
            .apply(
                Path::new("theme.toml"),
                "[styles]\nkey = { fg = \"magenta\" }\n",
                false,
            )
            .unwrap();
        assert_eq!(theme.key, Style::new().fg(Color::Magenta));
        let err = theme
            .apply(
                Path::new("theme.toml"),
                "[styles]\nkey = { fg = \"magenta\" }\nnope = {}\n",
                false,
            )
            .unwrap_err();
        assert_eq!(err.line, Some(3));
        let err = theme
            .apply(
                Path::new("theme.toml"),
                "[styles]\n\nkey = { fg = \"#ff0000\" }\n",
                false,
            )
            .unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("unknown colour"), "{err}");
    }
}
