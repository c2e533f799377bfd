//! Property tests of the routing engine: round robin stays fair over 1 000 tickets, also
//! while some members are full; automatic assignment never exceeds capacity; least loaded
//! picks a minimum; the first enabled matching rule by position decides.

use super::*;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Event {
    Assign,
    Close(usize),
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![3 => Just(Event::Assign), 2 => any::<usize>().prop_map(Event::Close)]
}

fn automatic() -> impl Strategy<Value = Assignment> {
    prop_oneof![Just(Assignment::RoundRobin), Just(Assignment::LeastLoaded)]
}

proptest! {
    #[test]
    fn round_robin_spreads_evenly(n in 1i64..=8, start in -20i64..20) {
        let members: Vec<i64> = (1..=n).map(|i| i * 7).collect();
        let b = inbox(members.clone(), Assignment::RoundRobin, None);
        let mut tally: HashMap<i64, u32> = HashMap::new();
        let mut cursor = start;
        for _ in 0..1000 {
            let (owner, next) = pick(&b, &[], cursor);
            *tally.entry(owner.expect("no capacity, so always someone")).or_default() += 1;
            cursor = next;
        }
        let per: Vec<u32> = members.iter().map(|m| tally.get(m).copied().unwrap_or(0)).collect();
        prop_assert_eq!(per.iter().sum::<u32>(), 1000);
        let (max, min) = (per.iter().max().unwrap(), per.iter().min().unwrap());
        prop_assert!(max - min <= 1, "{:?}", per);
    }

    #[test]
    fn automatic_assignment_respects_capacity(
        n in 1usize..=6,
        cap in 1u32..=5,
        method in automatic(),
        events in proptest::collection::vec(event(), 1..200),
    ) {
        let members: Vec<i64> = (100..100 + n as i64).collect();
        let b = inbox(members.clone(), method, Some(cap));
        let mut open: HashMap<i64, u32> = HashMap::new();
        let mut cursor = 0;
        for e in events {
            match e {
                Event::Assign => {
                    let p = pick_owner(&b, &open, cursor);
                    cursor = p.next_cursor;
                    match p.owner {
                        Some(o) => *open.entry(o).or_default() += 1,
                        None => prop_assert!(members.iter().all(|m| open.get(m) == Some(&cap))),
                    }
                }
                Event::Close(i) => {
                    if let Some(c) = open.get_mut(&members[i % n]) {
                        *c = c.saturating_sub(1);
                    }
                }
            }
            prop_assert!(open.keys().all(|k| members.contains(k)), "{:?}", open);
            prop_assert!(open.values().all(|&c| c <= cap), "cap {}: {:?}", cap, open);
        }
    }

    #[test]
    fn least_loaded_picks_a_minimum_among_members_with_room(
        load in proptest::collection::vec(0u32..10, 0..8),
        cap in proptest::option::of(1u32..10),
        cursor in any::<i64>(),
    ) {
        let members: Vec<i64> = (1..=load.len() as i64).collect();
        let open: HashMap<i64, u32> = members.iter().copied().zip(load.iter().copied()).collect();
        let b = inbox(members, Assignment::LeastLoaded, cap);
        let room = |l: &u32| cap.is_none_or(|c| *l < c);
        let min_with_room = load.iter().copied().filter(room).min();
        let picked = pick_owner(&b, &open, cursor).owner.map(|o| open[&o]);
        if let Some(l) = picked {
            prop_assert!(room(&l));
        }
        prop_assert_eq!(picked, min_with_room);
    }
}

/// Subject words the generated rules look for.
const WORDS: [&str; 3] = ["invoice", "refund", "crash"];

proptest! {
    #[test]
    fn round_robin_skips_full_members_and_stays_fair_among_the_rest(
        n in 1usize..=8,
        full in proptest::collection::vec(any::<bool>(), 8),
        cap in 1u32..=5,
        start in -20i64..20,
    ) {
        // Members marked full hold `cap` open tickets throughout; the others close each
        // ticket as soon as it arrives, so they always have room.
        let members: Vec<i64> = (1..=n as i64).collect();
        let (busy, free): (Vec<i64>, Vec<i64>) =
            members.iter().partition(|m| full[(**m - 1) as usize]);
        let open: HashMap<i64, u32> = busy.iter().map(|m| (*m, cap)).collect();
        let b = inbox(members, Assignment::RoundRobin, Some(cap));
        let mut tally: HashMap<i64, u32> = HashMap::new();
        let mut unassigned = 0;
        let mut cursor = start;
        for _ in 0..1000 {
            let p = pick_owner(&b, &open, cursor);
            cursor = p.next_cursor;
            match p.owner {
                Some(o) => *tally.entry(o).or_default() += 1,
                None => unassigned += 1,
            }
        }
        prop_assert!(busy.iter().all(|m| !tally.contains_key(m)), "a full member got one: {:?}", tally);
        if free.is_empty() {
            prop_assert_eq!(unassigned, 1000, "everyone full: all wait unassigned");
        } else {
            prop_assert_eq!(unassigned, 0);
            let per: Vec<u32> = free.iter().map(|m| tally.get(m).copied().unwrap_or(0)).collect();
            let (max, min) = (per.iter().max().unwrap(), per.iter().min().unwrap());
            prop_assert!(max - min <= 1, "uneven: {:?}", per);
        }
    }

    #[test]
    fn the_first_enabled_matching_rule_by_position_decides(
        specs in proptest::collection::vec((0i64..4, any::<bool>(), 0usize..3), 0..10),
        said in proptest::collection::vec(any::<bool>(), 3),
    ) {
        let rules: Vec<RoutingRule> = specs
            .iter()
            .enumerate()
            .map(|(i, (position, enabled, word))| RoutingRule {
                enabled: *enabled,
                ..on_subject(i as i64 + 1, *position, WORDS[*word])
            })
            .collect();
        let words: Vec<&str> = WORDS.iter().zip(&said).filter(|(_, s)| **s).map(|(w, _)| *w).collect();
        let ticket = subject(&format!("About the {}", words.join(" and ")));
        let hits = |r: &&RoutingRule| {
            r.enabled && words.iter().any(|w| r.conditions[0].value == MatchValue::One(w.to_string()))
        };
        let expected = rules.iter().filter(hits).min_by_key(|r| (r.position, r.id)).map(|r| r.id);
        let got = first_match(&rules, &ticket);
        prop_assert_eq!(got.map(|r| r.id), expected);
        prop_assert!(got.is_none_or(|r| r.enabled), "a disabled rule fired");
        // Moving any enabled matching rule above all others makes it the one that decides.
        for r in rules.iter().filter(hits) {
            let mut moved = rules.clone();
            if let Some(m) = moved.iter_mut().find(|m| m.id == r.id) {
                m.position = -1;
            }
            prop_assert_eq!(first_id(&moved, &ticket), Some(r.id));
        }
    }
}
