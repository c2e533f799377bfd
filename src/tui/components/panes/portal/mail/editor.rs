//! The mail template editor of the Mail section: pick a mail (created, staff reply, closed,
//! assigned) and a language, edit its subject and body, and see it filled in for a sample
//! ticket by the same code the server mails with (`domain::mail::render`). Edits to several
//! mails are kept until they are saved together with the portal settings (`PATCH /portal`).

use super::super::form::{FieldId, Form, Value};
use super::super::values::{field, opt};
use crate::domain::error::ValidationError;
use crate::domain::mail::{
    EmailSettings, MailEvent, MailTemplate, MailValues, RenderedMail, render,
};
use crate::domain::portal::PortalSettings;
use crate::tui::components::widgets::form::Typing;

/// The languages whose default wording the editor starts from.
const LANGUAGES: [(&str, &str); 2] = [("en", "English"), ("it", "Italian")];

/// What the editor calls each mail.
pub fn event_label(event: MailEvent) -> &'static str {
    match event {
        MailEvent::TicketCreated => "ticket created",
        MailEvent::StaffReply => "staff reply",
        MailEvent::TicketClosed => "ticket closed",
        MailEvent::AssignedToYou => "assigned to you",
    }
}

/// A row the last save refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The mail it is about.
    pub event: MailEvent,
    /// The row (subject or body).
    pub row: FieldId,
    /// The reason, with the known placeholders when one was unknown.
    pub text: String,
}

/// The editor's rows and the edits made so far.
#[derive(Debug, Clone, Default)]
pub struct Editor {
    /// Mail, language, subject and body.
    pub form: Form,
    /// The portal's email settings with the edits of mails no longer shown.
    draft: EmailSettings,
    /// The row the last save refused.
    pub error: Option<RowError>,
}

impl Editor {
    /// An editor over `settings`, on the first mail, starting from `language`'s wording.
    pub fn new(settings: &EmailSettings, language: &str) -> Self {
        let events = MailEvent::ALL
            .iter()
            .map(|e| opt(e.as_str(), event_label(*e)))
            .collect();
        let languages = LANGUAGES.iter().map(|(v, l)| opt(v, l)).collect();
        let primary = language.split(['-', '_']).next().unwrap_or("en");
        let form = Form::new(
            vec![
                field(FieldId::MailEvent, "Mail", Value::choice(events, "")),
                field(
                    FieldId::MailLanguage,
                    "Language",
                    Value::choice(languages, primary),
                ),
                field(FieldId::MailSubject, "Subject", Value::text("")),
                field(FieldId::MailBody, "Body", Value::Lines(String::new())),
            ],
            Typing::OnEdit,
        );
        let mut editor = Editor {
            form,
            draft: settings.clone(),
            error: None,
        };
        editor.fill();
        editor
    }

    /// The mail shown.
    pub fn event(&self) -> MailEvent {
        MailEvent::parse(self.form.get(FieldId::MailEvent)).unwrap_or(MailEvent::TicketCreated)
    }

    /// The language whose default wording is shown where the portal has none of its own.
    pub fn language(&self) -> &str {
        self.form.get(FieldId::MailLanguage)
    }

    /// Shows `event`'s template, keeping the edits made to the one shown.
    pub fn show(&mut self, event: MailEvent) {
        if event == self.event() {
            return;
        }
        self.draft = self.edited();
        if let Some(f) = self
            .form
            .fields
            .iter_mut()
            .find(|f| f.id == FieldId::MailEvent)
            && let Value::Choice { options, at } = &mut f.value
        {
            *at = options
                .iter()
                .position(|(v, _)| v == event.as_str())
                .unwrap_or(0);
        }
        self.fill();
    }

    /// Whether the mail shown has the portal's own wording (else a language's default).
    pub fn own_wording(&self) -> bool {
        self.edited().templates.contains_key(&self.event())
    }

    /// Puts the shown mail's template, as the draft has it, into the subject and body rows.
    fn fill(&mut self) {
        let template = self.draft.template(self.event(), self.language());
        self.form.set_text(FieldId::MailSubject, &template.subject);
        if let Some(f) = self
            .form
            .fields
            .iter_mut()
            .find(|f| f.id == FieldId::MailBody)
        {
            f.value = Value::Lines(template.body);
        }
    }

    /// The template the rows hold; `body` is the text being typed when the body is edited.
    pub fn template(&self, body: Option<String>) -> MailTemplate {
        MailTemplate {
            subject: self.form.get(FieldId::MailSubject).to_string(),
            body: body.unwrap_or_else(|| self.form.get(FieldId::MailBody).to_string()),
        }
    }

    /// The email settings with every edit: the shown mail's wording becomes the portal's own
    /// only when it differs from what it would otherwise get.
    pub fn edited(&self) -> EmailSettings {
        let mut out = self.draft.clone();
        let shown = self.template(None);
        if shown != out.template(self.event(), self.language()) {
            out.templates.insert(self.event(), shown);
        }
        out
    }

