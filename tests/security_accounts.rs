//! Accounts are not discoverable, and every way in is locked alike: failed sign-ins are
//! counted per address whether or not it is an account (the eleventh answers the same for an
//! account, a contact who never registered and a stranger); the lock holds for passwords,
//! emailed codes and registration codes until it runs out or `deskport staff unlock` lifts
//! it. (That asking for a code takes as long for a known address as for an unknown one is
//! measured alone, in `security_timing.rs`.)

mod common;

use common::*;
use serde_json::json;

async fn wrong_login(ts: &TestServer, email: &str) -> Answer {
    let body = json!({"email": email, "password": "wrong-password"});
    ts.call("POST", "/auth/login", None, Some(body), &[]).await
}

async fn lock(ts: &TestServer, email: &str) {
    for i in 0..10 {
        let a = wrong_login(ts, email).await;
        assert_eq!(
            assert_error(&a, 401),
            "unauthorized",
            "{email}, failure {i}"
        );
    }
}

/// `deskport staff unlock` on the running server's database; its output.
fn staff_unlock(ts: &TestServer, email: &str) -> String {
    let mut unlock = std::process::Command::new(env!("CARGO_BIN_EXE_deskport"));
    unlock.args(["staff", "unlock"]);
    match &ts.database {
        Some(url) => unlock.args(["--database", url]),
        None => unlock.arg("--data-dir").arg(ts.data_dir()),
    };
    let out = unlock
        .args(["--email", email])
        .output()
        .expect("deskport runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

both_stores! {
    #[tokio::test]
    async fn the_eleventh_failure_answers_alike_for_accounts_contacts_and_strangers() {
        let ts = demo_server(20).await;
        let mut answers = Vec::new();
        for email in [GINA, "yuki@acme.test", "nobody@nowhere.test"] {
            lock(&ts, email).await;
            let a = wrong_login(&ts, email).await;
            assert_eq!(assert_error(&a, 429), "account_locked", "{email}");
            let wait: u64 = a.header("retry-after").parse().expect("Retry-After");
            assert!((1..=15 * 60).contains(&wait), "{wait}");
            answers.push(a.body);
        }
        assert!(answers.iter().all(|a| a == &answers[0]), "{answers:?}");
    }
}

both_stores! {
    #[tokio::test]
    async fn a_lock_holds_on_every_way_in_until_staff_unlock() {
        let ts = demo_server(20).await;
        let admin = ts.demo_login(ADA).await;
        let yuki = "yuki@acme.test";
        let id = ts.contact(&admin, yuki).await["id"].clone();
        let invite = ts
            .call(
                "POST",
                &format!("/contacts/{id}/invite"),
                Some(&admin),
                None,
                &[],
            )
            .await;
        assert_eq!(invite.status, 200, "{}", invite.text);
        let code = code_in(&mails(&ts.data_dir()).await[0]);

        // Registration with a good code is refused while the address is locked.
        lock(&ts, yuki).await;
        let register = json!({"email": yuki, "code": code, "password": "a-long-enough-password"});
        let a = ts
            .call("POST", "/auth/register", None, Some(register.clone()), &[])
            .await;
        assert_eq!(assert_error(&a, 429), "account_locked");

        // A locked customer gets no sign-in code (the answer does not say so), and signs in
        // neither with the password nor with a code.
        lock(&ts, GINA).await;
        let asked = ts
            .call(
                "POST",
                "/auth/code",
                None,
                Some(json!({"email": GINA})),
                &[],
            )
            .await;
        assert_eq!(asked.status, 202, "{}", asked.text);
        assert_eq!(mails(&ts.data_dir()).await.len(), 1, "no code was sent");
        let good = json!({"email": GINA, "password": DEMO_PASSWORD});
        let a = ts
            .call("POST", "/auth/login", None, Some(good.clone()), &[])
            .await;
        assert_error(&a, 429);
        let verify = json!({"email": GINA, "code": "123456"});
        let a = ts
            .call("POST", "/auth/verify", None, Some(verify), &[])
            .await;
        assert_error(&a, 429);

        // Ten guesses lock an admin out too; `staff unlock` is the way back.
        lock(&ts, ADA).await;
        let ada = json!({"email": ADA, "password": DEMO_PASSWORD});
        let a = ts.call("POST", "/auth/login", None, Some(ada), &[]).await;
        assert_error(&a, 429);
        for email in [ADA, GINA, yuki] {
            assert!(
                staff_unlock(&ts, email).contains("may sign in again"),
                "{email}"
            );
        }
        assert!(staff_unlock(&ts, "nobody@nowhere.test").contains("was not locked"));
        ts.demo_login(ADA).await;
        ts.demo_login(GINA).await;
        let a = ts
            .call("POST", "/auth/register", None, Some(register), &[])
            .await;
        assert_eq!(a.status, 200, "{}", a.text);
        assert!(a.body["token"].is_string(), "{}", a.text);
        let asked = ts
            .call(
                "POST",
                "/auth/code",
                None,
                Some(json!({"email": GINA})),
                &[],
            )
            .await;
        assert_eq!(asked.status, 202);
        let mail = mails(&ts.data_dir()).await;
        assert_eq!(mail.len(), 2, "the code is sent once unlocked");
        let verify = json!({"email": GINA, "code": code_in(&mail[1])});
        let a = ts
            .call("POST", "/auth/verify", None, Some(verify), &[])
            .await;
        assert_eq!(a.status, 200, "{}", a.text);
    }
}
