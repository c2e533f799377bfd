//! The Account tab's own actions, through the real app on a demo server of its own (the
//! password changes): change the password in a small form (what the server refuses is said
//! there), sign out everywhere; all of them bound keys in the hint bar and `?` help.

mod common;

use common::render::{
    ctrl, key, lines, render, send, serve, settle, signed_in, signed_in_demo, typed,
};
use crossterm::event::KeyCode;
use deskport::client::login;
use deskport::server::demo::DEMO_PASSWORD;
use std::time::{Duration, Instant};

const NEW: &str = "a-new-long-password";

/// The status of `GET /me` with `token`.
async fn me(url: &str, token: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{url}/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_changes_the_password_in_the_account_tab() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(dir.path(), true).await;
    let dan = "dan@acme.test";
    let mut app = signed_in(&url, dan, DEMO_PASSWORD, dir.path()).await;
    let laptop = login(&url, dan, DEMO_PASSWORD).await.unwrap();
    send(&mut app, [key('2')]);
    // The SSH keys section behind the form is read in the background: wait for it.
    settle(&mut app, 80, 24, "None yet").await;
    send(&mut app, [key('c')]);
    insta::assert_snapshot!("account_password_form_80x24", render(&mut app, 80, 24));

    typed(&mut app, "not-my-password");
    send(&mut app, [key(KeyCode::Tab)]);
    typed(&mut app, NEW);
    send(&mut app, [key(KeyCode::Enter)]);
    typed(&mut app, NEW);
    send(&mut app, [key(KeyCode::Enter)]);
    let refused = settle(&mut app, 80, 24, "current password is wrong").await;
    insta::assert_snapshot!("account_password_refused_80x24", refused);

    // The refusal put the focus back on the current password.
    send(&mut app, [ctrl('u')]);
    typed(&mut app, DEMO_PASSWORD);
    send(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab), ctrl('u')]);
    typed(&mut app, "something-else-entirely");
    send(&mut app, [key(KeyCode::Enter)]);
    assert!(render(&mut app, 80, 24).contains("The two new passwords differ."));
    send(&mut app, [ctrl('u')]);
    typed(&mut app, NEW);
    send(&mut app, [key(KeyCode::Enter)]);
    let changed = settle(&mut app, 80, 24, "Password changed").await;
    insta::assert_snapshot!("account_password_changed_80x24", changed);

    assert_eq!(me(&url, &app.client().unwrap().session().token).await, 200);
    assert_eq!(
        me(&url, &laptop.token).await,
        401,
        "the other session ended"
    );
    assert!(login(&url, dan, DEMO_PASSWORD).await.is_err());
    assert!(login(&url, dan, NEW).await.is_ok());
    if let Some(client) = app.client() {
        client.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_everywhere_ends_the_sessions_on_other_devices() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(dir.path(), true).await;
    let carla = "carla@acme.test";
    let mut app = signed_in(&url, carla, DEMO_PASSWORD, dir.path()).await;
    let laptop = login(&url, carla, DEMO_PASSWORD).await.unwrap();
    send(&mut app, [key('2'), key('?')]);
    let help = render(&mut app, 80, 24);
    for action in ["new password", "sign out everywhere", "sign out"] {
        assert!(help.contains(action), "{action} in:\n{help}");
    }
    send(&mut app, [key(KeyCode::Esc), key('O')]);
    settle(&mut app, 80, 24, "signed out carla@acme.test everywhere").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while me(&url, &laptop.token).await != 401 {
        assert!(Instant::now() < deadline, "the laptop's session lives on");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_wider_than_the_account_tab_ends_in_an_ellipsis() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = signed_in_demo("gina@globex.test", dir.path()).await;
    send(&mut app, [key('2')]);
    let screen = lines(&mut app, 60, 24);
    let address = screen
        .iter()
        .find(|l| l.contains("Address"))
        .unwrap_or_else(|| panic!("no address in:\n{}", screen.join("\n")));
    let shown = address.trim_end_matches('│').trim_end();
    assert!(
        shown.ends_with('…') && shown.contains("https://support.deskport"),
        "the cut address does not say so: {address}"
    );
    let wide = lines(&mut app, 80, 24);
    assert!(
        wide.iter()
            .any(|l| l.contains("https://support.deskport.test/help ")),
        "at 80 columns the whole address shows:\n{}",
        wide.join("\n")
    );
}
