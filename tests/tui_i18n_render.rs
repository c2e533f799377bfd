//! The customer's path in Italian, drawn by the real app over a real customer client of an
//! in-process demo server whose portal an admin moved to the Italian domain
//! (`assistenza.deskport.test`): the list, a thread, the support form with its errors and the
//! consent notice, as insta snapshots at 80×24. Italian words are longer than English ones;
//! each snapshot was read to check that none is cut where the English fits.

mod common;
#[path = "client_support/mod.rs"]
mod support;

use common::render::{Drawn, app, app_in, ctrl, key, next, render, settle, signed_in};
use common::{ADA, CARLA, DEMO_PASSWORD, TestServer, demo_server};
use crossterm::event::KeyCode;
use deskport::client::ClientEvent;
use deskport::domain::i18n::Language;
use deskport::tui::{Msg, Server};
use serde_json::json;

/// The screen as [`render`] draws it at 80×24 (the last sync time masked as `HH:MM:SS`).
fn screen(app: &mut impl Drawn) -> String {
    render(app, 80, 24)
}

/// A demo server whose portal is served on the Italian domain.
async fn italian_portal() -> (TestServer, String) {
    let ts = demo_server(300).await;
    let admin = ts.demo_login(ADA).await;
    ts.set_portal(&admin, json!({"domain": "assistenza.deskport.test"}))
        .await;
    let url = format!("http://{}", ts.server.addr);
    (ts, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_customers_list_thread_and_support_form_speak_italian() {
    let (_ts, url) = italian_portal().await;
    let dir = tempfile::tempdir().unwrap();
    let mut app = signed_in(&url, CARLA, DEMO_PASSWORD, dir.path()).await;

    let list = settle(&mut app, 80, 24, "I tuoi ticket").await;
    for english in [
        "Your tickets",
        "Subject",
        "Updated",
        "open ticket",
        "online",
    ] {
        assert!(
            !list.contains(english),
            "{english:?} left in English:\n{list}"
        );
    }
    assert!(
        list.contains("Modificato") && list.contains("cliente"),
        "{list}"
    );
    insta::assert_snapshot!("customer_list_it_80x24", screen(&mut app));

    app.update(key(KeyCode::Enter));
    let thread = settle(&mut app, 80, 24, "── descrizione").await;
    let thread = if thread.contains("Caricamento della conversazione") {
        settle(&mut app, 80, 24, "── risposta").await
    } else {
        thread
    };
    assert!(
        thread.contains("Ticket n. ") && thread.contains("torna all'elenco"),
        "{thread}"
    );
    insta::assert_snapshot!("customer_thread_it_80x24", screen(&mut app));

    app.update(key(KeyCode::Esc));
    settle(&mut app, 80, 24, "I tuoi ticket").await;
    app.update(key('N'));
    for c in "Stampante spenta".chars() {
        app.update(key(c));
    }
    app.update(ctrl('s'));
    let form = screen(&mut app);
    assert!(
        form.contains("Nuovo ticket") && form.contains("✗ Descrizione è un campo obbligatorio"),
        "{form}"
    );
    insta::assert_snapshot!("support_form_errors_it_80x24", form);

    // The Account tab: every label fits its column, the consent notice's too.
    app.update(key(KeyCode::Esc));
    app.update(key('y'));
    app.update(key('2'));
    let account = settle(&mut app, 80, 24, "Nessuna per ora").await;
    let consent = account
        .lines()
        .find(|l| l.contains("Informativa"))
        .unwrap_or_else(|| panic!("no consent row in:\n{account}"));
    assert!(
        consent.starts_with("\"│  Informativa consenso   "),
        "the label overruns its column: {consent}"
    );
    insta::assert_snapshot!("customer_account_it_80x24", screen(&mut app));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_consent_notice_speaks_italian() {
    let (ts, url) = italian_portal().await;
    let admin = ts.demo_login(ADA).await;
    let text = "Conserviamo i tuoi ticket e i tuoi messaggi per rispondere.\n\n\
        Usando questo portale accetti che Acme Assistenza conservi i dati che ci invii \
        finché il tuo account resta aperto. Puoi chiederci di cancellarli in qualsiasi \
        momento.";
    ts.set_portal(
        &admin,
        json!({"consent": {"enabled": true, "required": true, "text": text}}),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let carla = support::start(dir.path(), support::session(&url, CARLA).await).await;
    let (mut app, mut rx) = app(&url, dir.path());
    assert!(app.update(Msg::SignedIn(Ok(carla.clone()))));
    support::until(&carla, "the refused sync", |v| {
        v.status.last_error.is_some()
    })
    .await;
    let status = carla.view().status.clone();
    app.update(Msg::Client(ClientEvent::Status(status)));
    let gate = next(&mut rx, |m| matches!(m, Msg::Consent(_))).await;
    assert!(app.update(gate));
    let notice = screen(&mut app);
    for italian in [
        "Informativa sul consenso",
        "accetta",
        "rifiuta (esci dall'account)",
    ] {
        assert!(notice.contains(italian), "no {italian:?} in:\n{notice}");
    }
    insta::assert_snapshot!("consent_notice_it_80x24", notice);
    carla.shutdown().await;
}

/// The sign-in form in Italian at 80×24 keeps Ctrl-E (an emailed code) in its hint bar: the
/// longer Italian words leave room for the code before Tab, which comes after it.
#[test]
fn the_italian_sign_in_form_keeps_the_emailed_code_in_its_hints() {
    let dir = tempfile::tempdir().unwrap();
    let remote = Server::Remote {
        url: "https://help.example.com".into(),
    };
    let (mut app, _rx) = app_in(remote, dir.path(), Language::Italian);
    let form = render(&mut app, 80, 24);
    let hints = form.lines().last().unwrap_or_default();
    assert!(hints.contains("Ctrl-E inviami un codice"), "{form}");
    assert!(hints.contains("Ctrl-C esci"), "{form}");
    insta::assert_snapshot!("signin_form_it_80x24", form);
}
