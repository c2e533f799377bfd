//! What is open over the Tickets pane: at most one layer (a popup, the composer or the
//! support form) takes the keys, the hint bar and the drawing before the pane does. The pane
//! asks its layer once in each trait method instead of checking each kind in turn, and what a
//! layer made of a key (sent, chosen, closed) comes back to the pane in one place. The
//! [`Layer`] enum itself lives in the pane's module, which its layers' modules all see.

use super::popups::Popup;
use super::{Layer, Tickets};
use crate::tui::action::{Action, Command};
use crate::tui::components::popups::confirm;
use crate::tui::components::{DrawCtx, Outcome};
use crate::tui::keymap::Context;
use crate::tui::msg::Done;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

impl Layer {
    /// Whether a yes/no question is open in the layer: its keys are then the question's.
    pub fn asking(&self) -> bool {
        match self {
            Layer::Popup(p) => matches!(p, Popup::Ask(..)),
            Layer::Composer(c) => c.asking(),
            Layer::Form(f) => f.asking(),
        }
    }

    /// The keymap sections the layer reads; `None` for a popup that reads the pane's.
    pub fn contexts(&self) -> Option<&'static [Context]> {
        if self.asking() {
            return Some(confirm::CONTEXTS);
        }
        match self {
            Layer::Composer(_) | Layer::Form(_) => Some(&[Context::Composer]),
            Layer::Popup(p) if p.captures_text() => Some(&[Context::Tickets]),
            Layer::Popup(_) => None,
        }
    }

    /// What the layer offers now.
    pub fn commands(&self) -> Vec<Command> {
        match self {
            Layer::Popup(p) => p.commands(),
            Layer::Composer(c) => c.commands(),
            Layer::Form(f) => f.commands(),
        }
    }

    /// Whether typed characters are text for the layer.
    pub fn captures_text(&self) -> bool {
        let typing = match self {
            Layer::Popup(p) => p.captures_text(),
            Layer::Composer(_) | Layer::Form(_) => true,
        };
        typing && !self.asking()
    }

    /// Takes the answer of background work the layer waits for; others are given back.
    pub fn receive(&mut self, done: Done) -> Option<Done> {
        match self {
            Layer::Popup(p) => p.receive(done),
            Layer::Composer(c) => c.receive(done),
            Layer::Form(_) => Some(done),
        }
    }

    /// Draws the layer over the pane's `area`.
    pub fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: DrawCtx<'_>) {
        match self {
            Layer::Popup(p) => p.draw(frame, area, ctx),
            Layer::Composer(c) => c.draw(frame, area, ctx),
            Layer::Form(f) => f.draw(frame, area, ctx),
        }
    }
}

impl Tickets {
    /// Gives `action` to the open layer and applies what it made of it; `None` when no layer
    /// is open. Quit, help and the palette pass through to the app, except over a question.
    pub(super) fn layer_handle(&mut self, action: Action) -> Option<Outcome> {
        let layer = self.layer.as_mut()?;
        if matches!(action, Action::Quit | Action::Help | Action::Palette) {
            return Some(Outcome::Ignored);
        }
        Some(match layer {
            Layer::Composer(c) => {
                let composed = c.handle(action);
                self.composed(composed)
            }
            Layer::Form(f) => {
                let filled = f.handle(action);
                self.filled(filled)
            }
            Layer::Popup(_) => self.popup_handle(action),
        })
    }

    /// Gives a typed key to the open layer; `None` when no layer is open.
    pub(super) fn layer_input(&mut self, key: &KeyEvent) -> Option<Outcome> {
        Some(match self.layer.as_mut()? {
            Layer::Composer(c) => {
                let composed = c.input(key);
                self.composed(composed)
            }
            Layer::Form(f) => {
                f.input(key);
                Outcome::Changed
            }
            Layer::Popup(p) => p.input(key),
        })
    }

    /// Gives pasted text to the open layer; `None` when no layer is open.
    pub(super) fn layer_paste(&mut self, text: &str) -> Option<Outcome> {
        Some(match self.layer.as_mut()? {
            Layer::Composer(c) => {
                c.paste(text);
                Outcome::Changed
            }
            Layer::Form(f) => {
                f.paste(text);
                Outcome::Changed
            }
            Layer::Popup(p) => p.paste(text),
        })
    }
}
