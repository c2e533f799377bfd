//! End-to-end tests, in a pseudo-terminal, of what stands between a user and the panes and of
//! leaving the app for a moment: a customer who must accept a changed consent notice sees it
//! before anything else, declining signs out, accepting shows their tickets (and a newer text
//! asks again); a change that ran into another agent's opens the conflict dialog and "apply
//! mine" lands on the server; `Ctrl-E` continues a reply in `$EDITOR`.

mod common;
#[path = "client_support/mod.rs"]
mod support;

use common::pty::{self, App, Dirs, api, number_after, server_url};
use deskport::client::ApiClient;
use deskport::domain::Consent;
use deskport::domain::portal::PortalPatch;
use deskport::domain::wire::{PortalFor, StaffTicketPatch, TicketOut, TicketPatch};
use deskport::domain::{Priority, Stage};
use std::time::Duration;

const CARLA: &str = "carla@acme.test";

/// Changes the consent notice's text (so every customer must accept it again).
async fn change_consent(admin: &ApiClient, text: &str) {
    let portal = admin.portal().await.unwrap();
    let PortalFor::Staff(settings) = portal.body else {
        panic!("the admin gets every setting");
    };
    let patch = PortalPatch {
        consent: Some(Consent {
            text: text.to_string(),
            ..settings.settings.consent.clone()
        }),
        ..Default::default()
    };
    admin
        .patch_portal(settings.settings.version, &patch, None)
        .await
        .unwrap();
}

#[test]
fn a_customer_answers_the_consent_notice_before_anything_else() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dirs = Dirs::new();
    let first = App::start(&dirs, &["--user", "ada@deskport.test"], &[], (100, 30));
    first.wait_for("Tickets ·");
    let url = server_url(&dirs);
    let admin = rt.block_on(api(&url, "ada@deskport.test"));
    rt.block_on(change_consent(
        &admin,
        "Version two: we keep what you send us to answer it.",
    ));

    // A second instance joins the same server as Carla: the notice comes first.
    let mut app = App::start(&dirs, &["--user", CARLA], &[], (100, 30));
    let screen = app.wait_for("Consent notice");
    assert!(screen.contains("Version two"), "{screen}");
    assert!(!screen.contains("Tickets ·"), "{screen}");

    // Declining signs out, back to the sign-in screen, saying why.
    app.send("d");
    let screen = app.wait_for("You declined the consent notice");
    assert!(screen.contains("Sign in to deskport"), "{screen}");
    let carla = rt.block_on(api(&url, CARLA));
    let me = rt.block_on(carla.me()).unwrap();
    assert!(me.consent_required, "declining records nothing");

    // Signing in again shows the notice again; accepting shows Carla's tickets.
    let rows: Vec<&str> = screen.lines().collect();
    let at = |email: &str| rows.iter().position(|l| l.contains(email)).unwrap();
    for _ in 0..at(CARLA) - at("ada@deskport.test") {
        app.send("j");
    }
    app.send("\r");
    app.wait_for("Consent notice");
    app.send("a");
    let screen = app.wait_until("Carla's tickets", |s| {
        s.contains("Your tickets ·") && s.contains("▶  #") && !s.contains("Consent notice")
    });
    assert!(screen.contains("carla@acme.test · customer"), "{screen}");
    assert!(!rt.block_on(carla.me()).unwrap().consent_required);

    // A newer text asks again, without restarting; accepting it goes back to the tickets.
    rt.block_on(change_consent(&admin, "Version three: now with backups."));
    let screen = app.wait_for("Version three");
    assert!(screen.contains("Consent notice"), "{screen}");
    app.send("a");
    app.wait_until("the tickets again", |s| {
        s.contains("Your tickets ·") && !s.contains("Consent notice")
    });
    assert!(!rt.block_on(carla.me()).unwrap().consent_required);
}

