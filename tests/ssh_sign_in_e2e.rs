//! Signing in to `deskport serve --ssh` with the real OpenSSH client: a refusal says why and
//! asks again, and a customer of a portal with password-less sign-in gets a code by email
//! (caught by a real SMTP server, aiosmtpd) and signs in with it; a customer who has not
//! accepted a changed consent notice is held at it, as in the local app.

mod common;
mod mail_support;

use common::process::free_port;
use common::pty::App;
use common::ssh::{SshPortal, sign_in, ssh_client};
use common::{ADA, CARLA, DEMO_PASSWORD};
use deskport::client::{ApiClient, login};
use deskport::domain::portal::{Consent, PortalPatch};
use mail_support::{Sink, mails_to};

const SIZE: (u16, u16) = (100, 30);

/// `ssh` shows the prompts' instructions (the reasons, the word on codes) only at its
/// default log level, above the harness's `ERROR`.
const SHOW_INSTRUCTIONS: &[&str] = &["-o", "LogLevel=INFO"];

#[test]
fn a_wrong_password_is_refused_with_the_reason_and_asked_again() {
    let Some(()) = ssh_client() else { return };
    let dir = tempfile::tempdir().unwrap();
    let portal = SshPortal::start(dir.path(), "one", 0);
    let mut app = App::spawn(
        portal.ssh_with(dir.path(), SHOW_INSTRUCTIONS, &[]),
        SIZE,
        (),
    );
    sign_in(&mut app, CARLA, "not-the-password");
    app.wait_until("the reason and the prompts again", |screen| {
        screen.contains("wrong email or password") && screen.matches("Email:").count() == 2
    });
    assert!(!app.contents().contains("Your tickets"));
    app.send(&format!("{CARLA}\r"));
    app.wait_until("the password prompt again", |screen| {
        screen.matches("Password:").count() == 2
    });
    app.send(&format!("{DEMO_PASSWORD}\r"));
    app.wait_for_running("Your tickets · ");
}

#[test]
fn an_empty_password_mails_a_code_that_signs_in() {
    let Some(()) = ssh_client() else { return };
    if !mail_support::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("maildir");
    let sink = Sink::start(free_port(), &maildir);
    let portal = SshPortal::start_with(dir.path(), "one", 0, &["--smtp", &sink.url()]);
    let mut app = App::spawn(
        portal.ssh_with(dir.path(), SHOW_INSTRUCTIONS, &[]),
        SIZE,
        (),
    );
    let offer = app.wait_for("Email:");
    assert!(
        offer.contains("Leave the password empty to get a sign-in code by email."),
        "{offer}"
    );
    sign_in(&mut app, CARLA, "");
    app.wait_for("a sign-in code is on its way");
    app.wait_for("Code:");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let code = code_in(&rt.block_on(mails_to(&maildir, CARLA, 1))[0]);

    // A wrong code is refused with the API's reason, and the sign-in starts over.
    app.send(if code == "000000" {
        "111111\r"
    } else {
        "000000\r"
    });
    app.wait_for("wrong or expired code");
    app.wait_until("the prompts again", |s| s.matches("Email:").count() == 2);
    app.send(&format!("{CARLA}\r"));
    app.wait_until("the password prompt again", |s| {
        s.matches("Password:").count() == 2
    });
    app.send("\r");
    app.wait_until("the code prompt again", |s| s.matches("Code:").count() == 2);
    let code = code_in(&rt.block_on(mails_to(&maildir, CARLA, 2))[1]);
    app.send(&format!("{code}\r"));
    let screen = app.wait_for_running("Your tickets · ");
    assert!(screen.contains("carla@acme.test · customer"), "{screen}");
}

/// The six digits of a sign-in code mail.
fn code_in(mail: &str) -> String {
    let code: String = mail
        .split("sign-in code for ")
        .nth(1)
        .and_then(|rest| rest.split(" is ").nth(1))
        .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect())
        .unwrap_or_default();
    assert_eq!(code.len(), 6, "no code in {mail}");
    code
}

#[test]
fn a_changed_consent_notice_holds_an_ssh_customer_until_accepted() {
    let Some(()) = ssh_client() else { return };
    let dir = tempfile::tempdir().unwrap();
    let portal = SshPortal::start(dir.path(), "one", 0);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let admin = login(&portal.api, ADA, DEMO_PASSWORD).await.unwrap();
        let api = ApiClient::new(&portal.api).unwrap().with_token(admin.token);
        let version = api.portal().await.unwrap().version.unwrap();
        let consent = Consent {
            enabled: true,
            required: true,
            text: "New terms, read over SSH.".to_string(),
            version: 0,
        };
        let patch = PortalPatch {
            consent: Some(consent),
            ..PortalPatch::default()
        };
        api.patch_portal(version, &patch, None).await.unwrap();
    });
    let mut app = App::spawn(
        portal.ssh_with(dir.path(), SHOW_INSTRUCTIONS, &[]),
        SIZE,
        (),
    );
    sign_in(&mut app, CARLA, DEMO_PASSWORD);
    let screen = app.wait_for_running("Please read this notice.");
    assert!(screen.contains("New terms, read over SSH."), "{screen}");
    assert!(!screen.contains("Your tickets"), "{screen}");
    app.send("a");
    app.wait_for("Your tickets · ");
}
