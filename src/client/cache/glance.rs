//! Keeping the [`Glance`] in the cache: one row of `meta`, dropped by triggers whenever the
//! tickets, entities or outbox change, so the next start never draws a screen the cache no
//! longer holds.

use super::Cache;
use crate::client::error::ClientError;
use crate::client::glance::{GLANCE_ROWS, Glance};
use rusqlite::params;

/// Triggers that drop the glance on any change to what a screen is drawn from. Each checks
/// first whether there is a glance to drop, so a sync of 100 000 tickets pays one index
/// lookup per row and no write.
pub(super) const TRIGGERS: &str = "
CREATE TRIGGER glance_ticket_insert AFTER INSERT ON tickets WHEN EXISTS (SELECT 1 FROM meta WHERE key = 'glance') BEGIN DELETE FROM meta WHERE key = 'glance'; END;
CREATE TRIGGER glance_ticket_update AFTER UPDATE ON tickets WHEN EXISTS (SELECT 1 FROM meta WHERE key = 'glance') BEGIN DELETE FROM meta WHERE key = 'glance'; END;
CREATE TRIGGER glance_ticket_delete AFTER DELETE ON tickets WHEN EXISTS (SELECT 1 FROM meta WHERE key = 'glance') BEGIN DELETE FROM meta WHERE key = 'glance'; END;
CREATE TRIGGER glance_entity_insert AFTER INSERT ON entities WHEN EXISTS (SELECT 1 FROM meta WHERE key = 'glance') BEGIN DELETE FROM meta WHERE key = 'glance'; END;
CREATE TRIGGER glance_entity_update AFTER UPDATE ON entities WHEN EXISTS (SELECT 1 FROM meta WHERE key = 'glance') BEGIN DELETE FROM meta WHERE key = 'glance'; END;
CREATE TRIGGER glance_entity_delete AFTER DELETE ON entities WHEN EXISTS (SELECT 1 FROM meta WHERE key = 'glance') BEGIN DELETE FROM meta WHERE key = 'glance'; END;
CREATE TRIGGER glance_outbox_insert AFTER INSERT ON outbox WHEN EXISTS (SELECT 1 FROM meta WHERE key = 'glance') BEGIN DELETE FROM meta WHERE key = 'glance'; END;
CREATE TRIGGER glance_outbox_update AFTER UPDATE ON outbox WHEN EXISTS (SELECT 1 FROM meta WHERE key = 'glance') BEGIN DELETE FROM meta WHERE key = 'glance'; END;
CREATE TRIGGER glance_outbox_delete AFTER DELETE ON outbox WHEN EXISTS (SELECT 1 FROM meta WHERE key = 'glance') BEGIN DELETE FROM meta WHERE key = 'glance'; END;
";

impl Cache {
    /// The glance left by the last run, if the cache has not changed since. An unreadable
    /// one is ignored (the start then loads everything first).
    pub(crate) fn glance(&self) -> Result<Option<Glance>, ClientError> {
        let Some(text) = self.meta("glance")? else {
            return Ok(None);
        };
        match serde_json::from_str::<Glance>(&text) {
            Ok(g) if g.ids.len() <= GLANCE_ROWS => Ok(Some(g)),
            _ => {
                tracing::warn!("ignoring an unreadable first screen in the cache");
                Ok(None)
            }
        }
    }

    /// Leaves `glance` for the next start (replacing any other).
    pub(crate) fn keep_glance(&mut self, glance: &Glance) -> Result<(), ClientError> {
        if glance.ids.len() > GLANCE_ROWS {
            return Err(ClientError::Cache(format!(
                "a first screen names at most {GLANCE_ROWS} tickets"
            )));
        }
        self.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('glance', ?1)",
            params![serde_json::to_string(glance)?],
        )?;
        Ok(())
    }
}

