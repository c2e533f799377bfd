//! The layers every API request passes before its handler (see `server::app`): rate limits on
//! sign-in and mail-sending paths, then `Idempotency-Key` replay for writes.

pub mod idempotency;
pub mod ratelimit;
