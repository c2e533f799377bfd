//! The portal speaks its domain's language, end to end: the real binary in a pseudo-terminal,
//! signed in as a customer, shows English while the portal is on the English domain; when an
//! admin moves the portal to the Italian domain the same running app turns Italian (tabs,
//! list, status and hint bars), and back to English when the admin moves it back — no
//! restart.

mod common;

use common::pty::{App, Dirs};
use common::{ADA, CARLA, DEMO_PASSWORD, demo_server};
use deskport::client::login;
use deskport::server::demo::PORTAL_DOMAIN;
use serde_json::json;

#[test]
fn a_signed_in_customer_turns_italian_when_the_admin_moves_the_portal_to_the_italian_domain() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let ts = rt.block_on(demo_server(50));
    let url = format!("http://{}", ts.server.addr);
    let dirs = Dirs::new();
    let session = rt.block_on(login(&url, CARLA, DEMO_PASSWORD)).unwrap();
    session.save(&dirs.config()).unwrap();
    // The environment names no shipped language, so only the portal can make it Italian.
    let env = [("LC_ALL", "C"), ("LC_MESSAGES", "C"), ("LANG", "C")];
    let mut app = App::start(&dirs, &["--server", &url], &env, (80, 24));
    let english = app.wait_for_running("Your tickets");
    assert!(
        english.contains("open ticket") && english.contains("Account"),
        "{english}"
    );

    let admin = rt.block_on(ts.demo_login(ADA));
    let italian_domain = json!({"domain": "assistenza.deskport.test"});
    rt.block_on(ts.set_portal(&admin, italian_domain));
    let italian = app.wait_for_running("I tuoi ticket");
    for word in [
        "apri il ticket",
        "Oggetto",
        "Modificato",
        "1 Ticket",
        "in linea",
    ] {
        assert!(italian.contains(word), "no {word:?} in:\n{italian}");
    }
    assert!(!italian.contains("Your tickets"), "{italian}");

    rt.block_on(ts.set_portal(&admin, json!({"domain": PORTAL_DOMAIN})));
    let again = app.wait_for_running("Your tickets");
    assert!(again.contains("open ticket"), "{again}");
    app.send("q");
    assert!(app.wait_exit().success());
}
