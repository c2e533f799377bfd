//! The columns of the ticket table: what each shows, how wide it is and how it sorts. Staff
//! get a fixed set; customers get the columns the portal's ticket view lists.

use super::filter::{inbox_name, owner_name};
use crate::client::ViewTicket;
use crate::domain::Stage;
use crate::domain::portal::CustomerColumn;
use crate::domain::text::{cut_to_width, strip_control};
use crate::tui::i18n;
use std::cmp::Ordering;

/// One column of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Ticket number.
    Id,
    Subject,
    /// Requester's name.
    Requester,
    /// Company name.
    Company,
    /// Stage (staff) or the portal's label for it (customers).
    Stage,
    Priority,
    /// Owner's name.
    Owner,
    /// Inbox name.
    Inbox,
    /// When it was opened.
    Created,
    /// When it last changed.
    Updated,
}

/// The columns agents and admins see, in order.
pub const STAFF: [Column; 9] = [
    Column::Id,
    Column::Subject,
    Column::Requester,
    Column::Company,
    Column::Stage,
    Column::Priority,
    Column::Owner,
    Column::Inbox,
    Column::Updated,
];

impl super::Tickets {
    /// The columns of the table: the portal's for customers, [`STAFF`] for staff.
    pub(super) fn columns(&self, view: &crate::client::View) -> Vec<Column> {
        match view.portal.as_ref().map(|p| &p.item) {
            Some(crate::domain::wire::PortalFor::Public(p)) if !self.staff => p
                .ticket_view
                .columns
                .iter()
                .map(Column::from_customer)
                .collect(),
            _ => STAFF.to_vec(),
        }
    }
}

impl Column {
    /// The table column for a portal ticket-view column.
    pub fn from_customer(c: &CustomerColumn) -> Column {
        match c {
            CustomerColumn::Id => Column::Id,
            CustomerColumn::Subject => Column::Subject,
            CustomerColumn::Status => Column::Stage,
            CustomerColumn::Priority => Column::Priority,
            CustomerColumn::Requester => Column::Requester,
            CustomerColumn::Created => Column::Created,
            CustomerColumn::Updated => Column::Updated,
        }
    }

    /// The header, in the current language.
    pub fn title(self) -> String {
        i18n::t(match self {
            Column::Id => "column-id",
            Column::Subject => "column-subject",
            Column::Requester => "column-requester",
            Column::Company => "column-company",
            Column::Stage => "column-stage",
            Column::Priority => "column-priority",
            Column::Owner => "column-owner",
            Column::Inbox => "column-inbox",
            Column::Created => "column-created",
            Column::Updated => "column-updated",
        })
    }

    /// Width in cells (for the subject, the least it gets: it takes what is left); room for
    /// the title and the sort arrow at least. `short`: stages in their short labels.
    pub fn width(self, short: bool) -> u16 {
        let title = u16::try_from(self.title().chars().count() + 2).unwrap_or(u16::MAX);
        let least = match self {
            Column::Id => 7,
            Column::Subject => SUBJECT_MIN,
            Column::Requester | Column::Owner => 14,
            Column::Company | Column::Inbox => 12,
            Column::Stage if short => STAGE_SHORT,
            Column::Stage => 19,
            Column::Priority => 10,
            Column::Created | Column::Updated => 10,
        };
        if self == Column::Subject {
            least
        } else {
            least.max(title)
        }
    }

    /// The cell text of ticket `t` in `width` cells, control sequences stripped; cut text
    /// ends in `…`. `short`: the stage in its short label.
    pub fn cell(self, t: &ViewTicket, width: u16, short: bool) -> String {
        let text = match (self, short) {
            (Column::Stage, true) => match Stage::parse(t.status()) {
                Some(stage) => short_stage(stage),
                None => self.text(t),
            },
            _ => self.text(t),
        };
        cut_to_width(&text, usize::from(width))
    }

