//! End-to-end tests of the Tickets pane: the real `deskport` binary in a pseudo-terminal with
//! temporary data and config dirs, its screen parsed with vt100, checked against the embedded
//! server it started (its address is in the lock file) over the API. Every step waits until
//! the screen shows what it should instead of sleeping.

mod common;

use common::pty::{App, Dirs, api_as, eventually, number_after, server_url};
use deskport::domain::portal::PortalPatch;
use deskport::domain::wire::{CustomerTicketInput, TicketInput};

#[test]
fn an_agent_filters_opens_and_takes_a_ticket_and_the_server_has_it() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &["--user", "sam@deskport.test"], &[], (120, 40));
    app.wait_for("Unassigned");
    app.send("/");
    app.send("invoice owner:none");
    app.wait_for("/invoice owner:none");
    app.send("\r");
    app.wait_for("Enter open ticket");
    app.send("\r");
    let screen = app.wait_for("── description");
    let id: i64 = number_after(&screen, "Ticket #");
    assert!(screen.contains("Owner     unassigned"), "{screen}");
    app.send("A");
    app.wait_for("Owner     Sam Carter");
    let url = server_url(&dirs);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (ada, _) = api_as(&url, "ada@deskport.test").await;
        let (_, sam) = api_as(&url, "sam@deskport.test").await;
        eventually("the assignment on the server", || async {
            let detail = ada.ticket(id).await.unwrap().body;
            serde_json::to_value(&detail.ticket).unwrap()["owner_id"] == sam
        })
        .await;
    });
    app.send("\x1b");
    let screen = app.wait_for("Tickets ·");
    assert!(
        !screen.contains(&format!("#{id} ")),
        "no longer unassigned: {screen}"
    );
}

#[test]
fn a_reopened_filter_is_replaced_by_typing_and_a_ticket_taken_away_is_named() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &["--user", "sam@deskport.test"], &[], (120, 40));
    app.wait_for("Unassigned");
    app.send("/");
    app.send("priority:high owner:none");
    app.wait_for("/priority:high owner:none");
    app.send("\r");
    app.wait_for("Enter open ticket");
    app.send("/");
    app.wait_for("typing replaces it");
    app.send("company:acme");
    let screen = app.wait_for("/company:acme");
    assert!(!screen.contains("owner:nonecompany"), "{screen}");
    app.send("\x15");
    app.wait_gone("/company:acme");
    app.send("owner:none");
    app.wait_for("/owner:none▏");
    app.send("\r");
    app.wait_for("Enter open ticket");
    let screen = app.contents();
    let id = row_ids(&screen)[0];
    app.send("A");
    app.wait_for(&format!(
        "#{id} assigned to you — no longer matches the filter"
    ));
}

/// The ticket numbers of the rows on `screen` (`▶  #12 `, `   #12 `).
fn row_ids(screen: &str) -> Vec<i64> {
    screen
        .lines()
        .filter_map(|l| {
            let rest = l
                .trim_start_matches('│')
                .trim_start_matches(['▶', '✓', ' ']);
            let digits: String = rest
                .strip_prefix('#')?
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

#[test]
fn a_customer_sees_colleagues_tickets_once_the_mode_changes() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &["--user", "carla@acme.test"], &[], (120, 40));
    let screen = app.wait_for("Your tickets · ");
    let own: usize = number_after(&screen, "Your tickets · ");
    let url = server_url(&dirs);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dans = rt.block_on(async {
        let (dan, _) = api_as(&url, "dan@acme.test").await;
        let query = deskport::domain::wire::TicketListQuery {
            limit: Some(500),
            ..Default::default()
        };
        let page = dan.tickets(&query).await.unwrap();
        page.items
            .iter()
            .map(|t| serde_json::to_value(t).unwrap())
            .filter(|t| t["closed"] == false)
            .filter_map(|t| t["id"].as_i64())
            .collect::<Vec<i64>>()
    });
    let listed = row_ids(&screen);
    assert_eq!(
        listed.len(),
        own,
        "every ticket of Carla's is on screen: {screen}"
    );
    assert!(
        listed.iter().all(|id| !dans.contains(id)),
        "contact mode lists none of Dan's tickets {dans:?}: {screen}"
    );
    let colleague = *dans.first().expect("Dan has an open ticket");
    rt.block_on(async {
        let (ada, _) = api_as(&url, "ada@deskport.test").await;
        let portal = ada.portal().await.unwrap();
        let patch: PortalPatch =
            serde_json::from_value(serde_json::json!({"ticket_permission": {"mode": "company"}}))
                .unwrap();
        ada.patch_portal(portal.version.unwrap(), &patch, None)
            .await
            .unwrap();
    });
    let screen = app.wait_until("the company's tickets", |s| {
        s.contains("Your tickets · ") && number_after::<usize>(s, "Your tickets · ") > own
    });
    assert!(
        number_after::<usize>(&screen, "Your tickets · ") > own,
        "{screen}"
    );
    app.send(&format!("/#{colleague} "));
    app.send("\r");
    let row = format!("▶  #{colleague} ");
    let screen = app.wait_for(&row);
    assert_eq!(
        row_ids(&screen),
        [colleague],
        "Dan's ticket, without a restart: {screen}"
    );
}

#[test]
fn escape_sequences_in_a_subject_draw_harmlessly() {
    let dirs = Dirs::new();
    let app = App::start(&dirs, &["--user", "carla@acme.test"], &[], (100, 30));
    app.wait_for("Your tickets · ");
    let url = server_url(&dirs);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (carla, _) = api_as(&url, "carla@acme.test").await;
        let input = TicketInput::Customer(CustomerTicketInput {
            subject: "Printer \x1b]0;pwned\x07\x1b[2Jon fire".into(),
            description: "It smokes.".into(),
            form_fields: Default::default(),
        });
        carla.create_ticket(&input, None).await.unwrap();
    });
    let screen = app.wait_for("Printer on fire");
    assert!(
        screen.contains("1 Tickets"),
        "the screen was not cleared: {screen}"
    );
    let out = String::from_utf8_lossy(&app.output()).into_owned();
    assert!(
        !out.contains("pwned"),
        "the title sequence reached the terminal"
    );
}

