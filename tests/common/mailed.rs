//! A ticket that came by mail, put straight into a server's store as the mail listener would
//! (source email, its CCs, the mail's Cc list, the mail kept whole): what the renders of a
//! mailed ticket's thread, CCs and original start from.

use deskport::domain::{Priority, Source};
use deskport::server::store::{InboundAction, InboundMail, NewTicket, Requester, Store};

/// The requester of the mailed ticket.
pub const CARLA: &str = "carla@acme.test";

/// Opens "Badge reader broken" as Carla's mail `raw` (Message-ID `<open@client.test>`)
/// would, copying the contacts `ccs` and listing the mail's `cc`; returns the ticket's id.
pub async fn badge_reader_by_mail(
    store: &dyn Store,
    raw: &str,
    ccs: Vec<i64>,
    cc: Vec<String>,
) -> i64 {
    let carla = store
        .contact_by_email(CARLA.into())
        .await
        .unwrap()
        .expect("Carla");
    let opened = store
        .receive_mail(InboundMail {
            message_id: "<open@client.test>".into(),
            sender: CARLA.into(),
            subject: "Badge reader broken".into(),
            raw: raw.into(),
            action: InboundAction::Open {
                requester: Requester::Known(carla.id),
                ticket: Box::new(NewTicket {
                    subject: "Badge reader broken".into(),
                    description: "None of us can get in.".into(),
                    category: String::new(),
                    priority: Priority::Medium,
                    contact_id: carla.id,
                    source: Source::Email,
                    form_fields: Default::default(),
                    tags: vec![],
                    inbox_id: None,
                    owner_id: None,
                }),
                confirm: false,
                ccs,
                cc,
            },
        })
        .await
        .unwrap();
    opened.ticket_id().expect("opened")
}
