//! The authorization matrix by relation: each customer against tickets that are their own, a
//! colleague's, another company's or a company-less contact's, under each permission mode;
//! staff against all of them. A hidden ticket is a 404 everywhere, never a 403.

mod common;

use common::matrix::{Callers, Who};
use common::*;
use serde_json::{Value, json};

/// Is the ticket visible in `contact`, `company` and `contact_filter` (plan in [gold]) mode?
type Visible = [bool; 3];

/// (viewer, relation, whose ticket, visible by mode). Carla and Gina are on the gold plan, Dan
/// on standard, so the filter gives Carla and Gina company visibility and Dan none.
#[rustfmt::skip]
const CASES: [(Who, &str, &str, Visible); 15] = [
    (Who::Carla, "own",           CARLA, [true, true, true]),
    (Who::Carla, "colleague",     DAN,   [false, true, true]),
    (Who::Carla, "other company", GINA,  [false, false, false]),
    (Who::Carla, "no company",    SOLO,  [false, false, false]),
    (Who::Dan,   "own",           DAN,   [true, true, true]),
    (Who::Dan,   "colleague",     CARLA, [false, true, false]),
    (Who::Dan,   "other company", GINA,  [false, false, false]),
    (Who::Dan,   "no company",    SOLO,  [false, false, false]),
    (Who::Gina,  "own",           GINA,  [true, true, true]),
    (Who::Gina,  "colleague",     "marco@globex.test", [false, true, true]),
    (Who::Gina,  "other company", CARLA, [false, false, false]),
    (Who::Gina,  "no company",    FRAN,  [false, false, false]),
    (Who::Solo,  "own",           SOLO,  [true, true, true]),
    (Who::Solo,  "other company", CARLA, [false, false, false]),
    (Who::Solo,  "no company",    FRAN,  [false, false, false]),
];

/// The calls made on each ticket: method, path suffix, body, status when visible.
fn calls(staff: bool) -> [(&'static str, &'static str, Option<Value>, u16); 4] {
    let patch = if staff {
        json!({"priority": "high"})
    } else {
        json!({"closed": false})
    };
    [
        ("GET", "", None, 200),
        ("PATCH", "", Some(patch), 200),
        (
            "POST",
            "/messages",
            Some(json!({"body": "Matrix reply"})),
            201,
        ),
        (
            "POST",
            "/messages",
            Some(json!({"body": "Matrix note", "internal": true})),
            if staff { 201 } else { 403 },
        ),
    ]
}

async fn run(mode: &str) {
    let callers = Callers::new(mode).await;
    let ts = &callers.ts;
    let column = ["contact", "company", "contact_filter"]
        .iter()
        .position(|m| *m == mode)
        .expect("mode");
    let mut failures = Vec::new();
    for who in [
        Who::Admin,
        Who::Agent,
        Who::Carla,
        Who::Dan,
        Who::Gina,
        Who::Solo,
    ] {
        let token = &callers.tokens[&who];
        let listed: Vec<i64> = ts
            .all_tickets(token)
            .await
            .iter()
            .map(|t| t["id"].as_i64().expect("id"))
            .collect();
        for (viewer, relation, owner, visible) in
            CASES.into_iter().filter(|c| who.is_staff() || c.0 == who)
        {
            let visible = who.is_staff() || visible[column];
            let id = callers.ticket_of(owner);
            let label =
                format!("[{mode}] {who:?} as {viewer:?} on the {relation} ticket {id} of {owner}");
            if listed.contains(&id) != visible {
                failures.push(format!("{label}: listed is {}, want {visible}", !visible));
            }
            for (method, suffix, body, allowed) in calls(who.is_staff()) {
                let path = format!("/tickets/{id}{suffix}");
                // Customers have their own version of a ticket (internal changes do not move
                // it), so each caller sends the ETag it reads; a hidden ticket gets the staff one.
                let reader = if visible { token } else { callers.admin() };
                let etag = ts
                    .get(&format!("/tickets/{id}"), reader)
                    .await
                    .header("etag");
                let a = ts
                    .call(
                        method,
                        &path,
                        Some(token),
                        body.clone(),
                        &[("if-match", &etag)],
                    )
                    .await;
                if a.status >= 400 {
                    assert_error_shape(&a);
                }
                // Internal notes are refused by role, whatever the ticket; the rest hide it.
                let want = if visible || allowed == 403 {
                    allowed
                } else {
                    404
                };
                if a.status != want {
                    failures.push(format!(
                        "{label}: {method} {path} {body:?} got {}, want {want}: {}",
                        a.status, a.text
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

both_stores! {
    #[tokio::test]
    async fn tickets_in_contact_mode() {
        run("contact").await;
    }
}

both_stores! {
    #[tokio::test]
    async fn tickets_in_company_mode() {
        run("company").await;
    }
}

both_stores! {
    #[tokio::test]
    async fn tickets_in_contact_filter_mode() {
        run("contact_filter").await;
    }
}
