//! The mail template editor end to end: the real `deskport` binary in a pseudo-terminal,
//! signed in as an admin to a demo server running in the test, edits the "ticket created"
//! subject in the Portal tab's Mail section, sees the preview change as it types, saves,
//! and the server has the new wording.

mod common;

use common::pty::{App, Dirs, eventually};
use common::render::serve;
use deskport::client::{ApiClient, login};
use deskport::domain::mail::MailEvent;
use deskport::domain::wire::PortalFor;
use deskport::server::demo::DEMO_PASSWORD;

const ADA: &str = "ada@deskport.test";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_admin_edits_a_template_sees_the_preview_change_and_saves() {
    let server_dir = tempfile::tempdir().unwrap();
    let (_server, url) = serve(server_dir.path(), true).await;
    let dirs = Dirs::new();
    let mut app = App::start(&dirs, &["--server", &url], &[], (100, 30));
    app.wait_for("Password");
    app.send(ADA);
    app.send("\t");
    app.send(DEMO_PASSWORD);
    app.send("\r");
    app.wait_for("● online");
    app.send("3");
    app.wait_for("[General]");
    app.send(&"\x1b[6~".repeat(6));
    app.wait_for("[Mail]");
    app.wait_for("The mail queue is empty.");
    app.send("]]");
    app.wait_for("Subject: [#1042] We received your request");
    // The subject row: Enter edits it, Ctrl-U empties it, and the preview follows each key.
    app.send("jj\r\x15Got it");
    app.wait_for("Subject: [#1042] Got it");
    app.send(": {subject}\r");
    app.wait_for("[#1042] Got it: Invoice shows");
    app.wait_for("* modified, not saved");
    app.send("\x13");
    app.wait_for("Saved the mail templates.");
    eventually("the template to reach the server", || async {
        let session = login(&url, ADA, DEMO_PASSWORD).await.unwrap();
        let api = ApiClient::new(&url).unwrap().with_token(session.token);
        match api.portal().await.unwrap().body {
            PortalFor::Staff(p) => p
                .settings
                .email
                .templates
                .get(&MailEvent::TicketCreated)
                .is_some_and(|t| t.subject == "Got it: {subject}"),
            PortalFor::Public(_) => false,
        }
    })
    .await;
    app.send("q");
    app.wait_exit();
}
