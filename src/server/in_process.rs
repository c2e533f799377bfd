//! The API answered in this process, for front ends that serve users without HTTP (the SSH
//! server) yet must put their requests through the same middlewares.

use axum::Router;
use std::net::SocketAddr;

/// The API answered in this process, without a connection.
#[derive(Clone)]
pub struct InProcess {
    pub(super) router: Router,
}

impl InProcess {
    /// Answers one API request as if it had come over TCP from `peer`: a front end signs its
    /// users in through it, so their attempts pass the same rate limits, counted against
    /// their own address, and the same lockout as over HTTP.
    pub async fn answer(
        &self,
        mut request: axum::http::Request<axum::body::Body>,
        peer: SocketAddr,
    ) -> axum::response::Response {
        use tower::ServiceExt as _;
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        match self.router.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    }
}