    /// The whole text of ticket `t` in this column.
    fn text(self, t: &ViewTicket) -> String {
        match self {
            Column::Id if t.id() < 0 => i18n::t("column-id-new"),
            Column::Id => format!("#{}", t.id()),
            Column::Subject => strip_control(t.subject()).replace('\n', " "),
            Column::Requester => strip_control(t.requester()),
            Column::Company => strip_control(t.company().unwrap_or("")),
            Column::Stage => strip_control(t.status()).replace('_', " "),
            Column::Priority => i18n::priority(t.priority()),
            Column::Owner => strip_control(owner_name(t).unwrap_or("—")),
            Column::Inbox => strip_control(inbox_name(t).unwrap_or("")),
            Column::Created => i18n::date(t.created_at()),
            Column::Updated => i18n::date(t.updated_at()),
        }
    }

    /// Orders two tickets by this column, smallest first.
    pub fn compare(self, a: &ViewTicket, b: &ViewTicket) -> Ordering {
        match self {
            Column::Id => a.id().cmp(&b.id()),
            Column::Subject => a.subject().cmp(b.subject()),
            Column::Requester => a.requester().cmp(b.requester()),
            Column::Company => a.company().cmp(&b.company()),
            Column::Stage => a.status().cmp(b.status()),
            Column::Priority => a.priority().cmp(&b.priority()),
            Column::Owner => owner_name(a).cmp(&owner_name(b)),
            Column::Inbox => inbox_name(a).cmp(&inbox_name(b)),
            Column::Created => a.created_at().cmp(b.created_at()),
            Column::Updated => a.updated_at().cmp(b.updated_at()),
        }
    }
}

/// The least the subject gets: narrower, other columns give way first.
const SUBJECT_MIN: u16 = 28;
/// The stage column with short labels.
const STAGE_SHORT: u16 = 10;

/// A stage in at most [`STAGE_SHORT`] cells, for narrow tables.
fn short_stage(stage: Stage) -> String {
    i18n::t(match stage {
        Stage::New => "stage-short-new",
        Stage::WaitingOnContact => "stage-short-on-contact",
        Stage::WaitingOnUs => "stage-short-on-us",
        Stage::Closed => "stage-short-closed",
    })
}

/// One way the table makes room when its columns do not fit.
#[derive(Debug, Clone, Copy)]
enum GiveWay {
    Drop(Column),
    ShortStages,
}

/// What gives way, in this order, until the columns fit: the rarely needed columns, then
/// the long stage labels, then the rest; the number and the subject always stay.
const GIVE_WAY: [GiveWay; 9] = [
    GiveWay::Drop(Column::Inbox),
    GiveWay::Drop(Column::Created),
    GiveWay::ShortStages,
    GiveWay::Drop(Column::Owner),
    GiveWay::Drop(Column::Company),
    GiveWay::Drop(Column::Requester),
    GiveWay::Drop(Column::Updated),
    GiveWay::Drop(Column::Priority),
    GiveWay::Drop(Column::Stage),
];

/// The table's columns laid out in a width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fitted {
    /// The columns shown and their widths; the subject takes the slack.
    pub columns: Vec<(Column, u16)>,
    /// Whether stages show their short labels.
    pub short_stages: bool,
}

impl Fitted {
    /// The columns shown, in order.
    pub fn shown(&self) -> Vec<Column> {
        self.columns.iter().map(|(c, _)| *c).collect()
    }
}

/// The columns of `all` laid out in `width` cells (one cell after each column): what gives
/// way first goes (see [`GIVE_WAY`]) until the rest fit, and the subject takes what is left.
pub fn fitting(all: &[Column], width: u16) -> Fitted {
    let mut cols = all.to_vec();
    let mut short = false;
    let need =
        |cols: &[Column], short: bool| -> u16 { cols.iter().map(|c| c.width(short) + 1).sum() };
    for step in GIVE_WAY {
        if need(&cols, short) <= width {
            break;
        }
        match step {
            GiveWay::Drop(column) => cols.retain(|c| *c != column),
            GiveWay::ShortStages => short = true,
        }
    }
    let others: u16 = cols
        .iter()
        .filter(|c| **c != Column::Subject)
        .map(|c| c.width(short) + 1)
        .sum();
    let subject = width.saturating_sub(others + 1).max(1);
    Fitted {
        columns: cols
            .into_iter()
            .map(|c| match c {
                Column::Subject => (c, subject),
                other => (other, other.width(short)),
            })
            .collect(),
        short_stages: short,
    }
}

