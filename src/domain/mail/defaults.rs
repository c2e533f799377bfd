//! The templates every portal starts with, in English and Italian.

use super::{MailEvent, MailTemplate};
use crate::domain::i18n::Language;

/// The default template of `event` in `language` (`it`, `it-IT`, … are Italian; any language
/// deskport does not ship gets English), chosen by the catalogue's one rule.
pub fn template(event: MailEvent, language: &str) -> MailTemplate {
    let (subject, body) = match Language::or_english(language) {
        Language::Italian => italian_text(event),
        Language::English => english_text(event),
    };
    MailTemplate {
        subject: subject.into(),
        body: body.into(),
    }
}

fn english_text(event: MailEvent) -> (&'static str, &'static str) {
    match event {
        MailEvent::TicketCreated => (
            "We received your request: {subject}",
            "Hello {first_name},\n\n\
             we received your request \"{subject}\". Its number is {ticket_number}.\n\
             You can follow it at {portal_url}, or answer this email.\n\n\
             {portal_name}\n",
        ),
        MailEvent::StaffReply => (
            "Re: {subject}",
            "Hello {first_name},\n\n{message}\n\n\
             Answer this email or reply at {portal_url}.\n\n{portal_name}\n",
        ),
        MailEvent::TicketClosed => (
            "Closed: {subject}",
            "Hello {first_name},\n\n\
             your request \"{subject}\" (number {ticket_number}) is now closed.\n\
             If you still need help, answer this email or reply at {portal_url}:\n\
             the request opens again.\n\n{portal_name}\n",
        ),
        MailEvent::AssignedToYou => (
            "Assigned to you: {subject}",
            "Hello {first_name},\n\n\
             ticket {ticket_number} \"{subject}\" from {requester} is now assigned to you.\n\n\
             {portal_name}\n",
        ),
    }
}

fn italian_text(event: MailEvent) -> (&'static str, &'static str) {
    match event {
        MailEvent::TicketCreated => (
            "Abbiamo ricevuto la tua richiesta: {subject}",
            "Ciao {first_name},\n\n\
             abbiamo ricevuto la tua richiesta \"{subject}\". Il suo numero è {ticket_number}.\n\
             Puoi seguirla su {portal_url}, oppure rispondere a questa email.\n\n\
             {portal_name}\n",
        ),
        MailEvent::StaffReply => (
            "Re: {subject}",
            "Ciao {first_name},\n\n{message}\n\n\
             Rispondi a questa email oppure su {portal_url}.\n\n{portal_name}\n",
        ),
        MailEvent::TicketClosed => (
            "Chiusa: {subject}",
            "Ciao {first_name},\n\n\
             la tua richiesta \"{subject}\" (numero {ticket_number}) è stata chiusa.\n\
             Se hai ancora bisogno di aiuto, rispondi a questa email oppure su {portal_url}:\n\
             la richiesta verrà riaperta.\n\n{portal_name}\n",
        ),
        MailEvent::AssignedToYou => (
            "Assegnato a te: {subject}",
            "Ciao {first_name},\n\n\
             il ticket {ticket_number} \"{subject}\" di {requester} ora è assegnato a te.\n\n\
             {portal_name}\n",
        ),
    }
}
