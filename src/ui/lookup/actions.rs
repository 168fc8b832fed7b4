//! The lookup screen's keys and answers, as [`AppState`] methods: what a key does to the
//! search, the lists and the record view, and which commands it asks for.

use super::editor::{EditorAction, RecordEditor};
use super::{DUE_DAYS, Found, Listing, RecordState};
use crate::i18n::{Message, Tr};
use crate::records::ApplicationRecord;
use crate::ui::keymap::{Action, Context};
use crate::ui::{AppState, Command, Outcome};

/// Lines the record view moves on PageUp/PageDown, and results per page of the list.
const RECORD_PAGE: u16 = 10;
const LIST_PAGE: usize = 10;

impl AppState {
    /// A new query for what the box says now (none when there is nothing to search).
    pub(crate) fn lookup_query(&mut self) -> Outcome {
        if self.lookup.listing == Listing::Audit {
            let query = self.lookup.audit_query(self.today, self.utc_offset);
            return Outcome::command(Command::LoadAudit(Box::new(query)));
        }
        match self.lookup.new_query(self.today, self.utc_offset) {
            Some(job) => Outcome::command(Command::Lookup(Box::new(job))),
            None => Outcome::redraw(),
        }
    }

    /// The lists load when they are shown.
    fn load_listing(&mut self) -> Outcome {
        match self.lookup.listing {
            Listing::Search => self.lookup_query(),
            Listing::EndingSoon => Outcome::command(Command::LoadDue {
                follow_ups: false,
                days: DUE_DAYS,
            }),
            Listing::FollowUps => Outcome::command(Command::LoadDue {
                follow_ups: true,
                days: DUE_DAYS,
            }),
            Listing::Summary => {
                if let Some(refusal) = self.refused(crate::core::Permission::DailySummary) {
                    self.lookup.listing = Listing::Search;
                    return refusal;
                }
                self.lookup.summary = None;
                Outcome::command(Command::LoadSummary(self.today))
            }
            Listing::Accounts => {
                if let Some(refusal) = self.refused(crate::core::Permission::ManageOperators) {
                    self.lookup.listing = Listing::Search;
                    return refusal;
                }
                Outcome::command(Command::LoadAccounts)
            }
            Listing::Center => {
                // The center profile is the real center's file: never edited from a training
                // desk, whoever signed in there.
                if self.session.training {
                    self.lookup.listing = Listing::Search;
                    self.show_notice(crate::i18n::Message::new("lookup.center_not_in_training"));
                    return Outcome::redraw();
                }
                if let Some(refusal) = self.refused(crate::core::Permission::ManageOperators) {
                    self.lookup.listing = Listing::Search;
                    return refusal;
                }
                Outcome::command(Command::LoadCenter)
            }
            Listing::Audit => {
                if let Some(refusal) = self.refused(crate::core::Permission::ViewAudit) {
                    self.lookup.listing = Listing::Search;
                    return refusal;
                }
                let mut query = self.lookup.audit_query(self.today, self.utc_offset);
                query.opened = true;
                Outcome::command(Command::LoadAudit(Box::new(query)))
            }
        }
    }

    /// The lookup screen's keys; `None` leaves the key to the rest of the desk.
    pub(crate) fn lookup_action(&mut self, action: Action) -> Option<Outcome> {
        if self.context() == Context::Record {
            return self.record_action(action);
        }
        let outcome = self.search_action(action);
        let rows = usize::from(self.lookup_rows_hint());
        self.lookup.keep_in_sight(rows);
        outcome
    }