/// The sort column after `current` among `shown` (the first when `current` is not shown);
/// `None` when nothing is shown.
pub fn next(shown: &[Column], current: Column) -> Option<Column> {
    let at = shown.iter().position(|c| *c == current);
    let next = at.map_or(0, |n| (n + 1) % shown.len().max(1));
    shown.get(next).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_title_has_room_for_the_sort_arrow() {
        let all = [STAFF.as_slice(), &[Column::Created]].concat();
        for short in [false, true] {
            for c in &all {
                let header = format!("{} ▼", c.title());
                assert!(
                    header.chars().count() <= usize::from(c.width(short)),
                    "{header}"
                );
            }
        }
        for stage in Stage::ALL {
            assert!(short_stage(stage).chars().count() <= usize::from(STAGE_SHORT));
        }
    }

    #[test]
    fn the_sort_cycles_through_the_shown_columns_only() {
        let shown = fitting(&STAFF, 60).shown();
        assert!(!shown.contains(&Column::Owner));
        let mut column = Column::Id;
        let mut seen = Vec::new();
        for _ in 0..shown.len() {
            column = next(&shown, column).unwrap();
            seen.push(column);
        }
        assert!(seen.iter().all(|c| shown.contains(c)));
        assert_eq!(seen.len(), shown.len());
        assert_eq!(
            next(&shown, Column::Owner),
            Some(shown[0]),
            "hidden: back to the first"
        );
        assert_eq!(next(&[], Column::Id), None);
        assert!(
            fitting(&STAFF, 70).shown().contains(&Column::Updated),
            "the default sort column stays in a narrow list"
        );
    }

    #[test]
    fn narrow_tables_drop_the_least_useful_columns() {
        let cols = fitting(&STAFF, 78).shown();
        assert!(cols.contains(&Column::Subject) && cols.contains(&Column::Stage));
        assert!(!cols.contains(&Column::Inbox));
        assert_eq!(fitting(&STAFF, 400).shown(), STAFF);
        assert_eq!(fitting(&STAFF, 5).shown(), [Column::Id, Column::Subject]);
    }

    #[test]
    fn the_subject_takes_the_slack_and_requester_and_company_show_when_there_is_room() {
        let width_of = |f: &Fitted, column| {
            f.columns
                .iter()
                .find(|(c, _)| *c == column)
                .map(|(_, w)| *w)
        };
        assert!(
            !fitting(&STAFF, 130).short_stages,
            "long labels when there is room"
        );
        // 80 columns: the list is 75 cells wide.
        let at_80 = fitting(&STAFF, 75);
        assert!(at_80.short_stages);
        assert!(width_of(&at_80, Column::Subject) >= Some(30), "{at_80:?}");
        // 120 columns, the preview under the list: 115 cells.
        let at_120 = fitting(&STAFF, 115);
        assert!(width_of(&at_120, Column::Subject) >= Some(SUBJECT_MIN));
        for shown in [
            Column::Requester,
            Column::Company,
            Column::Owner,
            Column::Stage,
        ] {
            assert!(at_120.shown().contains(&shown), "{at_120:?}");
        }
        for width in [60, 75, 95, 115, 119, 195] {
            let fitted = fitting(&STAFF, width);
            let used: u16 = fitted.columns.iter().map(|(_, w)| w + 1).sum();
            assert_eq!(used, width, "the columns fill the width: {fitted:?}");
        }
    }
}
