//! What the authorization matrix tests share: the callers, signed in once per server, and a
//! ticket of every contact to aim at.

use super::*;
use std::collections::HashMap;

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Who {
    /// ada, the admin.
    Admin,
    /// sam, an agent.
    Agent,
    /// carla, Acme.
    Carla,
    /// dan, Acme (Carla's colleague).
    Dan,
    /// gina, Globex.
    Gina,
    /// solo, no company.
    Solo,
    /// No token.
    Anonymous,
}

/// Every caller.
pub const EVERYONE: [Who; 7] = [
    Who::Admin,
    Who::Agent,
    Who::Carla,
    Who::Dan,
    Who::Gina,
    Who::Solo,
    Who::Anonymous,
];

impl Who {
    /// The demo account, if any.
    pub fn email(self) -> Option<&'static str> {
        Some(match self {
            Who::Admin => ADA,
            Who::Agent => SAM,
            Who::Carla => CARLA,
            Who::Dan => DAN,
            Who::Gina => GINA,
            Who::Solo => SOLO,
            Who::Anonymous => return None,
        })
    }

    /// Admin or agent.
    pub fn is_staff(self) -> bool {
        matches!(self, Who::Admin | Who::Agent)
    }

    /// Index into an expectation row: admin, agent, customer, anonymous.
    pub fn column(self) -> usize {
        match self {
            Who::Admin => 0,
            Who::Agent => 1,
            Who::Anonymous => 3,
            _ => 2,
        }
    }
}

/// A demo server in one permission mode with everyone signed in.
pub struct Callers {
    /// The server.
    pub ts: TestServer,
    /// Tokens of everyone but the anonymous caller.
    pub tokens: HashMap<Who, String>,
    /// Contact id by email.
    pub contacts: HashMap<String, i64>,
    /// The first ticket of each contact id.
    tickets: HashMap<i64, i64>,
}

impl Callers {
    /// Starts a demo server, switches it to `mode` and signs everyone in.
    pub async fn new(mode: &str) -> Callers {
        let ts = demo_server(300).await;
        let mut tokens = HashMap::new();
        for who in EVERYONE {
            if let Some(email) = who.email() {
                tokens.insert(who, ts.demo_login(email).await);
            }
        }
        let admin = tokens[&Who::Admin].clone();
        ts.set_mode(&admin, mode).await;
        let list = ts.get("/contacts", &admin).await.body;
        let contacts = list
            .as_array()
            .expect("contacts")
            .iter()
            .map(|c| {
                (
                    c["email"].as_str().expect("email").to_string(),
                    c["id"].as_i64().expect("id"),
                )
            })
            .collect();
        let mut tickets = HashMap::new();
        for t in ts.all_tickets(&admin).await {
            tickets
                .entry(t["contact_id"].as_i64().expect("contact_id"))
                .or_insert(t["id"].as_i64().expect("id"));
        }
        Callers {
            ts,
            tokens,
            contacts,
            tickets,
        }
    }

    /// The admin's token.
    pub fn admin(&self) -> &str {
        &self.tokens[&Who::Admin]
    }

    /// A ticket raised by the contact with `email`.
    pub fn ticket_of(&self, email: &str) -> i64 {
        self.tickets[&self.contacts[email]]
    }
}
