//! Which `/events` streams a commit wakes: staff streams every one, a customer's only those
//! that changed something in their scope they can see (so a poke tells nobody about another
//! company's tickets or about an internal note).

use crate::domain::visibility::can_see;
use crate::domain::{TicketPermission, Viewer};
use crate::server::store::{Poke, Store, Touched};

/// Whether `poke` wakes the stream of `viewer`; reads the portal's permission mode only for
/// customers (a failed read wakes the stream: a spurious poke costs one sync, a missed one
/// leaves the client stale).
pub async fn wakes(store: &dyn Store, viewer: &Viewer, poke: &Poke) -> bool {
    if viewer.is_staff() {
        return true;
    }
    match store.portal().await {
        Ok(portal) => reaches(viewer, &portal.ticket_permission, poke),
        Err(_) => true,
    }
}

/// Whether anything `poke` touched is news to `viewer` under `permission`.
pub fn reaches(viewer: &Viewer, permission: &TicketPermission, poke: &Poke) -> bool {
    if viewer.is_staff() {
        return true;
    }
    poke.touched.iter().any(|touched| match touched {
        Touched::Ticket {
            now,
            before,
            staff_only,
        } => {
            !staff_only
                && [now, before]
                    .into_iter()
                    .flatten()
                    .any(|scope| can_see(viewer, permission, scope))
        }
        Touched::Portal | Touched::Unknown => true,
        Touched::Contact(id) => {
            matches!(viewer, Viewer::Contact { contact_id, .. } if contact_id == id)
        }
        Touched::StaffList => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PermissionMode;
    use crate::domain::visibility::TicketScope;
    use std::collections::BTreeMap;

    fn mode(mode: PermissionMode) -> TicketPermission {
        TicketPermission {
            mode,
            filter: vec![],
        }
    }

    fn carla() -> Viewer {
        Viewer::Contact {
            contact_id: 1,
            company_id: Some(10),
            properties: BTreeMap::new(),
        }
    }

    fn ticket(contact_id: i64, company_id: Option<i64>, staff_only: bool) -> Poke {
        let scope = TicketScope {
            contact_id,
            company_id,
            ccs: Vec::new(),
        };
        Poke {
            seq: 1,
            touched: vec![Touched::Ticket {
                now: Some(scope.clone()),
                before: Some(scope),
                staff_only,
            }],
        }
    }

    #[test]
    fn a_customer_is_poked_only_for_what_they_can_see() {
        let company = mode(PermissionMode::Company);
        let own = mode(PermissionMode::Contact);
        assert!(reaches(&carla(), &own, &ticket(1, Some(10), false)));
        assert!(!reaches(&carla(), &own, &ticket(1, Some(10), true)));
        assert!(!reaches(&carla(), &own, &ticket(2, Some(10), false)));
        assert!(reaches(&carla(), &company, &ticket(2, Some(10), false)));
        assert!(!reaches(&carla(), &company, &ticket(3, Some(20), false)));
        let staff_list = Poke {
            seq: 1,
            touched: vec![Touched::StaffList, Touched::Contact(2)],
        };
        assert!(!reaches(&carla(), &company, &staff_list));
        for everyone in [Touched::Portal, Touched::Contact(1), Touched::Unknown] {
            let poke = Poke {
                seq: 1,
                touched: vec![everyone.clone()],
            };
            assert!(reaches(&carla(), &own, &poke), "{everyone:?}");
        }
    }

    #[test]
    fn a_ticket_leaving_a_customer_s_scope_still_pokes_them() {
        let poke = Poke {
            seq: 1,
            touched: vec![Touched::Ticket {
                now: Some(TicketScope {
                    contact_id: 2,
                    company_id: Some(20),
                    ccs: Vec::new(),
                }),
                before: Some(TicketScope {
                    contact_id: 1,
                    company_id: Some(10),
                    ccs: Vec::new(),
                }),
                staff_only: false,
            }],
        };
        assert!(reaches(&carla(), &mode(PermissionMode::Contact), &poke));
    }

    #[test]
    fn a_customer_copied_on_a_ticket_is_poked_for_it_and_when_taken_off() {
        let copied = TicketScope {
            contact_id: 2,
            company_id: Some(10),
            ccs: vec![1],
        };
        let taken_off = TicketScope {
            ccs: Vec::new(),
            ..copied.clone()
        };
        let own = mode(PermissionMode::Contact);
        let poke = |now: &TicketScope, before: &TicketScope| Poke {
            seq: 1,
            touched: vec![Touched::Ticket {
                now: Some(now.clone()),
                before: Some(before.clone()),
                staff_only: false,
            }],
        };
        assert!(reaches(&carla(), &own, &poke(&copied, &taken_off)));
        assert!(reaches(&carla(), &own, &poke(&taken_off, &copied)));
        assert!(!reaches(&carla(), &own, &poke(&taken_off, &taken_off)));
    }

    #[test]
    fn staff_are_poked_for_everything() {
        let staff = Viewer::Staff {
            user_id: 1,
            role: crate::domain::Role::Agent,
        };
        assert!(reaches(
            &staff,
            &mode(PermissionMode::Contact),
            &ticket(3, None, true)
        ));
    }
}