    fn search_action(&mut self, action: Action) -> Option<Outcome> {
        let lookup = &mut self.lookup;
        let outcome = match action {
            Action::Edit(edit) => {
                if lookup.query.edit(edit) {
                    if lookup.listing != Listing::Audit {
                        lookup.listing = Listing::Search;
                    }
                    return Some(self.lookup_query());
                }
                Outcome::redraw()
            }
            Action::ListUp => moved(lookup.up()),
            Action::PageUp => {
                let before = lookup.selected;
                lookup.selected = lookup.selected.saturating_sub(LIST_PAGE);
                moved(before != lookup.selected)
            }
            Action::ListDown | Action::PageDown => {
                let by = if action == Action::PageDown {
                    LIST_PAGE
                } else {
                    1
                };
                let changed = lookup.down(by);
                match lookup.next_page(self.today, self.utc_offset) {
                    Some(job) => Outcome::command(Command::Lookup(Box::new(job))),
                    None => moved(changed),
                }
            }
            Action::Expand if lookup.listing == Listing::Center => {
                let fields = lookup.center.as_ref().and_then(|c| c.fields.as_ref());
                lookup.admin_form = Some(RecordEditor::center(fields));
                Outcome::redraw()
            }
            Action::Expand if lookup.listing == Listing::Accounts => {
                match lookup.selected_account() {
                    Some(login) => {
                        lookup.admin_form = Some(RecordEditor::account(&login));
                        Outcome::redraw()
                    }
                    None => Outcome::unchanged(),
                }
            }
            Action::NewAccount => {
                if lookup.listing != Listing::Accounts {
                    return Some(Outcome::unchanged());
                }
                lookup.admin_form = Some(RecordEditor::new_account());
                Outcome::redraw()
            }
            Action::Expand => match lookup.selected_number() {
                Some(number) => Outcome::command(Command::OpenRecord(number)),
                None => match lookup.selected_draft() {
                    Some(id) => Outcome::command(Command::ResumeDraft(id)),
                    None => Outcome::unchanged(),
                },
            },
            Action::ResumeDraft => match lookup.selected_draft() {
                Some(id) => Outcome::command(Command::ResumeDraft(id)),
                None => {
                    self.show_notice(Message::new("lookup.not_a_draft"));
                    Outcome::redraw()
                }
            },
            Action::CloseOverlay => {
                if lookup.query.is_empty() && lookup.listing == Listing::Search {
                    return Some(Outcome::unchanged());
                }
                lookup.query = Default::default();
                lookup.listing = Listing::Search;
                return Some(self.lookup_query());
            }
            Action::CycleStatusFilter => {
                lookup.cycle_status();
                lookup.listing = Listing::Search;
                return Some(self.lookup_query());
            }
            Action::CyclePeriod => {
                lookup.cycle_period();
                if lookup.listing != Listing::Audit {
                    lookup.listing = Listing::Search;
                }
                return Some(self.lookup_query());
            }
            Action::CycleListing => {
                lookup.cycle_listing();
                // The accounts are offered to administrators (and a class's trainer), the
                // center profile to a real desk's administrators only.
                while (matches!(self.lookup.listing, Listing::Accounts | Listing::Center)
                    && !self.may(crate::core::Permission::ManageOperators))
                    || (self.lookup.listing == Listing::Center && self.session.training)
                {
                    self.lookup.cycle_listing();
                }
                return Some(self.load_listing());
            }
            _ => return None,
        };
        Some(outcome)
    }

    fn record_action(&mut self, action: Action) -> Option<Outcome> {
        let open = self.lookup.record.as_mut()?;
        let number = open.record.application.number.clone();
        let outcome = match action {
            Action::ScrollUp => scroll(open, |s| s.saturating_sub(1)),
            Action::ScrollDown => scroll(open, |s| s.saturating_add(1)),
            Action::PageUp => scroll(open, |s| s.saturating_sub(RECORD_PAGE)),
            Action::PageDown => scroll(open, |s| s.saturating_add(RECORD_PAGE)),
            Action::CloseOverlay => {
                self.lookup.record = None;
                Outcome::redraw()
            }
            Action::NextApplication | Action::PreviousApplication => {
                let others = &open.record.person_applications;
                if others.len() < 2 {
                    return Some(Outcome::unchanged());
                }
                let here = others.iter().position(|(n, _)| *n == number).unwrap_or(0);
                let step = if action == Action::NextApplication {
                    1
                } else {
                    others.len() - 1
                };
                let next = others[(here + step) % others.len()].0.clone();
                Outcome::command(Command::OpenRecord(next))
            }
            Action::ChangeStatus => {
                let reasons = self.rules.vocabulary.reasons.keys().cloned().collect();
                let (operator, training) = (self.operator.clone(), self.session.training);
                // "Expired" is the expiry run's, never a step picked by hand, even where
                // nobody signs in (a training desk).
                let may = |s| {
                    s != crate::core::ApplicationStatus::Expired
                        && operator.as_ref().is_none_or(|(_, role)| {
                            role.allows(crate::core::Permission::ChangeStatus(s), training)
                        })
                };
                let may_override = self.operator.as_ref().is_none_or(|(_, role)| {
                    role.allows(crate::core::Permission::Override, self.session.training)
                });
                match RecordEditor::status(&open.record, reasons, self.today, may, may_override) {
                    Ok(editor) => {
                        open.editor = Some(editor);
                        Outcome::redraw()
                    }
                    Err(why) => {
                        self.show_notice(why);
                        Outcome::redraw()
                    }
                }
            }
            Action::RevokeConsent => match RecordEditor::revoke(&open.record) {
                Some(editor) => {
                    open.editor = Some(editor);
                    Outcome::redraw()
                }
                None => {
                    self.show_notice(Message::new("lookup.no_consents"));
                    Outcome::redraw()
                }
            },
            Action::PrintReceipt => Outcome::command(Command::PrintReceipt {
                number,
                lang: self.lang,
            }),
            Action::PrintConsentForms => {
                let record = open.record.clone();
                return Some(self.reprint_consent_forms(&record));
            }
            _ => return None,
        };
        Some(outcome)
    }

