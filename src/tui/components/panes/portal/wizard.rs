//! The setup wizard's steps: each is checked before moving on, and finishing saves every
//! setting at once with `configured: true`.

use super::fields;
use super::form::Form;
use super::save::Saving;
use super::{Portal, STEPS};
use crate::domain::portal::PortalPatch;
use crate::tui::components::Outcome;
use crate::tui::components::widgets::form::Typing;

impl Portal {
    /// Moves the wizard by `delta` steps, validating the current one before going forward.
    pub(super) fn wizard_step(&mut self, delta: i64) -> Outcome {
        let view = self.client.view();
        let Some(mut draft) = self.draft.clone() else {
            return Outcome::Ignored;
        };
        fields::apply(&self.form, &mut draft);
        let forward = delta > 0;
        if forward {
            let mut check = draft.clone();
            check.configured = true;
            let inbox_ids: Vec<i64> = view.inboxes.keys().copied().collect();
            if let Err(e) = check.validate(&view.domains, &inbox_ids)
                && fields::step_of(&e.field) <= self.step + 1
            {
                drop(view);
                self.draft = Some(draft);
                return self.say(fields::explain(&e), true);
            }
            if self.step + 1 == STEPS.len() {
                let base_version = self.base.as_ref().map_or(draft.version, |b| b.version);
                let patch = PortalPatch {
                    name: Some(draft.name.clone()),
                    domain: Some(draft.domain.clone()),
                    slug: Some(draft.slug.clone()),
                    default_inbox_id: draft.default_inbox_id,
                    ticket_permission: Some(draft.ticket_permission.clone()),
                    access: Some(draft.access.clone()),
                    configured: Some(true),
                    ..PortalPatch::default()
                };
                drop(view);
                self.draft = None;
                let saving = Saving::new(
                    "Portal setup",
                    "Portal set up: settings saved.".into(),
                    base_version,
                    "Setting up the portal: saving the settings…".into(),
                );
                let announced = saving.announced();
                self.submit(base_version, patch, saving);
                self.step = 0;
                self.form = Form::default();
                return self.say(announced, false);
            }
        }
        let step = if forward {
            self.step + 1
        } else {
            self.step.saturating_sub(1)
        };
        self.form = Form::new(fields::rows(STEPS[step].0, &draft, &view), Typing::OnEdit);
        drop(view);
        self.step = step;
        self.draft = Some(draft);
        self.message = None;
        Outcome::Changed
    }
}
