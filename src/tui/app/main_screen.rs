//! The signed-in screen: the role's tabs, one pane each, over one running client whose events
//! a task forwards to the event loop.

use crate::client::Client;
use crate::domain::wire::PortalFor;
use crate::tui::action::{Action, Command};
use crate::tui::components::Component;
use crate::tui::components::panes::account::Account;
use crate::tui::components::panes::portal::Portal;
use crate::tui::components::panes::routing::Routing;
use crate::tui::components::panes::tickets::Tickets;
use crate::tui::components::widgets::tabs::{Tab, TabKind, tabs_for};
use crate::tui::i18n::t;
use crate::tui::msg::{Done, Msg, Tasks};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

/// Stops forwarding client events when the screen goes away.
struct Forwarder(JoinHandle<()>);

impl Drop for Forwarder {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The tabs, their panes and the client behind them.
pub struct Main {
    client: Client,
    tabs: Vec<Tab>,
    panes: Vec<Box<dyn Component>>,
    active: usize,
    /// Whether the user picked a tab (or the first-run check is done): no more automatic moves.
    settled: bool,
    _forward: Forwarder,
}

impl Main {
    /// The screen for `client`'s account; its events go to `tx`.
    pub fn new(client: Client, tx: UnboundedSender<Msg>) -> Self {
        let tabs = tabs_for(client.session().account.role);
        let tasks = Tasks::new(tx.clone());
        let panes = tabs
            .iter()
            .map(|tab| -> Box<dyn Component> {
                let (client, tasks) = (client.clone(), tasks.clone());
                match tab.kind {
                    TabKind::Tickets => Box::new(Tickets::new(client, tasks)),
                    TabKind::Routing => Box::new(Routing::new(client, tab.read_only, tasks)),
                    TabKind::Portal => Box::new(Portal::new(client, tab.read_only, tasks)),
                    TabKind::Account => Box::new(Account::new(client, tasks)),
                }
            })
            .collect();
        let mut events = client.subscribe();
        let forward = tokio::spawn(async move {
            loop {
                let event = match events.recv().await {
                    Ok(event) => event,
                    Err(RecvError::Lagged(n)) => {
                        tracing::debug!(
                            "skipped {n} client events; the view holds the current state"
                        );
                        crate::client::ClientEvent::ViewChanged { revision: 0 }
                    }
                    Err(RecvError::Closed) => break,
                };
                if tx.send(Msg::Client(event)).is_err() {
                    break;
                }
            }
        });
        let mut main = Main {
            client,
            tabs,
            panes,
            active: 0,
            settled: false,
            _forward: Forwarder(forward),
        };
        main.open_setup();
        main
    }

    /// On a portal that is not set up yet, an admin starts on the Portal tab (its setup
    /// wizard), unless they already chose a tab. Checked until the settings are known.
    pub fn open_setup(&mut self) {
        if self.settled {
            return;
        }
        let configured = match self.client.view().portal.as_ref().map(|p| &p.item) {
            Some(PortalFor::Staff(p)) => p.settings.configured,
            Some(PortalFor::Public(_)) => true,
            None => return,
        };
        self.settled = true;
        let wizard = self
            .tabs
            .iter()
            .position(|t| t.kind == TabKind::Portal && !t.read_only);
        if let (false, Some(at)) = (configured, wizard) {
            self.active = at;
        }
    }

    /// Tells every pane the client's view changed.
    pub fn view_changed(&mut self) {
        for pane in &mut self.panes {
            pane.view_changed();
        }
    }

    /// The running client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The first screen the Tickets tab leaves for the next start, if it has one.
    pub fn first_screen(&mut self) -> Option<crate::client::Glance> {
        let at = self.tabs.iter().position(|t| t.kind == TabKind::Tickets)?;
        self.panes.get_mut(at)?.first_screen()
    }

    /// The tabs.
    pub fn tabs(&self) -> &[Tab] {
        &self.tabs
    }

    /// Index of the shown tab.
    pub fn active(&self) -> usize {
        self.active
    }

    /// Hands the answer of background work to the pane that started it (shown or not); gives
    /// it back when no pane waits for it.
    pub fn background(&mut self, done: Done) -> Option<Done> {
        self.panes
            .iter_mut()
            .try_fold(done, |done, pane| pane.background(done))
    }

    /// The shown tab's pane.
    pub fn pane(&mut self) -> &mut dyn Component {
        self.panes[self.active].as_mut()
    }

    /// The shown tab's name, as help titles it.
    pub fn title(&self) -> String {
        let tab = self.tabs[self.active];
        if tab.read_only {
            format!("{} {}", tab.kind.title(), t("tab-read-only"))
        } else {
            tab.kind.title()
        }
    }

    /// Shows tab `index`; returns whether that changed anything.
    pub fn show(&mut self, index: usize) -> bool {
        self.settled = true;
        if index < self.tabs.len() && index != self.active {
            self.active = index;
            true
        } else {
            false
        }
    }

    /// Handles a tab-switching action.
    pub fn tab_action(&mut self, action: Action) -> bool {
        let n = self.tabs.len();
        match action {
            Action::NextTab => self.show((self.active + 1) % n),
            Action::PrevTab => self.show((self.active + n - 1) % n),
            Action::Tab1 => self.show(0),
            Action::Tab2 => self.show(1),
            Action::Tab3 => self.show(2),
            Action::Tab4 => self.show(3),
            _ => false,
        }
    }

    /// The tab commands this role has.
    pub fn tab_commands(&self) -> Vec<Command> {
        let numbered = [Action::Tab1, Action::Tab2, Action::Tab3, Action::Tab4];
        let mut commands = vec![Command::new(Action::NextTab), Command::new(Action::PrevTab)];
        commands.extend(
            self.tabs
                .iter()
                .zip(numbered)
                .map(|(tab, action)| Command::worded(action, super::commands::tab_label(tab.kind))),
        );
        commands
    }
}
