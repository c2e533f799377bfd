//! The caller's own account settings on both stores: the language choice (`GET/PUT
//! /me/language`: set, read back, refuse an unknown language with a 422) and SSH public keys
//! (`GET/POST/DELETE /me/ssh-keys`: add, list, refuse junk, unsupported types, a key another
//! account holds and more than the cap; delete), and that `POST /auth/ssh-key` is never
//! answered over HTTP.

mod common;

use common::*;
use russh::keys::PrivateKey;
use russh::keys::ssh_key::LineEnding;
use russh::keys::ssh_key::private::Ed25519Keypair;
use serde_json::json;

/// The public-key line of a fixed Ed25519 key made from `seed`, with `comment`.
fn key_line(seed: u8, comment: &str) -> String {
    let mut key = PrivateKey::from(Ed25519Keypair::from_seed(&[seed; 32]));
    key.set_comment(comment);
    // The private key's OpenSSH form must encode, or the public line below means nothing.
    assert!(key.to_openssh(LineEnding::LF).is_ok());
    key.public_key().to_openssh().expect("a public-key line")
}

both_stores! {
    #[tokio::test]
    async fn a_language_choice_is_kept_per_person_and_an_unknown_one_is_refused() {
        let ts = demo_server(5).await;
        let ada = ts.demo_login(ADA).await;
        let sam = ts.demo_login(SAM).await;
        let carla = ts.demo_login(CARLA).await;
        let start = ts.get("/me/language", &ada).await;
        assert_eq!(start.status, 200, "{}", start.text);
        assert_eq!(start.body, json!({"language": null}), "automatic at first");

        let set = ts
            .call("PUT", "/me/language", Some(&ada), Some(json!({"language": "it"})), &[])
            .await;
        assert_eq!(set.status, 200, "{}", set.text);
        assert_eq!(set.body["language"], "it");
        assert_eq!(ts.get("/me/language", &ada).await.body["language"], "it");
        assert_eq!(
            ts.get("/me/language", &sam).await.body["language"],
            serde_json::Value::Null,
            "another person's choice is their own"
        );

        let customer = ts
            .call("PUT", "/me/language", Some(&carla), Some(json!({"language": "en"})), &[])
            .await;
        assert_eq!(customer.status, 200, "{}", customer.text);
        assert_eq!(ts.get("/me/language", &carla).await.body["language"], "en");

        for bad in [json!({"language": "xx"}), json!({"language": "it-IT"}), json!({"language": ""})] {
            let refused = ts.call("PUT", "/me/language", Some(&ada), Some(bad.clone()), &[]).await;
            assert_error(&refused, 422);
            assert_eq!(refused.body["error"]["field"], "language", "{bad}");
            let message = refused.body["error"]["message"].as_str().unwrap_or_default();
            assert!(message.contains("en, it"), "names the languages there are: {message}");
        }
        assert_eq!(ts.get("/me/language", &ada).await.body["language"], "it", "a refusal changes nothing");

        let automatic = ts
            .call("PUT", "/me/language", Some(&ada), Some(json!({"language": null})), &[])
            .await;
        assert_eq!(automatic.status, 200, "{}", automatic.text);
        assert_eq!(ts.get("/me/language", &ada).await.body, json!({"language": null}));
        assert_error(&ts.call("GET", "/me/language", None, None, &[]).await, 401);
    }
}

