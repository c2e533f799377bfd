//! PLACEHOLDER (owned by the client helper): API client, cache, sync engine, outbox.
