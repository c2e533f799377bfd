//! `deskport replies list|add|rm` through the real binary: an agent saves a reply (and is told
//! the known placeholders when one is unknown; sharing is for admins), lists it beside the
//! shared ones and deletes it; a customer is told saved replies are for staff.

mod common;

use common::process::Dirs;
use common::{ADA, CARLA, DEMO_PASSWORD, SAM, demo_server};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_adds_lists_and_removes_saved_replies() {
    let ts = demo_server(10).await;
    let url = format!("http://{}", ts.server.addr);
    let ada = ts.demo_login(ADA).await;
    let shared = json!({"title": "Team greeting", "body": "Hello {first_name}", "shared": true});
    assert_eq!(ts.post("/saved-replies", &ada, shared).await.status, 201);

    let dirs = Dirs::new();
    dirs.login(&url, SAM, DEMO_PASSWORD).await;
    let (out, _) = dirs
        .ok(
            &[
                "replies",
                "add",
                "Refund",
                "Hi {first_name}, #{ticket_number} is refunded.",
            ],
            None,
        )
        .await;
    assert!(
        out.contains("Saved reply") && out.contains("(personal)"),
        "{out}"
    );
    let id: String = out
        .trim_start_matches("Saved reply ")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();

    let typo = dirs
        .run(&["replies", "add", "Typo", "Hi {frist_name}"], None)
        .await;
    assert_eq!(typo.status.code(), Some(1));
    let said = String::from_utf8_lossy(&typo.stderr).to_string();
    assert!(
        said.contains("{frist_name}") && said.contains("{agent_name}"),
        "{said}"
    );
    let by_stdin = dirs
        .run(
            &["replies", "add", "Shared by an agent", "-", "--shared"],
            Some("Hi"),
        )
        .await;
    assert_eq!(by_stdin.status.code(), Some(5), "agents may not share");

    let (listed, _) = dirs.ok(&["replies", "list"], None).await;
    assert!(listed.contains("personal  Refund"), "{listed}");
    assert!(listed.contains("shared    Team greeting"), "{listed}");
    assert!(listed.contains("2 saved replies"), "{listed}");

    let (gone, _) = dirs.ok(&["replies", "rm", &id], None).await;
    assert!(
        gone.contains(&format!("Deleted saved reply {id}")),
        "{gone}"
    );
    let (listed, _) = dirs.ok(&["replies", "list"], None).await;
    assert!(
        !listed.contains("Refund") && listed.contains("1 saved reply"),
        "{listed}"
    );

    let customer = Dirs::new();
    customer.login(&url, CARLA, DEMO_PASSWORD).await;
    let refused = customer.run(&["replies", "list"], None).await;
    assert_eq!(refused.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("for staff"));
}