#[test]
fn an_agent_replies_from_the_composer_and_the_server_has_the_reply() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &["--user", "sam@deskport.test"], &[], (120, 40));
    app.wait_for("Unassigned");
    app.wait_for("▶  #");
    app.send("\r");
    let screen = app.wait_for("── description");
    let id: i64 = number_after(&screen, "Ticket #");
    app.send("r");
    app.wait_for(&format!("Reply to #{id}"));
    app.send("Restarted the sync service; quit and reopen the app, please.");
    app.wait_for("quit and reopen the app");
    app.send("\x13");
    app.wait_until("the composer to close", |s| !s.contains("Reply to #"));
    let url = server_url(&dirs);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (ada, _) = api_as(&url, "ada@deskport.test").await;
        eventually("the reply on the server", || async {
            let detail = ada.ticket(id).await.unwrap().body;
            detail.messages.iter().any(|m| {
                !m.internal
                    && m.body == "Restarted the sync service; quit and reopen the app, please."
            })
        })
        .await;
    });
    app.wait_for("quit and reopen the app");
}

/// The ids of the rows marked `✓` on `screen`.
fn marked_ids(screen: &str) -> Vec<i64> {
    screen
        .lines()
        .filter_map(|l| {
            let at = l.find("✓ #")? + "✓ #".len();
            l[at..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .ok()
        })
        .collect()
}

#[test]
fn an_agent_bulk_assigns_marked_tickets_and_the_server_has_them() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &["--user", "sam@deskport.test"], &[], (120, 40));
    app.wait_for("Unassigned");
    app.send("/owner:none");
    app.wait_for("/owner:none");
    app.send("\r");
    app.wait_for("▶  #");
    app.send(" ");
    app.wait_for("· 1 marked");
    app.send("jjv");
    let screen = app.wait_for("· 4 marked");
    let ids = marked_ids(&screen);
    assert_eq!(ids.len(), 4, "{screen}");
    app.send("a");
    app.wait_for("Owner of 4 marked");
    app.send("gj");
    app.wait_until("Lin Chen chosen", |s| s.contains("▶ Lin Chen"));
    app.send("\r");
    app.wait_for("Assign 4 tickets to Lin Chen? y/n");
    app.send("y");
    app.wait_for("4 changed, 0 failed: bulk change of 4 tickets");
    let url = server_url(&dirs);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (ada, _) = api_as(&url, "ada@deskport.test").await;
        let (_, lin) = api_as(&url, "lin@deskport.test").await;
        for id in ids {
            let detail = ada.ticket(id).await.unwrap().body;
            assert_eq!(
                serde_json::to_value(&detail.ticket).unwrap()["owner_id"],
                lin,
                "ticket #{id} belongs to Lin on the server"
            );
        }
    });
    let screen = app.wait_until("the marks cleared", |s| !s.contains("marked"));
    assert!(!screen.contains('✓'), "{screen}");
}

#[test]
fn an_admin_sees_who_can_see_a_ticket_after_switching_to_company_mode() {
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &["--user", "ada@deskport.test"], &[], (120, 40));
    app.wait_for("Unassigned");
    let url = server_url(&dirs);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let id = rt.block_on(async {
        let (dan, _) = api_as(&url, "dan@acme.test").await;
        let page = dan
            .tickets(&deskport::domain::wire::TicketListQuery::default())
            .await
            .unwrap();
        let first = page.items.first().expect("Dan has tickets");
        let id = serde_json::to_value(first).unwrap()["id"].as_i64().unwrap();
        let (ada, _) = api_as(&url, "ada@deskport.test").await;
        let portal = ada.portal().await.unwrap();
        let patch: PortalPatch =
            serde_json::from_value(serde_json::json!({"ticket_permission": {"mode": "company"}}))
                .unwrap();
        ada.patch_portal(portal.version.unwrap(), &patch, None)
            .await
            .unwrap();
        id
    });
    app.send("]]]");
    app.wait_until("the All queue", |s| {
        s.contains("[All ") && !s.contains("[All open")
    });
    app.send(&format!("/#{id} "));
    app.send("\r");
    let row = format!("▶  #{id} ");
    app.wait_for(&row);
    app.send("W");
    let screen = app.wait_for("Carla Reyes");
    assert!(
        screen.contains(&format!("Who can see #{id} · company mode")),
        "{screen}"
    );
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("Carla Reyes"))
        .unwrap();
    assert!(
        lines[at + 1].contains("same company (company mode)"),
        "Carla sees it through her company: {screen}"
    );
    assert!(screen.contains("Dan Ito"), "{screen}");
    app.send("\x1b");
    let screen = app.wait_until("the popup to close", |s| !s.contains("Who can see"));
    assert!(screen.contains(&row), "{screen}");
}
