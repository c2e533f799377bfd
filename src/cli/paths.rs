//! Where deskport keeps its files: the platform's data and config dirs, overridable with
//! `DESKPORT_DATA_DIR` and `DESKPORT_CONFIG_DIR`.

use std::path::PathBuf;

fn project() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "deskport")
}

/// The user's data dir for deskport.
pub fn data_dir() -> PathBuf {
    std::env::var_os("DESKPORT_DATA_DIR")
        .map(PathBuf::from)
        .or_else(|| project().map(|p| p.data_dir().to_path_buf()))
        .unwrap_or_else(|| PathBuf::from(".deskport"))
}

/// Where a server started without `--data-dir` keeps its database.
pub fn server_data_dir() -> PathBuf {
    data_dir().join("server")
}

/// The user's config dir for deskport (`DESKPORT_CONFIG_DIR` overrides): the remembered
/// session and the terminal app's settings.
pub fn config_dir() -> PathBuf {
    std::env::var_os("DESKPORT_CONFIG_DIR")
        .map(PathBuf::from)
        .or_else(|| project().map(|p| p.config_dir().to_path_buf()))
        .unwrap_or_else(|| PathBuf::from(".deskport-config"))
}
