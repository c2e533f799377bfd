//! The cap on SSH app sessions: so many on the server, so many per account. Each running
//! session holds a seat and gives it back when it ends, however it ends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// How many app sessions may run at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeatLimits {
    /// On the whole server.
    pub total: usize,
    /// Per account (its event streams count against the API's per-account limit too).
    pub per_account: usize,
}

impl Default for SeatLimits {
    fn default() -> Self {
        SeatLimits {
            total: 100,
            per_account: 4,
        }
    }
}

/// The seats taken, per account email.
#[derive(Debug)]
pub struct Seats {
    limits: SeatLimits,
    taken: Mutex<HashMap<String, usize>>,
}

/// One running session's seat; dropping it frees the seat.
#[derive(Debug)]
pub struct Seat {
    seats: Arc<Seats>,
    account: String,
}

impl Seats {
    /// No seat taken yet.
    pub fn new(limits: SeatLimits) -> Arc<Self> {
        Arc::new(Seats {
            limits,
            taken: Mutex::new(HashMap::new()),
        })
    }

    /// A seat for `account`, or what to tell the user when none is free.
    pub fn take(self: &Arc<Self>, account: &str) -> Result<Seat, String> {
        let mut taken = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        let total: usize = taken.values().sum();
        if total >= self.limits.total {
            return Err(format!(
                "This server is full ({} sessions at once); try again in a few minutes.",
                self.limits.total
            ));
        }
        let mine = taken.entry(account.to_string()).or_insert(0);
        if *mine >= self.limits.per_account {
            return Err(format!(
                "Your account already has {} sessions open here; close one and try again.",
                self.limits.per_account
            ));
        }
        *mine += 1;
        Ok(Seat {
            seats: self.clone(),
            account: account.to_string(),
        })
    }
}

impl Drop for Seat {
    fn drop(&mut self) {
        let mut taken = self
            .seats
            .taken
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = taken.get_mut(&self.account) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                taken.remove(&self.account);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_are_capped_per_account_and_in_total_and_given_back() {
        let seats = Seats::new(SeatLimits {
            total: 3,
            per_account: 2,
        });
        let a1 = seats.take("a@example.com").expect("first seat");
        let _a2 = seats.take("a@example.com").expect("second seat");
        let refused = seats
            .take("a@example.com")
            .expect_err("third seat of one account");
        assert!(refused.contains("2 sessions"), "{refused}");
        let _b1 = seats.take("b@example.com").expect("another account");
        let full = seats.take("c@example.com").expect_err("server full");
        assert!(full.contains("full"), "{full}");
        drop(a1);
        seats
            .take("c@example.com")
            .expect("a freed seat is taken again");
    }
}