    /// Cycles the selected choice; picking another mail or language keeps the edits made and
    /// shows that mail's wording.
    pub fn cycle(&mut self) -> bool {
        let picking = matches!(
            self.form.current().map(|f| f.id),
            Some(FieldId::MailEvent | FieldId::MailLanguage)
        );
        if !picking {
            return self.form.cycle();
        }
        self.draft = self.edited();
        let cycled = self.form.cycle();
        self.fill();
        cycled
    }

    /// The edits as settings to save, or the row the domain's rules refuse and why.
    pub fn check(&self) -> Result<EmailSettings, RowError> {
        let edited = self.edited();
        edited.validate().map_err(|e| self.row_error(&e))?;
        Ok(edited)
    }

    /// The row a validation error names (`email.templates.<event>.<subject|body>`).
    fn row_error(&self, e: &ValidationError) -> RowError {
        let mut parts = e.field.rsplit('.');
        let row = match parts.next() {
            Some("body") => FieldId::MailBody,
            _ => FieldId::MailSubject,
        };
        let event = parts
            .next()
            .and_then(MailEvent::parse)
            .unwrap_or(self.event());
        RowError {
            event,
            row,
            text: e.message.clone(),
        }
    }

    /// Who the preview's mail goes to: the sample ticket's requester, or for an assignment
    /// its agent.
    pub fn recipient(&self) -> &'static str {
        match self.event() {
            MailEvent::AssignedToYou => "Sam Agent",
            _ => "Carla Rossi",
        }
    }

    /// The mail as the sample ticket's requester (or, for an assignment, its agent) would get
    /// it from `settings`' portal, with `body` the text being typed, if any.
    pub fn preview(&self, settings: &PortalSettings, body: Option<String>) -> RenderedMail {
        let event = self.event();
        let values = MailValues {
            ticket_number: 1042,
            subject: "Invoice shows the wrong VAT".into(),
            recipient_name: self.recipient().into(),
            requester: "Carla Rossi".into(),
            portal_url: settings.portal_url(),
            portal_name: settings.name.clone(),
            message: match event {
                MailEvent::StaffReply => {
                    "We corrected the VAT; the new invoice is attached.".into()
                }
                _ => String::new(),
            },
        };
        render(&self.template(body), &values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn select(editor: &mut Editor, id: FieldId) {
        editor.form.focus = editor
            .form
            .fields
            .iter()
            .position(|f| f.id == id)
            .expect("row");
    }

    #[test]
    fn picking_a_mail_keeps_the_edits_and_shows_its_wording() {
        let mut editor = Editor::new(&EmailSettings::default(), "it-IT");
        assert!(
            editor
                .form
                .get(FieldId::MailSubject)
                .starts_with("Abbiamo ricevuto")
        );
        editor
            .form
            .set_text(FieldId::MailSubject, "Ricevuta: {subject}");
        select(&mut editor, FieldId::MailEvent);
        assert!(editor.cycle());
        assert_eq!(editor.event(), MailEvent::StaffReply);
        assert_eq!(editor.form.get(FieldId::MailSubject), "Re: {subject}");
        let edited = editor.edited();
        assert_eq!(
            edited.templates.len(),
            1,
            "only the changed mail is the portal's own"
        );
        assert_eq!(
            edited.templates[&MailEvent::TicketCreated].subject,
            "Ricevuta: {subject}"
        );
        select(&mut editor, FieldId::MailLanguage);
        editor.cycle();
        assert_eq!(editor.form.get(FieldId::MailSubject), "Re: {subject}");
        assert!(!editor.own_wording());
    }

    #[test]
    fn an_unknown_placeholder_is_refused_on_its_row_with_the_known_ones() {
        let mut editor = Editor::new(&EmailSettings::default(), "en");
        editor.form.set_text(FieldId::MailSubject, "Hi {nickname}");
        let error = editor.check().expect_err("refused");
        assert_eq!(
            (error.event, error.row),
            (MailEvent::TicketCreated, FieldId::MailSubject)
        );
        assert!(error.text.contains("{nickname}") && error.text.contains("{ticket_number}"));
    }

    #[test]
    fn the_preview_is_the_servers_rendering_of_the_sample_ticket() {
        let editor = Editor::new(&EmailSettings::default(), "en");
        let settings = PortalSettings::unconfigured("help.example.com");
        let mail = editor.preview(
            &settings,
            Some("Dear {first_name}, see {portal_url}".into()),
        );
        assert_eq!(
            mail.subject,
            "[#1042] We received your request: Invoice shows the wrong VAT"
        );
        assert_eq!(
            mail.body,
            format!("Dear Carla, see {}", settings.portal_url())
        );
    }
}
