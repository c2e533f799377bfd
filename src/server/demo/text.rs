//! The fixed texts of the demo tickets (topics, message phrases, the shapes of threads) and
//! the small date helpers the generator uses.

use super::{DAY, Rng};
use crate::domain::Stage;

/// A kind of request. `{n}` in a subject becomes an invoice number.
pub struct Topic {
    /// Two ways customers phrase it.
    pub subjects: [&'static str; 2],
    /// Category (one of the support form's `category` options).
    pub category: &'static str,
    /// The sentence that explains the problem.
    pub detail: &'static str,
    /// A tag staff usually add, if any.
    pub tag: Option<&'static str>,
}

const fn t(
    s: [&'static str; 2],
    category: &'static str,
    detail: &'static str,
    tag: Option<&'static str>,
) -> Topic {
    Topic {
        subjects: s,
        category,
        detail,
        tag,
    }
}

/// Every topic. Billing topics have category `billing`. Only the `incident` topics mention an
/// outage or something being down (a routing rule looks for those words).
#[rustfmt::skip]
pub const TOPICS: &[Topic] = &[
    t(["Printer on the 3rd floor won't print", "Office printer stuck in offline mode"], "technical", "The shared printer shows as offline for everyone on our floor and restarting it did not help.", None),
    t(["VPN disconnects every few minutes", "Can't connect to the VPN from home"], "technical", "The VPN client connects and then drops the connection after a few minutes.", None),
    t(["Password reset email never arrives", "Password reset link says it has expired"], "account", "I requested a password reset several times but cannot get into my account.", None),
    t(["Locked out after too many login attempts", "Account locked, need access today"], "account", "My account got locked after a few wrong passwords and I have a deadline today.", None),
    t(["API returns 429 Too Many Requests", "Hitting the API rate limit during nightly sync"], "technical", "Our nightly job calls the API about 20 times a second and starts getting 429 responses.", Some("api")),
    t(["Webhook deliveries failing with timeouts", "Webhooks arrive twice for one event"], "technical", "Our webhook endpoint logs show retries for events we already acknowledged.", Some("api")),
    t(["CSV export is missing the last column", "Export to CSV stops at 10,000 rows"], "technical", "The exported file is incomplete compared with what we see on screen.", Some("bug")),
    t(["Dashboard loads very slowly", "Reports page takes over a minute to open"], "technical", "Loading the main dashboard takes far longer than it used to.", None),
    t(["Two-factor codes not accepted", "Lost my phone with the 2FA app"], "account", "The six-digit codes from my authenticator app are rejected every time.", None),
    t(["SSO login loops back to the sign-in page", "SAML login fails for new employees"], "account", "After signing in with our identity provider we end up on the sign-in page again.", None),
    t(["Mobile app crashes on startup", "App crashes when opening an attachment"], "technical", "The app closes immediately on two different phones.", Some("bug")),
    t(["Email notifications stopped arriving", "Notification emails land in spam"], "technical", "Nobody on our team has received a notification email since last week.", None),
    t(["Search returns no results for existing records", "Search ignores accented characters"], "technical", "Searching for records we know exist returns nothing.", Some("bug")),
    t(["Calendar sync duplicates events", "Outlook calendar sync stopped working"], "technical", "Every meeting shows up two or three times in the synced calendar.", None),
    t(["Upload fails for large PDF attachments", "Attachment upload stuck at 99%"], "technical", "Files above roughly 20 MB never finish uploading.", None),
    t(["Outage: portal returns 502 errors", "Service outage in the EU region"], "technical", "None of our users can reach the service right now; every page returns an error.", Some("incident")),
    t(["Checkout page is down", "Our storefront is down since this morning"], "technical", "Customers cannot complete orders and we are losing sales.", Some("incident")),
    t(["Slack integration stopped posting", "Teams channel no longer gets updates"], "technical", "The integration was working fine until yesterday and now posts nothing.", None),
    t(["Data import stuck at 0%", "Import fails with an unknown column error"], "technical", "We uploaded our customer list and the import never makes progress.", None),
    t(["Scheduled report uses the wrong time zone", "Weekly report arrives a day late"], "technical", "The times in the scheduled report are off by several hours.", None),
    t(["Broken link in the welcome email", "Typo on the login page"], "other", "A small thing, but new colleagues keep asking us about it.", None),
    t(["Feature request: dark mode", "Feature request: bulk edit of records"], "other", "It would save our team a lot of time every day.", Some("feature-request")),
    t(["Question about data retention", "Where is our data hosted?"], "other", "Our compliance team needs this answered for the annual audit.", None),
    t(["How do we add a new team member?", "Add three more seats for new hires"], "account", "We have new starters next Monday and they need access.", None),
    t(["Remove a former employee's access", "Deactivate user who left the company"], "account", "This person left last Friday and must not be able to sign in any more.", None),
    t(["Change the account owner", "Transfer admin rights to a colleague"], "account", "Our current admin is leaving and the role should move to me.", None),
    t(["GDPR data export request", "Please delete my personal data"], "other", "I would like to exercise my rights under the GDPR.", Some("privacy")),
    t(["Invoice {n} shows the wrong VAT number", "Invoice {n} has the wrong amount"], "billing", "The invoice does not match what we agreed in our contract.", None),
    t(["Duplicate charge on our card", "Charged twice this month"], "billing", "Our card statement shows the same subscription charge twice.", Some("refund")),
    t(["Refund for unused seats", "Requesting a refund for the annual plan"], "billing", "We reduced our team and are paying for seats nobody uses.", Some("refund")),
    t(["Need a copy of last month's invoice", "Please resend invoice {n}"], "billing", "Our accounting department cannot find it in the mailbox.", None),
    t(["Upgrade from Standard to Gold plan", "Pricing for the Gold plan"], "billing", "We would like to upgrade before our next billing cycle.", None),
    t(["Cancel our subscription at renewal", "Do not renew our contract"], "billing", "Please make sure we are not charged for another year.", None),
    t(["Payment failed but the card is valid", "Card declined on renewal"], "billing", "The bank confirms the card works and has no blocks.", None),
    t(["Purchase order number missing on invoice {n}", "Add our PO number to future invoices"], "billing", "Our finance team cannot process invoices without the PO reference.", None),
    t(["Switch billing to annual", "Move us to monthly billing"], "billing", "We want to change how often we are billed from the next period.", None),
    t(["Pro-rated charge looks wrong", "Unexpected charge after adding a seat"], "billing", "The amount charged mid-cycle is higher than we expected.", None),
    t(["Tax exemption certificate attached", "We are VAT exempt, please update"], "billing", "We are a registered non-profit and should not be charged sales tax.", None),
    t(["Service credit request for last week's incident", "SLA credit for missed uptime"], "billing", "Our contract promises a service credit when availability drops below 99.9%.", Some("refund")),
    t(["Update company address on invoices", "Company name changed after merger"], "billing", "Our legal entity and address changed last month.", None),
];

/// Opening sentences a description may start with.
pub const OPENERS: &[&str] = &[
    "Hello, hoping you can help with this.",
    "We noticed this earlier today.",
    "This started after the latest update.",
    "A colleague reported this first.",
    "Sorry to bother you again.",
];

/// Closing sentences a description may end with.
pub const CLOSERS: &[&str] = &[
    "It is blocking several people on our team.",
    "Happy to jump on a call if that helps.",
    "Screenshots are available on request.",
    "Could you take a look when you get a chance?",
    "This is fairly urgent for us.",
];

/// Internal notes on technical and account tickets.
pub const NOTES: &[&str] = &[
    "Checked the logs: the errors line up with Tuesday's deploy.",
    "Reproduced on staging. Needs a config change on our side.",
    "Looks like a duplicate of an earlier ticket from the same company; linking them.",
    "Escalated to engineering, waiting on an ETA for the fix.",
    "Do not share the internal incident doc with the customer.",
    "Important account, keep them posted even if there is no news.",
];

/// Internal notes on billing tickets.
pub const BILLING_NOTES: &[&str] = &[
    "Finance confirmed the charge; refund approved up to the full amount.",
    "Contract says net 30; check with the account manager before crediting.",
    "Customer has two overdue invoices, do not offer a discount.",
    "Billing system shows the change was applied on the wrong date.",
];

/// Agent replies that ask the customer for something.
pub const ASKS: &[&str] = &[
    "Thanks for reaching out! Could you send us a screenshot of the error and the time it happened?",
    "Could you tell us which browser and version you are using?",
    "We have applied a fix on our side. Could you try again and let us know if it works now?",
    "Could you confirm the email address on the account so we can look it up?",
    "Thanks for the details. Does this happen for everyone on your team or only for you?",
];

/// Customer replies that add information.
pub const INFOS: &[&str] = &[
    "Here is the screenshot you asked for. It happened around 10:15 this morning.",
    "We are on the latest Chrome on Windows 11.",
    "Tried again just now and it is still happening.",
    "One more detail: it only happens for people in our Berlin office.",
    "It affects the whole team, about twelve people.",
];

/// Customer replies after a fix.
pub const THANKS: &[&str] = &[
    "That fixed it, thank you!",
    "All good now, thanks for the quick help.",
    "Confirmed, it works on our side. Much appreciated.",
];

/// Agent replies that resolve a technical or account ticket.
pub const RESOLVES: &[&str] = &[
    "We have fixed the root cause and everything should be back to normal. I'm closing this ticket; just reply if anything comes up.",
    "We have updated the settings on your account, so you should be all set.",
    "The fix is live for everyone now. Thanks for your patience!",
];

/// Agent replies that resolve a billing ticket.
pub const BILLING_RESOLVES: &[&str] = &[
    "The refund has been issued and should show up within 5–7 business days.",
    "We have sent a corrected invoice to your billing contact.",
    "Your billing details are updated and will apply from the next invoice.",
];

/// What one message of a demo thread is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An internal note by staff.
    Note,
    /// An agent asks the customer something.
    Ask,
    /// The customer adds information.
    Info,
    /// The customer thanks us after a fix.
    Thanks,
    /// An agent resolves the ticket.
    Resolve,
}

/// A thread of `len` (0–4) messages that fits the stage: the last public message of a ticket
/// waiting on the contact is ours, of one waiting on us theirs. Threads of 3+ hold a note.
pub fn thread(stage: Stage, len: usize) -> &'static [Kind] {
    use Kind::*;
    const NEW: [&[Kind]; 5] = [
        &[],
        &[Note],
        &[Info, Note],
        &[Note, Info, Note],
        &[Info, Note, Info, Note],
    ];
    const WOC: [&[Kind]; 5] = [
        &[],
        &[Ask],
        &[Note, Ask],
        &[Info, Note, Ask],
        &[Note, Ask, Info, Ask],
    ];
    const WOU: [&[Kind]; 5] = [
        &[],
        &[Info],
        &[Ask, Info],
        &[Ask, Info, Note],
        &[Note, Ask, Info, Note],
    ];
    const CLOSED: [&[Kind]; 5] = [
        &[],
        &[Resolve],
        &[Resolve, Thanks],
        &[Note, Resolve, Thanks],
        &[Ask, Info, Note, Resolve],
    ];
    let len = len.min(4);
    match stage {
        Stage::New => NEW[len],
        Stage::WaitingOnContact => WOC[len],
        Stage::WaitingOnUs => WOU[len],
        Stage::Closed => CLOSED[len],
    }
}

