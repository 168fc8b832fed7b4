//! The intake form's answers to the rest of the desk, as [`AppState`] methods: what a change
//! of a field asks for (evaluate again, save the draft, look the IIN up), and what the
//! database knows of the IIN typed.

use chrono::NaiveDate;

use super::fields::FieldId;
use crate::i18n::Message;
use crate::ui::{AppState, Command, IinKnown, Outcome};

impl AppState {
    /// The database knows the person whose IIN was typed as the representative's: their name
    /// goes into the empty name field (nothing typed is overwritten).
    pub(crate) fn representative_known(&mut self, iin: &str, name: String) -> Outcome {
        if self.case.get(FieldId::RepresentativeIin) != iin
            || self.case.has(FieldId::RepresentativeName)
        {
            return Outcome::unchanged();
        }
        self.case.set(FieldId::RepresentativeName, name);
        self.refresh();
        self.show_notice(Message::new("intake.known_representative"));
        Outcome {
            redraw: true,
            commands: vec![Command::SaveDraftNow],
        }
    }

    pub(crate) fn after_intake(&mut self, changed: super::Changed) -> Outcome {
        let mut commands = Vec::new();
        if let Some(iin) = changed.representative_to_look_up.clone() {
            commands.push(Command::LookUpRepresentative(iin));
        }
        if let Some(iin) = changed.iin_to_look_up.clone() {
            commands.push(Command::LookUpIin(iin));
        }
        if changed.value {
            self.refresh();
            commands.push(Command::SaveDraftSoon);
        }
        if changed.left_field {
            self.refresh();
            commands.push(Command::SaveDraftNow);
        }
        Outcome {
            redraw: changed.redraw || changed.value || changed.left_field,
            commands,
        }
    }

    /// Takes over what the database knows of the IIN typed: a recorded applicant fills the
    /// fields still empty (nothing typed is overwritten); an open application or another open
    /// draft is pointed out, with Ctrl+O to resume the draft instead of starting a duplicate.
    pub(crate) fn iin_known(&mut self, known: IinKnown) -> Outcome {
        if self.case.get(FieldId::Iin) != known.iin {
            return Outcome::unchanged(); // the IIN changed meanwhile
        }
        let mut commands = Vec::new();
        if let Some(a) = &known.applicant {
            let birth = a
                .birth_date
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .map(|d| d.format("%d.%m.%Y").to_string());
            for (id, value) in [
                (FieldId::Surname, Some(a.surname.clone())),
                (FieldId::GivenName, Some(a.given_name.clone())),
                (FieldId::Patronymic, a.patronymic.clone()),
                (FieldId::BirthDate, birth),
                (FieldId::Sex, a.sex.clone()),
                (FieldId::Status, Some(a.status.clone())),
                (FieldId::Capacity, Some(a.capacity.clone())),
            ] {
                if let Some(value) = value
                    && !self.case.has(id)
                {
                    self.case.set(id, value);
                }
            }
            self.intake.focus_on(&self.case, self.intake.focus);
            self.refresh();
            self.show_notice(Message::new("intake.known_applicant"));
            commands.push(Command::SaveDraftNow);
        }
        if let Some((number, address)) = known.registered.first() {
            // Already registered: at this address there is nothing to do; elsewhere a new
            // permanent registration replaces the old one.
            let tr = self.tr();
            let here = crate::case::submission::address_of(&self.case);
            let same = here.street.is_some()
                && crate::print::address::in_words(&here, &tr)
                    == crate::print::address::in_words(address, &tr);
            self.show_notice(
                Message::new(if same {
                    "intake.registered_here"
                } else {
                    "intake.registered_elsewhere"
                })
                .arg("number", number)
                .arg("address", crate::print::address::in_words(address, &tr)),
            );
        }
        if let Some((number, status)) = known.applications.first() {
            self.show_notice(
                Message::new("intake.open_application")
                    .arg("number", number)
                    .arg_key(
                        "status",
                        crate::core::ApplicationStatus::from_code(status)
                            .map_or("checklist.none", |s| s.message_key()),
                    ),
            );
        }
        self.offered_draft = known
            .drafts
            .iter()
            .find(|d| Some(d.id) != self.draft_id)
            .cloned();
        if let Some(draft) = &self.offered_draft {
            self.show_notice(Message::new("intake.open_draft").arg("when", &draft.when));
        }
        Outcome {
            redraw: true,
            commands,
        }
    }
}
