//! What opens over a pane or over the whole app: the `?` help, the `:` palette, the
//! conflict dialog, and the one yes/no question every pane asks with.

pub mod confirm;
pub mod conflict;
pub mod help;
pub mod palette;
