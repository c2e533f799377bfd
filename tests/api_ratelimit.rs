//! Rate limits on sign-in and on requests that send email: 429 with `Retry-After`, counted
//! per account and per client address, and never confused with the account lockout. Behind
//! the reverse proxy named by `--trust-proxy` the client address is the last one in its
//! `X-Forwarded-For`; from anyone else that header is ignored.

mod common;

use common::{TestServer, assert_error, assert_error_shape, demo_server, server_behind_proxy};
use serde_json::json;

both_stores! {
    #[tokio::test]
    async fn sign_in_attempts_for_one_account_are_capped_per_minute() {
        let s = demo_server(20).await;
        let body = json!({"email": "nobody@nowhere.test", "password": "wrong-password"});
        // Ten failures lock the address (an account or not), then the per-account cap of 20 a
        // minute answers with its own code.
        for i in 0..20 {
            let a = s
                .call("POST", "/auth/login", None, Some(body.clone()), &[])
                .await;
            let want = if i < 10 {
                "unauthorized"
            } else {
                "account_locked"
            };
            assert_eq!(assert_error_shape(&a), want, "attempt {i}: {:?}", a.body);
        }
        let a = s.call("POST", "/auth/login", None, Some(body), &[]).await;
        assert_eq!(assert_error(&a, 429), "rate_limited");
        let wait: u64 = a
            .header("retry-after")
            .parse()
            .expect("Retry-After is a number of seconds");
        assert!((1..=60).contains(&wait), "Retry-After {wait}");
        let other = s
            .call(
                "POST",
                "/auth/login",
                None,
                Some(json!({"email": "ada@deskport.test", "password": "deskport-demo"})),
                &[],
            )
            .await;
        assert_eq!(
            other.status, 200,
            "another account is not limited: {:?}",
            other.body
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn code_emails_are_capped_per_account_and_per_address() {
        let s = demo_server(20).await;
        let carla = json!({"email": "carla@acme.test"});
        for i in 0..5 {
            let a = s
                .call("POST", "/auth/code", None, Some(carla.clone()), &[])
                .await;
            assert_eq!(a.status, 202, "code {i}: {:?}", a.body);
        }
        let a = s.call("POST", "/auth/code", None, Some(carla), &[]).await;
        assert_eq!(assert_error(&a, 429), "rate_limited");
        assert!(!a.header("retry-after").is_empty());
        let sent = common::mails(&s.data_dir()).await.len();
        assert_eq!(sent, 5, "the refused request sent no mail");

        for i in 0..24 {
            let a = s
                .call(
                    "POST",
                    "/auth/code",
                    None,
                    Some(json!({"email": format!("someone{i}@example.test")})),
                    &[],
                )
                .await;
            assert_eq!(a.status, 202, "address count {i}: {:?}", a.body);
        }
        let a = s
            .call(
                "POST",
                "/auth/code",
                None,
                Some(json!({"email": "fresh@example.test"})),
                &[],
            )
            .await;
        assert_eq!(
            assert_error(&a, 429),
            "rate_limited",
            "the 31st code request from one address is refused"
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn registration_emails_are_capped_per_account() {
        let s = demo_server(20).await;
        let admin = s.demo_login(common::ADA).await;
        let access =
            json!({"mode": "self_registration", "passwordless": true, "idle_timeout_minutes": 60});
        s.set_portal(&admin, json!({"access": access})).await;
        let yuki = json!({"email": "yuki@acme.test"});
        for i in 0..5 {
            let a = s
                .call("POST", "/auth/register", None, Some(yuki.clone()), &[])
                .await;
            assert_eq!(a.status, 202, "registration {i}: {:?}", a.body);
        }
        assert_eq!(
            common::mails(&s.data_dir()).await.len(),
            5,
            "one email a request"
        );
        let a = s
            .call("POST", "/auth/register", None, Some(yuki), &[])
            .await;
        assert_eq!(assert_error(&a, 429), "rate_limited");
        let wait: u64 = a
            .header("retry-after")
            .parse()
            .expect("Retry-After is a number of seconds");
        assert!((1..=3600).contains(&wait), "Retry-After {wait}");
        assert_eq!(
            common::mails(&s.data_dir()).await.len(),
            5,
            "the refused request sent no mail"
        );
    }
}

both_stores! {
    #[tokio::test]
    async fn invitations_are_capped_per_admin() {
        let s = demo_server(20).await;
        let admin = s.demo_login(common::ADA).await;
        let id = s.contact(&admin, "yuki@acme.test").await["id"].clone();
        let path = format!("/contacts/{id}/invite");
        for i in 0..120 {
            let a = s.call("POST", &path, Some(&admin), None, &[]).await;
            assert_eq!(a.status, 200, "invitation {i}: {:?}", a.body);
        }
        let a = s.call("POST", &path, Some(&admin), None, &[]).await;
        assert_eq!(assert_error(&a, 429), "rate_limited");
        assert!(!a.header("retry-after").is_empty());
        assert_eq!(common::mails(&s.data_dir()).await.len(), 120);
    }
}

/// The per-address limit of code requests (30 an hour), used up by client `198.51.100.7`
/// as a proxy on loopback forwards it; each request names another email, so no account
/// limit interferes.
async fn use_up_codes_of_one_client(s: &TestServer) {
    for i in 0..30 {
        let body = json!({"email": format!("forwarded{i}@example.test")});
        let header = [("x-forwarded-for", "198.51.100.7")];
        let a = s
            .call("POST", "/auth/code", None, Some(body), &header)
            .await;
        assert_eq!(a.status, 202, "code {i}: {:?}", a.body);
    }
}

/// One more code request with `X-Forwarded-For: forwarded`.
async fn one_more_code(s: &TestServer, forwarded: &str) -> Option<String> {
    let body = json!({"email": "one-more@example.test"});
    let header = [("x-forwarded-for", forwarded)];
    let a = s
        .call("POST", "/auth/code", None, Some(body), &header)
        .await;
    (a.status != 202).then(|| assert_error(&a, 429))
}

both_stores! {
    #[tokio::test]
    async fn behind_the_trusted_proxy_each_forwarded_client_has_its_own_limit() {
        let s = server_behind_proxy("127.0.0.1".parse().expect("address")).await;
        use_up_codes_of_one_client(&s).await;
        assert_eq!(
            one_more_code(&s, "198.51.100.7").await.as_deref(),
            Some("rate_limited"),
            "the 31st request of the same client"
        );
        // Another client, though it put the first one's address in front: the proxy appends
        // the address it saw, and that last one counts.
        assert_eq!(one_more_code(&s, "198.51.100.7, 198.51.100.8").await, None);
    }
}

both_stores! {
    #[tokio::test]
    async fn forwarded_addresses_from_anyone_but_the_trusted_proxy_are_ignored() {
        let s = server_behind_proxy("127.0.0.2".parse().expect("address")).await;
        use_up_codes_of_one_client(&s).await;
        assert_eq!(
            one_more_code(&s, "198.51.100.8").await.as_deref(),
            Some("rate_limited"),
            "a header from 127.0.0.1 names no other client"
        );
    }
}
