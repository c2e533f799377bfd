//! The Account tab for staff and the account's own settings, through the real app on a demo
//! server of its own: staff get the tab (fourth, key `4`), choose the app's language there
//! (kept on the server, so a later sign-in draws in it whatever `LANG` says), and anyone adds
//! and deletes SSH keys in it.

mod common;

use common::render::{key, lines, render, send, serve, settle, signed_in};
use crossterm::event::{Event, KeyCode};
use deskport::server::demo::DEMO_PASSWORD;
use deskport::tui::Msg;
use russh::keys::PrivateKey;
use russh::keys::ssh_key::private::Ed25519Keypair;

const SAM: &str = "sam@deskport.test";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_get_the_account_tab_with_their_actions() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(dir.path(), true).await;
    let mut app = signed_in(&url, "ada@deskport.test", DEMO_PASSWORD, dir.path()).await;
    send(&mut app, [key('4')]);
    settle(&mut app, 80, 24, "Automatic (English)").await;
    let screen = settle(&mut app, 80, 24, "None yet").await;
    insta::assert_snapshot!("staff_account_80x24", screen);
    insta::assert_snapshot!("staff_account_120x40", render(&mut app, 120, 40));
    send(&mut app, [key('?')]);
    let help = render(&mut app, 120, 40);
    for action in [
        "new password",
        "sign out everywhere",
        "language",
        "add SSH key",
    ] {
        assert!(help.contains(action), "{action} in:\n{help}");
    }
    let agent_dir = tempfile::tempdir().unwrap();
    let mut agent = signed_in(&url, SAM, DEMO_PASSWORD, agent_dir.path()).await;
    send(&mut agent, [key('4')]);
    insta::assert_snapshot!(
        "agent_account_80x24",
        settle(&mut agent, 80, 24, "None yet").await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_members_choice_of_italian_draws_the_app_in_italian() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(dir.path(), true).await;
    let mut app = signed_in(&url, SAM, DEMO_PASSWORD, dir.path()).await;
    send(&mut app, [key('4')]);
    settle(&mut app, 80, 24, "Automatic (English)").await;
    // Automatic, then English, then Italian.
    send(&mut app, [key('l')]);
    settle(&mut app, 80, 24, "App language           English ").await;
    send(&mut app, [key('l')]);
    let italian = settle(&mut app, 80, 24, "Lingua dell'app").await;
    assert!(
        italian.contains("Smistamento"),
        "the tabs turned Italian:\n{italian}"
    );
    insta::assert_snapshot!("staff_account_italian_80x24", italian);

    // Signing in again elsewhere: the stored choice wins over the process's English.
    let other = tempfile::tempdir().unwrap();
    let mut again = signed_in(&url, SAM, DEMO_PASSWORD, other.path()).await;
    let screen = settle(&mut again, 80, 24, "Smistamento").await;
    assert!(!screen.contains("Routing"), "{screen}");

    send(&mut app, [key('l')]);
    settle(&mut app, 80, 24, "Automatic (English)").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ssh_key_is_added_and_deleted_in_the_account_tab() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(dir.path(), true).await;
    let mut app = signed_in(&url, "carla@acme.test", DEMO_PASSWORD, dir.path()).await;
    send(&mut app, [key('2')]);
    settle(&mut app, 80, 24, "None yet").await;
    send(&mut app, [key('a')]);
    send(
        &mut app,
        [Msg::Terminal(Event::Paste("not a key\n".into()))],
    );
    send(&mut app, [key(KeyCode::Enter)]);
    let refused = settle(&mut app, 80, 24, "not an OpenSSH public key").await;
    insta::assert_snapshot!("account_key_refused_80x24", refused);

    let mut private = PrivateKey::from(Ed25519Keypair::from_seed(&[7; 32]));
    private.set_comment("carla@laptop");
    let public = private.public_key();
    let line = public.to_openssh().unwrap();
    let fingerprint = public.fingerprint(russh::keys::HashAlg::Sha256).to_string();
    send(&mut app, [key(KeyCode::Esc), key('a')]);
    send(&mut app, [Msg::Terminal(Event::Paste(format!("{line}\n")))]);
    send(&mut app, [key(KeyCode::Enter)]);
    let added = settle(&mut app, 80, 24, &fingerprint).await;
    assert!(added.contains("carla@laptop"), "{added}");
    insta::assert_snapshot!("account_key_added_80x24", added);

    // The key's row is the eighth: the title and four rows of the account, a blank line and
    // the keys' title come first.
    send(&mut app, (0..7).map(|_| key('j')));
    send(&mut app, [key('d')]);
    let asked = settle(&mut app, 80, 24, "Delete the key").await;
    assert!(asked.contains("no longer sign you in"), "{asked}");
    send(&mut app, [key('y')]);
    settle(&mut app, 80, 24, "None yet").await;
    let screen = lines(&mut app, 80, 24).join("\n");
    assert!(!screen.contains("carla@laptop"), "{screen}");
}
