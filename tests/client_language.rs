//! The language a process speaks reaches the server from whatever thread a request leaves:
//! the local app and the CLI set it for the process, and an API client made on another
//! thread (the sign-in's, in a background task) still asks the server for it, so a refusal
//! reads in the user's language. A thread that chose its own language (an app served over
//! SSH) keeps it.

mod common;

use common::{CARLA, demo_server};
use deskport::client::language;
use deskport::domain::i18n::Language;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_from_any_thread_asks_for_the_process_language() {
    let ts = demo_server(10).await;
    let url = format!("http://{}", ts.server.addr);
    language::set_for_process(Language::Italian);
    let refused = tokio::spawn(async move {
        deskport::client::login(&url, CARLA, "not-the-password")
            .await
            .expect_err("a wrong password is refused")
            .to_string()
    })
    .await
    .unwrap();
    assert!(refused.contains("email o password errati"), "{refused}");

    let own = std::thread::spawn(|| {
        language::set(Language::English);
        language::current()
    })
    .join()
    .unwrap();
    assert_eq!(own, Language::English, "a thread's own choice wins");
    assert_eq!(language::current(), Language::Italian);
}
