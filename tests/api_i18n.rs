//! The server's error messages in the caller's language: the one `Accept-Language` names,
//! else the portal's (its domain's primary language); the `code` never changes, and English
//! stays as it was.

mod common;

use common::*;
use serde_json::json;

/// The code and message of an error answer.
fn said(a: &Answer) -> (String, String) {
    let error = &a.body["error"];
    let text = |key: &str| error[key].as_str().unwrap_or_default().to_string();
    (text("code"), text("message"))
}

both_stores! {
    #[tokio::test]
    async fn error_messages_follow_accept_language_then_the_portal_and_codes_never_change() {
        let ts = demo_server(20).await;
        let wrong = json!({"email": CARLA, "password": "not-the-password"});
        let sign_in = |headers: &'static [(&'static str, &'static str)]| {
            let (ts, wrong) = (&ts, wrong.clone());
            async move { ts.call("POST", "/auth/login", None, Some(wrong), headers).await }
        };
        let english = ("unauthorized".to_string(), "wrong email or password".to_string());
        let italian = ("unauthorized".to_string(), "email o password errati".to_string());

        let a = sign_in(&[]).await;
        assert_eq!((a.status, said(&a)), (401, english.clone()));
        let a = sign_in(&[("accept-language", "it-IT,it;q=0.9,en;q=0.8")]).await;
        assert_eq!((a.status, said(&a)), (401, italian.clone()));
        let a = sign_in(&[("accept-language", "de-DE")]).await;
        assert_eq!(said(&a), english, "a language deskport lacks falls back to the portal's");

        let admin = ts.demo_login(ADA).await;
        ts.set_portal(&admin, json!({"domain": "assistenza.deskport.test"}))
            .await;
        let a = sign_in(&[]).await;
        assert_eq!(said(&a), italian, "the portal's language without Accept-Language");
        let a = sign_in(&[("accept-language", "en")]).await;
        assert_eq!(said(&a), english, "an English caller on an Italian portal");

        let carla = ts.demo_login(CARLA).await;
        let empty = json!({"subject": "Stampante spenta", "description": " "});
        let a = ts.call("POST", "/tickets", Some(&carla), Some(empty), &[]).await;
        let (code, message) = said(&a);
        assert_eq!((a.status, code.as_str()), (400, "invalid"), "{}", a.text);
        assert_eq!(a.body["error"]["field"], "description");
        assert!(message.contains("è un campo obbligatorio"), "{message}");

        let a = ts.call("GET", "/tickets/999999", Some(&carla), None, &[]).await;
        assert_eq!(
            (a.status, said(&a)),
            (404, ("not_found".to_string(), "risorsa inesistente".to_string()))
        );
        let a = ts
            .call("GET", "/tickets/999999", Some(&carla), None, &[("accept-language", "en")])
            .await;
        assert_eq!(said(&a).1, "no such resource");
    }

}

both_stores! {
    #[tokio::test]
    async fn an_error_a_replayed_idempotency_key_gets_reads_in_the_replaying_request_language() {
        let ts = demo_server(20).await;
        let admin = ts.demo_login(ADA).await;
        let carla = ts.demo_login(CARLA).await;
        let key = |k: &'static str, lang: &'static str| [("idempotency-key", k), ("accept-language", lang)];

        // A refusal is not kept: replayed, it is said again in the replaying request's language.
        let empty = json!({"subject": "Stampante spenta", "description": " "});
        let a = ts
            .call("POST", "/tickets", Some(&carla), Some(empty.clone()), &key("form-0001", "en"))
            .await;
        assert_eq!(a.status, 400, "{}", a.text);
        assert!(said(&a).1.contains("is required"), "{}", a.text);
        let a = ts
            .call("POST", "/tickets", Some(&carla), Some(empty), &key("form-0001", "it"))
            .await;
        assert_eq!((a.status, said(&a).0.as_str()), (400, "invalid"), "{}", a.text);
        assert!(said(&a).1.contains("è un campo obbligatorio"), "{}", a.text);

        // A kept success replayed with another request: the refusal follows each request.
        let ticket = ts.first_ticket_of(&admin, CARLA).await;
        let path = format!("/tickets/{}/messages", ticket["id"]);
        let first = ts
            .call("POST", &path, Some(&carla), Some(json!({"body": "Novità?"})), &key("reply-0001", "en"))
            .await;
        assert_eq!(first.status, 201, "{}", first.text);
        let other = json!({"body": "Altro"});
        let reused = |lang: &'static str| {
            let (ts, carla, path, other) = (&ts, &carla, &path, other.clone());
            async move {
                ts.call("POST", path, Some(carla), Some(other), &key("reply-0001", lang))
                    .await
            }
        };
        let a = reused("it").await;
        assert_eq!(
            (a.status, said(&a)),
            (
                422,
                (
                    "idempotency_key_reused".to_string(),
                    "questa Idempotency-Key è già stata usata per un'altra richiesta".to_string()
                )
            )
        );
        let a = reused("en").await;
        assert_eq!(
            said(&a).1,
            "this Idempotency-Key was used for another request"
        );

        let long = "k".repeat(201);
        let a = ts
            .call(
                "POST",
                &path,
                Some(&carla),
                Some(json!({"body": "Novità?"})),
                &[("idempotency-key", long.as_str()), ("accept-language", "it")],
            )
            .await;
        assert_eq!(a.status, 400, "{}", a.text);
        assert!(said(&a).1.contains("caratteri ASCII visibili"), "{}", a.text);
    }
}