/// The texts a message of this kind is picked from.
pub fn texts(kind: Kind, billing: bool) -> &'static [&'static str] {
    match (kind, billing) {
        (Kind::Note, false) => NOTES,
        (Kind::Note, true) => BILLING_NOTES,
        (Kind::Ask, _) => ASKS,
        (Kind::Info, _) => INFOS,
        (Kind::Thanks, _) => THANKS,
        (Kind::Resolve, false) => RESOLVES,
        (Kind::Resolve, true) => BILLING_RESOLVES,
    }
}

/// Subject and a 1–3 sentence description for a ticket about `topic`.
pub fn words(topic: &Topic, rng: &mut Rng) -> (String, String) {
    let mut subject = rng.pick(&topic.subjects).to_string();
    if subject.contains("{n}") {
        subject = subject.replace("{n}", &format!("INV-{}", 10_000 + rng.below(90_000)));
    }
    let mut description = String::new();
    if rng.chance(40) {
        description.push_str(rng.pick::<&str>(OPENERS));
        description.push(' ');
    }
    description.push_str(topic.detail);
    if rng.chance(50) {
        description.push(' ');
        description.push_str(rng.pick::<&str>(CLOSERS));
    }
    (subject, description)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub const fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = (if y >= 0 { y } else { y - 399 }) / 400;
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix seconds as RFC 3339 UTC with milliseconds, e.g. `2026-10-03T14:22:05.000Z`.
pub fn rfc3339(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(DAY), secs.rem_euclid(DAY));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let (h, mi, s) = (rem / 3_600, rem % 3_600 / 60, rem % 60);
    // Digit by digit rather than `format!`: the 100k-ticket demo formats a few hundred
    // thousand of these.
    let mut out = String::with_capacity(24);
    for (value, width, then) in [
        (y, 4, '-'),
        (m, 2, '-'),
        (d, 2, 'T'),
        (h, 2, ':'),
        (mi, 2, ':'),
        (s, 2, '.'),
    ] {
        for place in (0..width).rev() {
            let digit = value.unsigned_abs() / 10u64.pow(place) % 10;
            out.push(char::from(b'0' + digit as u8));
        }
        out.push(then);
    }
    out.push_str("000Z");
    out
}
