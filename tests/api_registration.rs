//! Registration and mail: invitations write an `.eml` with a code, the code completes
//! registration, a system domain sends nothing, password-less codes sign in, and
//! self-registration works only when the portal allows it.

mod common;

use common::*;
use serde_json::json;

const PASSWORD: &str = "a-long-enough-password";

async fn registration_of(ts: &TestServer, admin: &str, email: &str) -> String {
    ts.contact(admin, email).await["registration"]
        .as_str()
        .expect("registration")
        .to_string()
}

both_stores! {
    #[tokio::test]
    async fn an_invited_contact_registers_with_the_emailed_code_and_signs_in() {
        let ts = demo_server(20).await;
        let admin = ts.demo_login(ADA).await;
        let yuki = "yuki@acme.test";
        assert_eq!(registration_of(&ts, &admin, yuki).await, "none");
        let id = ts.contact(&admin, yuki).await["id"].clone();
        let a = ts
            .call(
                "POST",
                &format!("/contacts/{id}/invite"),
                Some(&admin),
                None,
                &[],
            )
            .await;
        assert_eq!(
            (a.status, &a.body["email_sent"]),
            (200, &json!(true)),
            "{}",
            a.text
        );
        let mail = mails(&ts.data_dir()).await;
        assert_eq!(mail.len(), 1);
        assert!(mail[0].contains("To: yuki@acme.test"), "{}", mail[0]);
        let code = code_in(&mail[0]);
        assert_eq!(registration_of(&ts, &admin, yuki).await, "invited");

        let login = json!({"email": yuki, "password": PASSWORD});
        assert_error(
            &ts.call("POST", "/auth/login", None, Some(login.clone()), &[])
                .await,
            401,
        );
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let register =
            |code: &str, password: &str| json!({"email": yuki, "code": code, "password": password});
        assert_error(
            &ts.call(
                "POST",
                "/auth/register",
                None,
                Some(register(wrong, PASSWORD)),
                &[],
            )
            .await,
            401,
        );
        let short = ts
            .call(
                "POST",
                "/auth/register",
                None,
                Some(register(&code, "short")),
                &[],
            )
            .await;
        assert_eq!(assert_error(&short, 400), "invalid");
        let done = ts
            .call(
                "POST",
                "/auth/register",
                None,
                Some(register(&code, PASSWORD)),
                &[],
            )
            .await;
        assert_eq!(done.status, 200, "{}", done.text);
        let token = done.body["token"].as_str().expect("token");
        let me = ts.get("/me", token).await;
        assert_eq!(
            (&me.body["user"]["email"], &me.body["consent_required"]),
            (&json!(yuki), &json!(true))
        );
        assert_eq!(registration_of(&ts, &admin, yuki).await, "registered");
        ts.login(yuki, PASSWORD).await;
        assert_error(
            &ts.call(
                "POST",
                "/auth/register",
                None,
                Some(register(&code, "another-password")),
                &[],
            )
            .await,
            401,
        );
        assert_error(
            &ts.call(
                "POST",
                &format!("/contacts/{id}/invite"),
                Some(&admin),
                None,
                &[],
            )
            .await,
            409,
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn a_system_domain_sends_no_registration_mail() {
        let ts = demo_server(20).await;
        let admin = ts.demo_login(ADA).await;
        ts.set_portal(&admin, json!({"domain": "acme-help.deskport-sites.test"}))
            .await;
        let portal = ts.get("/portal", &admin).await.body;
        assert_eq!(
            (&portal["system_domain"], &portal["portal_url"]),
            (
                &json!(true),
                &json!("https://acme-help.deskport-sites.test/help")
            )
        );
        let olga = "olga@globex.test";
        let id = ts.contact(&admin, olga).await["id"].clone();
        let a = ts
            .call(
                "POST",
                &format!("/contacts/{id}/invite"),
                Some(&admin),
                None,
                &[],
            )
            .await;
        assert_eq!(
            (a.status, &a.body["email_sent"]),
            (200, &json!(false)),
            "{}",
            a.text
        );
        assert!(
            a.body["reason"]
                .as_str()
                .expect("reason")
                .contains("system domain")
        );
        assert!(mails(&ts.data_dir()).await.is_empty(), "no .eml written");
        assert_eq!(
            registration_of(&ts, &admin, olga).await,
            "none",
            "nobody was invited"
        );

        // Self-registration answers every address alike there.
        let access =
            json!({"mode": "self_registration", "passwordless": true, "idle_timeout_minutes": 60});
        ts.set_portal(&admin, json!({"access": access})).await;
        let answers: Vec<_> = register_answers(&ts, &[olga, "stranger@nowhere.test", CARLA]).await;
        assert!(answers.iter().all(|a| a == &answers[0]), "{answers:?}");
        assert_eq!(answers[0]["email_sent"], false);
        assert!(mails(&ts.data_dir()).await.is_empty());
    }
}

async fn register_answers(ts: &TestServer, emails: &[&str]) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for email in emails {
        let a = ts
            .call(
                "POST",
                "/auth/register",
                None,
                Some(json!({"email": email})),
                &[],
            )
            .await;
        assert_eq!(a.status, 202, "{}", a.text);
        out.push(a.body);
    }
    out
}

both_stores! {
    #[tokio::test]
    async fn a_passwordless_code_signs_a_customer_in() {
        let ts = demo_server(20).await;
        let admin = ts.demo_login(ADA).await;
        assert_eq!(
            ts.get("/portal", &admin).await.body["access"]["passwordless"],
            true
        );
        let ask = |email: &str| {
            ts.call(
                "POST",
                "/auth/code",
                None,
                Some(json!({"email": email})),
                &[],
            )
        };
        let a = ask(CARLA).await;
        assert_eq!((a.status, &a.body["email_sent"]), (202, &json!(true)));
        let mail = mails(&ts.data_dir()).await;
        assert_eq!(mail.len(), 1);
        assert!(mail[0].contains("To: carla@acme.test"));
        let code = code_in(&mail[0]);
        let verify = |code: &str| {
            ts.call(
                "POST",
                "/auth/verify",
                None,
                Some(json!({"email": CARLA, "code": code})),
                &[],
            )
        };
        let wrong = if code == "000000" { "111111" } else { "000000" };
        assert_error(&verify(wrong).await, 401);
        let ok = verify(&code).await;
        assert_eq!(ok.status, 200, "{}", ok.text);
        let token = ok.body["token"].as_str().expect("token");
        assert_eq!(ts.get("/me", token).await.body["user"]["email"], CARLA);
        assert_error(&verify(&code).await, 401);

        // Unknown, staff and unregistered addresses get the same answer and no mail.
        for email in ["stranger@nowhere.test", ADA, "yuki@acme.test"] {
            assert_eq!(ask(email).await.body, a.body);
        }
        assert_eq!(mails(&ts.data_dir()).await.len(), 1);

        // Turned off, neither asking nor a code issued before works.
        assert_eq!(ask(CARLA).await.status, 202);
        let code = code_in(&mails(&ts.data_dir()).await[1]);
        let access = json!({"mode": "invite_only", "passwordless": false, "idle_timeout_minutes": 60});
        ts.set_portal(&admin, json!({"access": access})).await;
        assert_eq!(
            assert_error(&ask(CARLA).await, 403),
            "passwordless_disabled"
        );
        assert_eq!(
            assert_error(&verify(&code).await, 403),
            "passwordless_disabled"
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn self_registration_only_when_the_portal_allows_it() {
        let ts = demo_server(20).await;
        let admin = ts.demo_login(ADA).await;
        let noah = "noah@example.test";
        let ask = || {
            ts.call(
                "POST",
                "/auth/register",
                None,
                Some(json!({"email": noah})),
                &[],
            )
        };
        assert_eq!(assert_error(&ask().await, 403), "invite_only");
        assert!(mails(&ts.data_dir()).await.is_empty());

        let access =
            json!({"mode": "self_registration", "passwordless": false, "idle_timeout_minutes": 60});
        ts.set_portal(&admin, json!({"access": access})).await;
        let a = ask().await;
        assert_eq!(
            (a.status, &a.body["email_sent"]),
            (202, &json!(true)),
            "{}",
            a.text
        );
        let mail = mails(&ts.data_dir()).await;
        assert_eq!(mail.len(), 1);
        assert!(mail[0].contains("To: noah@example.test"));
        let code = code_in(&mail[0]);
        let done = ts
            .call(
                "POST",
                "/auth/register",
                None,
                Some(json!({"email": noah, "code": code, "password": PASSWORD})),
                &[],
            )
            .await;
        assert_eq!(done.status, 200, "{}", done.text);
        ts.login(noah, PASSWORD).await;

        // Registered, unknown and staff addresses: the same answer, and no mail.
        for email in [CARLA, "stranger@nowhere.test", ADA] {
            let b = ts
                .call(
                    "POST",
                    "/auth/register",
                    None,
                    Some(json!({"email": email})),
                    &[],
                )
                .await;
            assert_eq!((b.status, &b.body), (202, &a.body));
        }
        assert_eq!(mails(&ts.data_dir()).await.len(), 1);
        let half = ts
            .call(
                "POST",
                "/auth/register",
                None,
                Some(json!({"email": noah, "code": "123456"})),
                &[],
            )
            .await;
        assert_error(&half, 400);
    }
}
