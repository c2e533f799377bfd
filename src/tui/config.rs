//! The terminal app's configuration: `config.toml`, `keymap.toml` and `theme.toml` in the
//! config dir (`DESKPORT_CONFIG_DIR`, or the platform's config dir for deskport), each on top
//! of the defaults shipped in `assets/`. A bad file is reported with its path and line.

use super::config_file::{ConfigError, by_name, read_optional};
use super::keymap::Keymap;
use super::theme::{Theme, ThemeChoice};
use crate::domain::i18n::Language;
use serde::Deserialize;
use std::path::Path;

/// The settings shipped with deskport.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/config.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    theme: Option<ThemeChoice>,
    mouse: Option<bool>,
    #[serde(default, deserialize_with = "language")]
    language: Option<Language>,
}

/// A `language = "it"` setting, refused with the shipped tags when deskport lacks it.
fn language<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Language>, D::Error> {
    let tag = String::deserialize(d)?;
    let tags = Language::ALL.map(|l| (l.tag(), l));
    by_name(&tags, &tag).map(Some).map_err(|names| {
        serde::de::Error::custom(format!(
            "unknown language \"{tag}\"; the languages are: {names}"
        ))
    })
}

/// Everything the terminal app reads from the config dir.
#[derive(Debug, Clone)]
pub struct Config {
    /// Key bindings.
    pub keymap: Keymap,
    pub theme: Theme,
    /// Whether to capture the mouse.
    pub mouse: bool,
    /// The language staff (and the sign-in screen) see: `language` in config.toml, else the
    /// environment's (`LC_ALL`, `LC_MESSAGES`, `LANG`), else English. Customers see their
    /// portal's language instead once signed in.
    pub language: Language,
}

impl Config {
    /// Loads the config dir `dir`; `no_color` is whether `NO_COLOR` is set, `environment`
    /// the language the environment names.
    pub fn load(
        dir: &Path,
        no_color: bool,
        environment: Option<Language>,
    ) -> Result<Self, ConfigError> {
        let defaults = parse_settings(Path::new("assets/config.toml (built in)"), DEFAULT_CONFIG)?;
        let file = dir.join("config.toml");
        let user = match read_optional(&file)? {
            Some(text) => parse_settings(&file, &text)?,
            None => Settings {
                theme: None,
                mouse: None,
                language: None,
            },
        };
        let choice = user.theme.or(defaults.theme).unwrap_or(ThemeChoice::Auto);
        Ok(Config {
            keymap: Keymap::load(&dir.join("keymap.toml"))?,
            theme: Theme::load(choice, no_color, &dir.join("theme.toml"))?,
            mouse: user.mouse.or(defaults.mouse).unwrap_or(true),
            language: user
                .language
                .or(environment)
                .or(defaults.language)
                .unwrap_or_default(),
        })
    }
}

fn parse_settings(file: &Path, text: &str) -> Result<Settings, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError::parse(file, text, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_config_dir_gives_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::load(dir.path(), false, None).unwrap();
        assert!(config.mouse);
        assert_eq!(config.keymap, Keymap::defaults().unwrap());
        assert_eq!(config.language, Language::English);
    }

    #[test]
    fn the_configured_language_wins_over_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let italian = Some(Language::Italian);
        let config = Config::load(dir.path(), false, italian).unwrap();
        assert_eq!(config.language, Language::Italian);
        std::fs::write(dir.path().join("config.toml"), "language = \"en\"\n").unwrap();
        let config = Config::load(dir.path(), false, italian).unwrap();
        assert_eq!(config.language, Language::English);
        std::fs::write(dir.path().join("config.toml"), "language = \"xx\"\n").unwrap();
        let err = Config::load(dir.path(), false, italian).unwrap_err();
        assert!(
            err.to_string().contains("the languages are: en, it"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_setting_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.toml"),
            "mouse = false\ntheme = \"neon\"\n",
        )
        .unwrap();
        let err = Config::load(dir.path(), false, None).unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(
            err.to_string().starts_with(&format!(
                "{}, line 2: ",
                dir.path().join("config.toml").display()
            )),
            "{err}"
        );
    }

    #[test]
    fn a_bad_keymap_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("keymap.toml"),
            "[global]\nquit = [\"q\"]\nhelp = [\"ctrl-\"]\n",
        )
        .unwrap();
        let err = Config::load(dir.path(), false, None).unwrap_err();
        assert_eq!(err.file, dir.path().join("keymap.toml"));
        assert_eq!(err.line, Some(3), "{err}");
    }
}