    /// The consent forms of a submitted application, rebuilt from its decision record: the
    /// case it was submitted with, evaluated again on the day it was evaluated then.
    fn reprint_consent_forms(&mut self, record: &ApplicationRecord) -> Outcome {
        let map: Option<std::collections::BTreeMap<String, String>> = record
            .decision_record
            .as_deref()
            .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
            .and_then(|v| serde_json::from_value(v["case"].clone()).ok());
        let Some(map) = map else {
            self.show_notice(Message::new("lookup.no_forms"));
            return Outcome::redraw();
        };
        let case = crate::ui::intake::Case::from_map(&map);
        let day = record
            .application
            .created_at
            .get(..10)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .unwrap_or(self.today);
        let facts = case.facts(day);
        let evaluation = crate::rules::FactTable::build(&facts, day)
            .ok()
            .and_then(|t| {
                crate::rules::evaluate(&self.rules, &t, day, crate::rules::EvalOptions::default())
                    .ok()
            });
        let Some(evaluation) = evaluation.filter(|e| !e.consents.is_empty()) else {
            self.show_notice(Message::new("lookup.no_forms"));
            return Outcome::redraw();
        };
        let lang = case
            .get(crate::ui::intake::fields::FieldId::DocumentLanguage)
            .parse()
            .unwrap_or(self.lang);
        let paper = crate::ui::consents::forms_paper(
            &case,
            &evaluation,
            &self.rules,
            self.center.as_deref(),
            self.session.training,
            &Tr::new(lang),
        );
        Outcome::command(Command::PrintConsentForms(paper))
    }

    /// Enter in a record's form: the status change or the revocation, or the problem shown.
    pub(crate) fn save_record_editor(&mut self) -> Outcome {
        let today = self.today;
        if let Some(editor) = self.lookup.admin_form.as_mut() {
            return match editor.finish(today) {
                Some(EditorAction::Account(change)) => {
                    Outcome::command(Command::ChangeAccount(Box::new(change)))
                }
                Some(EditorAction::Center(fields)) => {
                    Outcome::command(Command::SaveCenter(Box::new(fields)))
                }
                _ => Outcome::redraw(),
            };
        }
        let Some(editor) = self.lookup.record.as_mut().and_then(|r| r.editor.as_mut()) else {
            return Outcome::unchanged();
        };
        let number = editor.number.clone();
        match editor.finish(today) {
            Some(EditorAction::ChangeStatus(request)) => {
                Outcome::command(Command::ChangeStatus(Box::new(request)))
            }
            Some(EditorAction::Revoke { consent, reason }) => {
                Outcome::command(Command::RevokeConsent {
                    number,
                    consent,
                    reason,
                })
            }
            Some(EditorAction::Account(_) | EditorAction::Center(_)) | None => Outcome::redraw(),
        }
    }

    pub(crate) fn lookup_found(&mut self, found: Found) -> Outcome {
        if self.lookup.found(found) {
            let rows = usize::from(self.lookup_rows_hint());
            self.lookup.keep_in_sight(rows);
            Outcome::redraw()
        } else {
            Outcome::unchanged()
        }
    }

    /// About how many result rows a screen shows (the view keeps the selection in sight too).
    fn lookup_rows_hint(&self) -> u16 {
        20
    }

    /// A record read back: shown (its form closed), or, when it is gone, said so.
    pub(crate) fn record_loaded(&mut self, record: Option<Box<ApplicationRecord>>) -> Outcome {
        match record {
            Some(record) => {
                let scroll = self
                    .lookup
                    .record
                    .as_ref()
                    .filter(|r| r.record.application.number == record.application.number)
                    .map_or(0, |r| r.scroll);
                self.lookup.record = Some(RecordState {
                    record,
                    scroll,
                    editor: None,
                });
            }
            None => self.show_notice(Message::new("lifecycle.not_found")),
        }
        Outcome::redraw()
    }
}

fn moved(changed: bool) -> Outcome {
    if changed {
        Outcome::redraw()
    } else {
        Outcome::unchanged()
    }
}

fn scroll(open: &mut RecordState, change: impl FnOnce(u16) -> u16) -> Outcome {
    let before = open.scroll;
    // The view clamps to the content; the cap keeps a held key from running far past it.
    open.scroll = change(open.scroll).min(500);
    moved(before != open.scroll)
}