/// Upgrades a schema-3 file in place: adds the triggers, in one transaction with the new
/// `version`.
pub(super) fn upgrade_v3(conn: &mut rusqlite::Connection, version: i64) -> Result<(), ClientError> {
    let tx = conn.transaction()?;
    tx.execute_batch(TRIGGERS)?;
    tx.pragma_update(None, "user_version", version)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::decode::{Page, PageChange, Stored};
    use crate::client::session::Session;
    use crate::client::view::tests::{account, staff_ticket};
    use crate::client::view::{Delta, EntityKind, Item};
    use crate::client::write::Write;
    use crate::domain::Role;
    use crate::domain::wire::MessageInput;

    /// One change to a cache.
    type Change = Box<dyn Fn(&mut Cache)>;

    fn session() -> Session {
        Session {
            server_url: "http://127.0.0.1:1".into(),
            token: "t".into(),
            account: account(Role::Agent),
        }
    }

    /// A sync page upserting tickets `ids` at `version`.
    fn page(ids: impl IntoIterator<Item = i64>, version: i64) -> Page {
        let changes = ids
            .into_iter()
            .map(|id| {
                let Delta::Upsert(Item::Ticket(t)) =
                    staff_ticket(id, "2026-11-20T10:00:00Z", version)
                else {
                    unreachable!("a ticket delta")
                };
                PageChange {
                    kind: EntityKind::Ticket,
                    id,
                    stored: Some(Stored::Ticket {
                        version,
                        blob: t.to_bytes(),
                    }),
                    delta: Delta::Upsert(Item::Ticket(t)),
                }
            })
            .collect();
        Page {
            cursor: format!("c{version}"),
            reset: false,
            changes,
        }
    }

    fn glance(ids: &[i64]) -> Glance {
        Glance {
            ids: ids.to_vec(),
            note: "drawn".into(),
        }
    }

    /// A cache of tickets 1–20 holding a glance of tickets 20, 3 and 7.
    fn cache_with_glance(dir: &std::path::Path) -> (Cache, std::path::PathBuf) {
        let path = dir.join("cache.sqlite");
        let mut cache = Cache::connect(&path, true).expect("a new cache");
        cache.apply_page(&page(1..=20, 1)).expect("synced");
        cache.keep_glance(&glance(&[20, 3, 7])).expect("kept");
        (cache, path)
    }

    #[test]
    fn a_start_with_a_glance_holds_its_tickets_until_the_rest_are_loaded() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (cache, path) = cache_with_glance(dir.path());
        drop(cache);
        let (cache, mut view) = Cache::open(&path, &session(), true).expect("opened");
        assert_eq!(view.glance(), Some(&glance(&[20, 3, 7])));
        let ids: Vec<i64> = view.tickets().map(|t| t.id()).collect();
        assert_eq!(
            ids,
            vec![20, 7, 3],
            "only the glance's tickets, newest first"
        );
        assert!(view.glance_is_current());
        view.set_outbox(Vec::new());
        assert!(
            !view.glance_is_current(),
            "a change while loading makes its figures stale"
        );
        view.complete(cache.load_tickets().expect("the rest"));
        assert_eq!(view.glance(), None);
        assert_eq!(view.ticket_count(), 20);

        let (_, whole) = Cache::open(&path, &session(), false).expect("opened");
        assert_eq!(whole.glance(), None, "only asked for, never imposed");
        assert_eq!(whole.ticket_count(), 20);
    }

    #[test]
    fn any_change_to_tickets_entities_or_the_outbox_drops_the_glance() {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = Write::Message {
            ticket_id: 3,
            input: MessageInput {
                body: "hello".into(),
                internal: false,
            },
        };
        let changes: Vec<(&str, Change)> = vec![
            (
                "a synced ticket",
                Box::new(|c| c.apply_page(&page([5], 2)).expect("synced")),
            ),
            (
                "a new ticket",
                Box::new(|c| c.apply_page(&page([21], 1)).expect("synced")),
            ),
            (
                "a ticket from a write's answer",
                Box::new(|c| {
                    let Delta::Upsert(Item::Ticket(t)) = staff_ticket(9, "2026-11-21T10:00:00Z", 3)
                    else {
                        unreachable!("a ticket delta")
                    };
                    c.put_ticket(&t).expect("stored");
                }),
            ),
            (
                "an entity",
                Box::new(|c| {
                    c.conn
                        .execute(
                            "INSERT INTO entities (kind, id, data) VALUES ('user', 4, '{}')",
                            [],
                        )
                        .expect("stored");
                }),
            ),
            (
                "a queued write",
                Box::new(move |c| {
                    c.push_write(&write).expect("queued");
                }),
            ),
            (
                "a deleted ticket",
                Box::new(|c| {
                    c.conn
                        .execute("DELETE FROM tickets WHERE id = 11", [])
                        .expect("deleted");
                }),
            ),
        ];
        for (what, change) in changes {
            let (mut cache, _) = cache_with_glance(dir.path());
            assert!(cache.glance().expect("readable").is_some());
            change(&mut cache);
            assert_eq!(cache.glance().expect("readable"), None, "{what} drops it");
            drop(cache);
            std::fs::remove_file(dir.path().join("cache.sqlite")).expect("removed");
        }
    }

    #[test]
    fn a_commit_by_another_connection_drops_the_glance_too() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (cache, path) = cache_with_glance(dir.path());
        let other = rusqlite::Connection::open(&path).expect("a second connection");
        other
            .execute("UPDATE tickets SET version = 9 WHERE id = 12", [])
            .expect("updated");
        assert_eq!(cache.glance().expect("readable"), None);
    }

    #[test]
    fn a_glance_naming_a_missing_ticket_or_too_many_is_not_used() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut cache, path) = cache_with_glance(dir.path());
        cache.keep_glance(&glance(&[20, 99])).expect("kept");
        drop(cache);
        let (_, view) = Cache::open(&path, &session(), true).expect("opened");
        assert_eq!(view.glance(), None, "every ticket loaded instead");
        assert_eq!(view.ticket_count(), 20);

        let (mut cache, _) = Cache::open(&path, &session(), true).expect("opened");
        let many: Vec<i64> = (1..=GLANCE_ROWS as i64 + 1).collect();
        assert!(cache.keep_glance(&glance(&many)).is_err());
    }

    #[test]
    fn a_schema_3_file_gains_the_triggers() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("cache.sqlite");
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(super::super::SCHEMA).expect("tables");
        conn.pragma_update(None, "user_version", 3)
            .expect("version");
        drop(conn);
        let mut cache = Cache::connect(&path, true).expect("upgraded");
        cache.apply_page(&page([1, 2], 1)).expect("synced");
        cache.keep_glance(&glance(&[2, 1])).expect("kept");
        cache.apply_page(&page([2], 2)).expect("synced");
        assert_eq!(cache.glance().expect("readable"), None);
    }
}