both_stores! {
    #[tokio::test]
    async fn ssh_keys_are_added_listed_refused_and_deleted() {
        let ts = demo_server(5).await;
        let ada = ts.demo_login(ADA).await;
        let carla = ts.demo_login(CARLA).await;
        assert_eq!(ts.get("/me/ssh-keys", &ada).await.body, json!([]));

        let line = key_line(1, "ada@laptop");
        let added = ts
            .post("/me/ssh-keys", &ada, json!({"public_key": format!("{line}\n")}))
            .await;
        assert_eq!(added.status, 201, "{}", added.text);
        assert_eq!(added.body["algorithm"], "ssh-ed25519");
        assert_eq!(added.body["comment"], "ada@laptop");
        let fingerprint = added.body["fingerprint"].as_str().unwrap_or_default().to_string();
        assert!(fingerprint.starts_with("SHA256:"), "{fingerprint}");
        let listed = ts.get("/me/ssh-keys", &ada).await.body;
        assert_eq!(listed.as_array().map(Vec::len), Some(1));
        assert_eq!(listed[0]["fingerprint"], fingerprint.as_str());
        assert_eq!(ts.get("/me/ssh-keys", &carla).await.body, json!([]), "keys are their owner's");

        let refuse = |answer: &Answer, says: &str| {
            assert_error(answer, 422);
            assert_eq!(answer.body["error"]["field"], "public_key");
            let message = answer.body["error"]["message"].as_str().unwrap_or_default();
            assert!(message.contains(says), "{says:?} in {message}");
        };
        let taken = ts.post("/me/ssh-keys", &carla, json!({"public_key": line})).await;
        refuse(&taken, "registered already");
        let again = ts.post("/me/ssh-keys", &ada, json!({"public_key": key_line(1, "other")})).await;
        refuse(&again, "registered already");
        for junk in ["", "hello", "ssh-ed25519 not-base64!", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA=="] {
            let refused = ts.post("/me/ssh-keys", &ada, json!({"public_key": junk})).await;
            refuse(&refused, "not an OpenSSH public key");
        }
        let dsa = "ssh-dss AAAAB3NzaC1kc3MAAACBAOooHUfCX89fGcI1xgMaktk9bxKWnTcdpBA267+0fYN7i+pMYlJ1EEjjVlt1aTuEGIyOXGnb8RmVgzbzhhr4sXsA8pMw4mtv3F7Jkpa9uR33MFOqR3IPqUzMQ4f/9qYsHbxj335wyYa1ypgOshdmvdVPLqjj+kXepddZO5mG6JJHAAAAFQCN0a7QGUrk/jVxS2pzdA6iFQ7SuQAAAIB3Pr0oIAOHiikaCC1EAypVn+b6GqkA9yz3iW6aP4j4wjNNufMW+ZbYju6mvOrVZVd+nUdDG3qFTDqLpUO27Wl6tKeO9PJaoxjU9nEhIvDcmST1+/nXV0R3TilglaD3gJXN3tDZx1RapJgcJwbZGB8KjXF+WNF27mwuLMVjuZKQ/gAAAIBAbRkclxBgfeo/VJ+oM8D1F5OquyOn1GaXrE1zOEAqzYk6+4KGZO3oufopB6at2PJ2QqfxG+lo+LwmZuHiK46S/sSsT88W8rCuQs+Ng4kIHzvFTlx9KxokjDJX8zARUhc13n9oaoMYMquxPIRBAH0xz2OPH3zMCwDqSp6PDL+n+w== dsa@old";
        let refused = ts.post("/me/ssh-keys", &ada, json!({"public_key": dsa})).await;
        assert_error(&refused, 422);
        assert_eq!(ts.get("/me/ssh-keys", &ada).await.body.as_array().map(Vec::len), Some(1), "refusals add nothing");

        for seed in 2..=10 {
            let more = ts.post("/me/ssh-keys", &ada, json!({"public_key": key_line(seed, "")})).await;
            assert_eq!(more.status, 201, "key {seed}: {}", more.text);
        }
        let over = ts.post("/me/ssh-keys", &ada, json!({"public_key": key_line(11, "")})).await;
        refuse(&over, "at most 10 keys");

        let id = added.body["id"].as_i64().unwrap_or_default();
        assert_error(&ts.call("DELETE", &format!("/me/ssh-keys/{id}"), Some(&carla), None, &[]).await, 404);
        let deleted = ts.call("DELETE", &format!("/me/ssh-keys/{id}"), Some(&ada), None, &[]).await;
        assert_eq!(deleted.status, 204, "{}", deleted.text);
        let left = ts.get("/me/ssh-keys", &ada).await.body;
        assert_eq!(left.as_array().map(Vec::len), Some(9));
        assert!(left.as_array().into_iter().flatten().all(|k| k["fingerprint"] != fingerprint.as_str()));
        let freed = ts.post("/me/ssh-keys", &carla, json!({"public_key": line})).await;
        assert_eq!(freed.status, 201, "a deleted key may be registered again: {}", freed.text);
    }
}

both_stores! {
    #[tokio::test]
    async fn the_key_sign_in_is_never_answered_over_http() {
        let ts = demo_server(5).await;
        let ada = ts.demo_login(ADA).await;
        let line = key_line(1, "");
        assert_eq!(ts.post("/me/ssh-keys", &ada, json!({"public_key": line})).await.status, 201);
        let anonymous = ts.call("POST", "/auth/ssh-key", None, None, &[]).await;
        assert_error(&anonymous, 403);
        let signed_in = ts.call("POST", "/auth/ssh-key", Some(&ada), None, &[]).await;
        assert_error(&signed_in, 403);
    }
}

both_stores! {
    #[tokio::test]
    async fn removing_a_staff_user_frees_their_keys() {
        let ts = demo_server(5).await;
        let ada = ts.demo_login(ADA).await;
        let sam = ts.demo_login(SAM).await;
        let carla = ts.demo_login(CARLA).await;
        let line = key_line(3, "sam@desk");
        assert_eq!(ts.post("/me/ssh-keys", &sam, json!({"public_key": line})).await.status, 201);
        let users = ts.get("/users", &ada).await.body;
        let sam_id = users
            .as_array()
            .into_iter()
            .flatten()
            .find(|u| u["email"] == SAM)
            .and_then(|u| u["id"].as_i64())
            .expect("sam's id");
        let removed = ts.call("DELETE", &format!("/users/{sam_id}"), Some(&ada), None, &[]).await;
        assert_eq!(removed.status, 204, "{}", removed.text);
        let taken = ts.post("/me/ssh-keys", &carla, json!({"public_key": line})).await;
        assert_eq!(taken.status, 201, "the removed user's key is free: {}", taken.text);
    }
}