#[test]
fn a_conflicting_change_opens_the_dialog_and_apply_mine_lands() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (ts, proxy) = rt.block_on(async {
        let ts = common::demo_server(300).await;
        let proxy = support::Proxy::start(ts.server.addr).await;
        (ts, proxy)
    });
    let url = format!("http://{}", ts.server.addr);
    let dirs = Dirs::new();
    let mut app = App::start(
        &dirs,
        &["--server", &proxy.url(), "--user", "sam@deskport.test"],
        &[],
        (120, 40),
    );
    app.wait_for("Password");
    app.send(pty::PASSWORD);
    app.send("\r");
    let screen = app.wait_until("the list, online", |s| {
        s.contains("● online") && s.contains("Preview")
    });
    let id: i64 = number_after(&screen, "▶  #");
    let lin = rt.block_on(api(&url, "lin@deskport.test"));
    let detail = rt.block_on(lin.ticket(id)).unwrap();
    let TicketOut::Staff(row) = &detail.body.ticket else {
        panic!("staff see every field");
    };
    let (base, before) = (row.ticket.version, row.ticket.priority);
    let (mine, theirs) = if before == Priority::Low {
        (Priority::High, Priority::Urgent)
    } else {
        (Priority::Low, Priority::Urgent)
    };

    // Sam changes the priority while the server cannot be reached: the write waits.
    proxy.down();
    app.wait_for("○ offline");
    app.send("p");
    app.wait_for(&format!("of #{id}"));
    let at = |p: Priority| Priority::ALL.iter().position(|q| *q == p).unwrap();
    let (from, to) = (at(before), at(mine));
    let key = if to > from { "j" } else { "k" };
    for _ in 0..from.abs_diff(to) {
        app.send(key);
    }
    app.send("\r");
    app.wait_for("1 pending");

    // Meanwhile Lin changes the same field, from the version Sam saw.
    let patch = TicketPatch::Staff(StaffTicketPatch {
        priority: Some(theirs),
        ..Default::default()
    });
    rt.block_on(lin.patch_ticket(id, base, &patch, None))
        .unwrap();

    // Back online, Sam's write runs into Lin's: the dialog shows both.
    rt.block_on(proxy.up());
    let screen = app.wait_for("Conflict 1 of 1");
    let dialog: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains("Priority ") && l.contains(theirs.as_str()))
        .collect();
    assert!(
        dialog.iter().any(|l| l.contains(mine.as_str())),
        "theirs beside mine: {screen}"
    );
    app.send("m");
    app.wait_until("the dialog to close", |s| !s.contains("Conflict 1 of 1"));
    let deadline = std::time::Instant::now() + pty::TIMEOUT;
    loop {
        let detail = rt.block_on(lin.ticket(id)).unwrap();
        let TicketOut::Staff(row) = &detail.body.ticket else {
            panic!("staff see every field");
        };
        if row.ticket.priority == mine {
            assert_ne!(row.ticket.stage, Stage::Closed);
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "Sam's priority never reached the server: {:?}",
            row.ticket.priority
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(app);
    drop((proxy, ts));
}

#[test]
fn ctrl_e_continues_a_reply_in_the_editor() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dirs = Dirs::new();
    let editor = dirs.root.path().join("editor.sh");
    let mode = dirs.root.path().join("mode");
    let fail = dirs.root.path().join("fail");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\n[ -e '{}' ] && exit 3\nstat -c %a \"$1\" > '{}'\necho 'EDITOR READY'\nread line\necho \"$line\" >> \"$1\"\n",
            fail.display(),
            mode.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    std::fs::write(&fail, "").unwrap();
    let editor_path = editor.to_string_lossy().to_string();
    let mut app = App::start(
        &dirs,
        &["--user", "sam@deskport.test"],
        &[("EDITOR", &editor_path)],
        (120, 40),
    );
    let screen = app.wait_for("Preview");
    let id: i64 = number_after(&screen, "▶  #");
    app.send("r");
    app.wait_for(&format!("Reply to #{id}"));
    app.send("Typed in the composer.");

    // The editor fails: the text stays and the composer says why.
    app.send("\x05");
    let screen = app.wait_for("your text is kept");
    assert!(screen.contains("Typed in the composer."), "{screen}");

    // The editor works, with the keyboard to itself (the app neither reads keys nor keeps
    // the terminal raw meanwhile): what it saved comes back into the composer.
    std::fs::remove_file(&fail).unwrap();
    app.send("\x05");
    app.wait_for("EDITOR READY");
    app.send("Added in the editor.\r");
    app.wait_until("the composer again", |s| {
        s.contains(&format!("Reply to #{id}")) && s.contains("Added in the editor.")
    });
    assert_eq!(std::fs::read_to_string(&mode).unwrap().trim(), "600");
    app.send("\x13");
    let url = server_url(&dirs);
    let sam = rt.block_on(api(&url, "sam@deskport.test"));
    let deadline = std::time::Instant::now() + pty::TIMEOUT;
    loop {
        let detail = rt.block_on(sam.ticket(id)).unwrap();
        if detail
            .body
            .messages
            .iter()
            .any(|m| m.body == "Typed in the composer.\nAdded in the editor.")
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the reply never reached the server"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
