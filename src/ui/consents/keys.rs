//! The consent screen's keys, as [`AppState`] methods: move, open a record, save it, and
//! print the forms.

use crate::i18n::Tr;
use crate::ui::intake::fields::FieldId;
use crate::ui::keymap::Action;
use crate::ui::{AppState, Command, Outcome};

impl AppState {
    /// The consent forms of the case, pre-filled for signature, in the language of the papers.
    pub(crate) fn consent_forms(&self) -> Outcome {
        match self.evaluation() {
            Some(e) if !e.consents.is_empty() => {
                let tr = Tr::new(self.document_language());
                let paper = super::forms_paper(
                    &self.case,
                    e,
                    &self.rules,
                    self.center.as_deref(),
                    self.session.training,
                    &tr,
                );
                Outcome::command(Command::PrintConsentForms(paper))
            }
            _ => Outcome::unchanged(),
        }
    }

    /// The consent screen's list: move, or open the selected consent (the applicant's own
    /// personal-data consent comes filled in from the intake).
    pub(crate) fn consent_key(&mut self, action: Action) -> Outcome {
        let Some(evaluation) = self.evaluation() else {
            return Outcome::unchanged();
        };
        let required = super::lines(evaluation, &self.case.consents);
        match action {
            Action::ListUp => {
                self.consents.up();
            }
            Action::ListDown => {
                self.consents.down(required.len());
            }
            _ => {
                let Some(r) = required.get(self.consents.selected) else {
                    return Outcome::unchanged();
                };
                let mut editor = super::ConsentEditor::new(
                    &r.key,
                    &r.party,
                    self.case.consents.get(&r.key),
                    self.today,
                );
                let fresh = !self.case.consents.contains_key(&r.key);
                if fresh && r.party == "applicant" {
                    editor.prefill(
                        self.case.get(FieldId::Surname),
                        self.case.get(FieldId::GivenName),
                        self.case.get(FieldId::Patronymic),
                        self.case.get(FieldId::Iin),
                    );
                } else if fresh
                    && matches!(r.party.as_str(), "legal_representative" | "attorney")
                    && self.case.represented()
                {
                    // The person acting for the applicant consents: known from the intake
                    // (the full name as typed there: surname, first name, the rest).
                    let name = self.case.get(FieldId::RepresentativeName);
                    let mut parts = name.split_whitespace();
                    let surname = parts.next().unwrap_or("");
                    let given = parts.next().unwrap_or("");
                    let rest = parts.collect::<Vec<_>>().join(" ");
                    editor.prefill(
                        surname,
                        given,
                        &rest,
                        self.case.get(FieldId::RepresentativeIin),
                    );
                }
                self.consents.editor = Some(editor);
            }
        }
        Outcome::redraw()
    }

    /// Saves the consent being edited. One person, one record: the IINs of the other records
    /// (and, for the owner's and co-owners' consents, the applicant's) may not come again.
    pub(crate) fn save_consent(&mut self) -> Outcome {
        let Some(editor) = self.consents.editor.as_mut() else {
            return Outcome::unchanged();
        };
        let key = editor.key.clone();
        let mut others: Vec<String> = self
            .case
            .consents
            .iter()
            .filter(|(k, r)| **k != key && !r.iin.is_empty())
            .map(|(_, r)| r.iin.clone())
            .collect();
        if super::is_dwelling_consent(key.split('#').next().unwrap_or("")) {
            others.push(self.case.get(FieldId::Iin).to_owned());
        }
        let operator = self.session.operator.clone().unwrap_or_default();
        let Some(record) = editor.finish(self.today, &operator, &others) else {
            return Outcome::redraw();
        };
        let mut commands = vec![Command::SaveDraftNow];
        if editor.revokes(&record) {
            let details = serde_json::json!({ "consent": key }).to_string();
            commands.push(Command::Audit("consent.revoke".into(), details));
        }
        self.consents.editor = None;
        self.case.consents.insert(key, record);
        self.refresh();
        Outcome {
            redraw: true,
            commands,
        }
    }
}
