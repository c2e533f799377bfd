//! Routing through the API, over many tickets created by staff with `POST /tickets`: round
//! robin is fair and never exceeds capacity, least loaded picks the emptiest member, a full
//! inbox leaves tickets unassigned, a disabled rule never fires and rule order decides.

mod common;

use common::*;
use serde_json::{Value, json};
use std::collections::HashMap;

/// The demo agents Sam and Lin.
const AGENTS: [i64; 2] = [2, 3];

struct Desk {
    ts: TestServer,
    admin: String,
    contact_id: Value,
}

async fn desk() -> Desk {
    let ts = demo_server(20).await;
    let admin = ts.demo_login(ADA).await;
    let contact_id = ts.contact(&admin, CARLA).await["id"].clone();
    Desk {
        ts,
        admin,
        contact_id,
    }
}

impl Desk {
    async fn inbox(&self, name: &str, assignment: &str, capacity: Option<usize>) -> i64 {
        let body = json!({"name": name, "kind": "help_desk", "members": AGENTS,
                          "assignment": assignment, "capacity": capacity});
        let a = self.ts.post("/inboxes", &self.admin, body).await;
        assert_eq!(a.status, 201, "{}", a.text);
        a.body["id"].as_i64().expect("inbox id")
    }

    async fn rule(&self, name: &str, word: &str, inbox: i64, enabled: bool) -> i64 {
        let body = json!({"name": name, "enabled": enabled, "position": 0, "match": "all",
                          "conditions": [{"field": "subject", "op": "contains", "value": word}],
                          "then": {"inbox_id": inbox, "assign": "inbox_method"}});
        let a = self.ts.post("/routing-rules", &self.admin, body).await;
        assert_eq!(a.status, 201, "{}", a.text);
        a.body["id"].as_i64().expect("rule id")
    }

    /// Creates a ticket as staff, routed by the rules; returns (inbox, owner).
    async fn raise(&self, subject: &str) -> (i64, Option<i64>) {
        let body =
            json!({"subject": subject, "description": "Routed.", "contact_id": self.contact_id});
        let a = self.ts.post("/tickets", &self.admin, body).await;
        assert_eq!(a.status, 201, "{}", a.text);
        (
            a.body["inbox_id"].as_i64().expect("inbox"),
            a.body["owner_id"].as_i64(),
        )
    }

    /// Open tickets per agent, across all inboxes.
    async fn open_per_agent(&self) -> HashMap<i64, usize> {
        let mut out: HashMap<i64, usize> = AGENTS.iter().map(|a| (*a, 0)).collect();
        for t in self.ts.all_tickets(&self.admin).await {
            if t["stage"] != "closed"
                && let Some(n) = t["owner_id"].as_i64().and_then(|o| out.get_mut(&o))
            {
                *n += 1;
            }
        }
        out
    }

    async fn patch(&self, path: &str, body: Value) {
        let a = self
            .ts
            .call("PATCH", path, Some(&self.admin), Some(body), &[])
            .await;
        assert_eq!(a.status, 200, "{}", a.text);
    }
}

both_stores! {
    #[tokio::test]
    async fn round_robin_spreads_a_thousand_tickets_evenly() {
        let d = desk().await;
        let fair = d.inbox("Fair", "round_robin", None).await;
        d.rule("Fairness", "fairness", fair, true).await;
        let mut counts: HashMap<i64, usize> = HashMap::new();
        for n in 0..1000 {
            let (inbox, owner) = d.raise(&format!("fairness check {n}")).await;
            assert_eq!(inbox, fair);
            *counts
                .entry(owner.expect("round robin assigns"))
                .or_default() += 1;
        }
        assert_eq!(counts.len(), 2, "{counts:?}");
        for agent in AGENTS {
            assert_eq!(counts.get(&agent), Some(&500), "{counts:?}");
        }
    }
}

both_stores! {
    #[tokio::test]
    async fn round_robin_never_exceeds_capacity_and_then_leaves_tickets_unassigned() {
        let d = desk().await;
        let before = d.open_per_agent().await;
        let capacity = before.values().max().copied().unwrap_or(0) + 3;
        let small = d.inbox("Small", "round_robin", Some(capacity)).await;
        d.rule("Small things", "smallish", small, true).await;
        let room: usize = before.values().map(|n| capacity - n).sum();
        let mut unassigned = 0;
        for n in 0..room + 5 {
            let (inbox, owner) = d.raise(&format!("smallish {n}")).await;
            assert_eq!(inbox, small);
            if owner.is_none() {
                unassigned += 1;
            }
            let open = d.open_per_agent().await;
            assert!(
                open.values().all(|n| *n <= capacity),
                "{open:?} > {capacity}"
            );
        }
        assert_eq!(
            unassigned, 5,
            "once everyone is full, tickets wait unassigned"
        );
        let open = d.open_per_agent().await;
        assert!(open.values().all(|n| *n == capacity), "{open:?}");
        let counts = d.ts.get("/inboxes", &d.admin).await.body;
        let counts = counts
            .as_array()
            .expect("inboxes")
            .iter()
            .find(|b| b["id"] == small)
            .cloned()
            .expect("the small inbox");
        assert_eq!(
            (&counts["open"], &counts["unassigned"]),
            (&json!(room + 5), &json!(5))
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn least_loaded_picks_the_member_with_fewest_open_tickets() {
        let d = desk().await;
        let light = d.inbox("Light", "least_loaded", None).await;
        d.rule("Light load", "lightly", light, true).await;
        for n in 0..12 {
            let open = d.open_per_agent().await;
            let fewest = open.values().min().copied().expect("agents");
            let (inbox, owner) = d.raise(&format!("lightly {n}")).await;
            assert_eq!(inbox, light);
            let owner = owner.expect("least loaded assigns");
            assert_eq!(open[&owner], fewest, "{owner} had {open:?}");
        }
    }
}

both_stores! {
    #[tokio::test]
    async fn a_disabled_rule_never_fires_and_rule_order_decides() {
        let d = desk().await;
        let first = d.inbox("First", "manual", None).await;
        let second = d.inbox("Second", "manual", None).await;
        let off = d.rule("Switched off", "zebra", first, false).await;
        for n in 0..5 {
            let (inbox, _) = d.raise(&format!("zebra {n}")).await;
            assert_ne!(inbox, first, "a disabled rule never fires");
        }
        d.patch(&format!("/routing-rules/{off}"), json!({"enabled": true}))
            .await;
        assert_eq!(d.raise("zebra again").await.0, first);
        // A second matching rule placed on top wins; moving the first back up restores it.
        d.rule("Also zebras", "zebra", second, true).await;
        assert_eq!(d.raise("zebra crossing").await.0, second);
        d.patch(&format!("/routing-rules/{off}"), json!({"position": 0}))
            .await;
        assert_eq!(d.raise("zebra stripes").await.0, first);
    }
}
