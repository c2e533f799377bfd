//! The terminal app's configuration: `config.toml`, `keymap.toml` and `theme.toml` in the
//! config dir (`DESKPORT_CONFIG_DIR`, or the platform's config dir for deskport), each on top
//! of the defaults shipped in `assets/`. A bad file is reported with its path and line.

use super::config_file::{ConfigError, read_optional};
use super::keymap::Keymap;
use super::theme::{Theme, ThemeChoice};
use serde::Deserialize;
use std::path::Path;

/// The settings shipped with deskport.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/config.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    theme: Option<ThemeChoice>,
    mouse: Option<bool>,
}

/// Everything the terminal app reads from the config dir.
#[derive(Debug, Clone)]
pub struct Config {
    /// Key bindings.
    pub keymap: Keymap,
    pub theme: Theme,
    /// Whether to capture the mouse.
    pub mouse: bool,
}

impl Config {
    /// Loads the config dir `dir`; `no_color` is whether `NO_COLOR` is set.
    pub fn load(dir: &Path, no_color: bool) -> Result<Self, ConfigError> {
        let defaults = parse_settings(Path::new("assets/config.toml (built in)"), DEFAULT_CONFIG)?;
        let file = dir.join("config.toml");
        let user = match read_optional(&file)? {
            Some(text) => parse_settings(&file, &text)?,
            None => Settings {
                theme: None,
                mouse: None,
            },
        };
        let choice = user.theme.or(defaults.theme).unwrap_or(ThemeChoice::Auto);
        Ok(Config {
            keymap: Keymap::load(&dir.join("keymap.toml"))?,
            theme: Theme::load(choice, no_color, &dir.join("theme.toml"))?,
            mouse: user.mouse.or(defaults.mouse).unwrap_or(true),
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
        let config = Config::load(dir.path(), false).unwrap();
        assert!(config.mouse);
        assert_eq!(config.keymap, Keymap::defaults().unwrap());
    }

    #[test]
    fn a_bad_setting_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.toml"),
            "mouse = false\ntheme = \"neon\"\n",
        )
        .unwrap();
        let err = Config::load(dir.path(), false).unwrap_err();
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
        let err = Config::load(dir.path(), false).unwrap_err();
        assert_eq!(err.file, dir.path().join("keymap.toml"));
        assert_eq!(err.line, Some(3), "{err}");
    }
}
