//! The one table of key bindings. Dispatch, the bottom hint bar and the F1 help overlay are all
//! generated from [`BINDINGS`], so they cannot drift apart.
//!
//! Commands sit on function keys and Ctrl combinations because operators type with a Russian or
//! Kazakh layout active; a Ctrl+letter that arrives as the Cyrillic letter on the same physical
//! key (Ctrl+й for Ctrl+q) is matched too.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Screen;
use super::intake::Edit;

/// What the operator can ask for with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Help,
    GoTo(Screen),
    NextScreen,
    PreviousScreen,
    SwitchLanguage,
    ReloadRules,
    Quit,
    CloseOverlay,
    ScrollUp,
    ScrollDown,
    PageUp,
    PageDown,
    /// Intake form: the next or previous question.
    NextField,
    PreviousField,
    /// Intake form: an editing key for the focused field.
    Edit(Edit),
    /// A new case for another person at the same address and dwelling.
    FamilyCase,
    /// Checklist and lists: move, open the "why", mark a document.
    ListUp,
    ListDown,
    Expand,
    Collapse,
    Mark,
    /// Drafts list: resume the selected draft, discard it (asks once more).
    ResumeDraft,
    DiscardDraft,
    /// Intake: resume the other open draft found for the IIN typed.
    ResumeOffered,
    /// Checklist: clear the mark of a line; in the mark editor, save it.
    ClearMark,
    /// In a form: save it from any field (Ctrl+S), as Enter does on the last one.
    SaveForm,
    /// Enter in a form: the next field, or on the last one, save (every form alike).
    NextOrSave,
    /// Checklist: write (and print, where a printer is set up) the "what to bring" sheet.
    PrintSheet,
    /// Submit the application (or see what is still missing).
    Submit,
    /// After submitting: write (and print) the receipt.
    PrintReceipt,
    /// After submitting: write (and print) the consent forms.
    PrintConsentForms,
    /// Lookup: the next status filter, period filter, or listing.
    CycleStatusFilter,
    CyclePeriod,
    CycleListing,
    /// A new account (the accounts listing, administrators).
    NewAccount,
    /// Record view: the person's next or previous application.
    NextApplication,
    PreviousApplication,
    /// Record view: change the status; revoke a consent.
    ChangeStatus,
    RevokeConsent,
    /// Lock the desk now (Esc on the lock screen then signs out).
    Lock,
    /// Training mode: put the training database back to its seeded state (asks once more).
    ResetTraining,
}

/// Where a binding applies. Key resolution takes the innermost scope first: a key bound in
/// the form is the form's, an unbound character in a text field is text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Not a state of the desk: the help's first section, the keys that work on every screen
    /// (`Screens` and `Always`). No binding is in it (a test walks them).
    Main,
    /// The intake form.
    Form,
    /// The checklist.
    List,
    /// The list of drafts shown at start.
    Drafts,
    /// A small form over a list: a document's mark, a consent.
    Editor,
    /// The submit gate: what is still missing.
    Gate,
    /// The number of the application just submitted.
    Submitted,
    /// The case just closed as "registration not required".
    Closed,
    /// The lookup screen's search box and results.
    Search,
    /// An application's record, opened from the lookup screen.
    Record,
    /// Signing in, the first administrator, or the lock screen.
    SignIn,
    /// The help overlay is open.
    Help,
    /// Every screen (Main, Form, List, Search, Record), not under an overlay.
    Screens,
    /// Everywhere.
    Always,
}

/// A key as the table spells it: a code, the modifiers, and the label shown to the operator.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub label: &'static str,
}

const fn key(code: KeyCode, label: &'static str) -> Key {
    Key {
        code,
        modifiers: KeyModifiers::NONE,
        label,
    }
}

const fn ctrl(letter: char, label: &'static str) -> Key {
    Key {
        code: KeyCode::Char(letter),
        modifiers: KeyModifiers::CONTROL,
        label,
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub action: Action,
    pub keys: &'static [Key],
    pub context: Context,
    /// Short label for the hint bar; `None` keeps the binding out of the bar (help only).
    pub hint_key: Option<&'static str>,
    /// Full description for the help overlay.
    pub description_key: &'static str,
}

const fn with(code: KeyCode, modifiers: KeyModifiers, label: &'static str) -> Key {
    Key {
        code,
        modifiers,
        label,
    }
}

const fn binding(
    action: Action,
    keys: &'static [Key],
    context: Context,
    hint_key: Option<&'static str>,
    description_key: &'static str,
) -> Binding {
    Binding {
        action,
        keys,
        context,
        hint_key,
        description_key,
    }
}

use Action as A;
use Context as C;
use KeyCode as K;

pub const BINDINGS: &[Binding] = &[
    binding(
        A::Help,
        &[key(K::F(1), "F1")],
        C::Screens,
        Some("keys.help.hint"),
        "keys.help.description",
    ),
    binding(
        A::Help,
        &[key(K::Char('?'), "?")],
        C::List,
        None,
        "keys.help_question.description",
    ),
    binding(
        A::GoTo(Screen::Intake),
        &[key(K::F(2), "F2")],
        C::Screens,
        Some("screen.intake.short"),
        "keys.intake.description",
    ),
    binding(
        A::GoTo(Screen::Checklist),
        &[key(K::F(3), "F3")],
        C::Screens,
        Some("screen.checklist.short"),
        "keys.checklist.description",
    ),
    binding(
        A::GoTo(Screen::Consent),
        &[key(K::F(4), "F4")],
        C::Screens,
        Some("screen.consent.short"),
        "keys.consent.description",
    ),
    binding(
        A::GoTo(Screen::Lookup),
        &[key(K::F(5), "F5")],
        C::Screens,
        Some("screen.lookup.short"),
        "keys.lookup.description",
    ),
    binding(
        A::NextScreen,
        &[key(K::Tab, "Tab")],
        C::List,
        None,
        "keys.next.description",
    ),
    binding(
        A::PreviousScreen,
        &[key(K::BackTab, "Shift+Tab")],
        C::List,
        None,
        "keys.previous.description",
    ),
    binding(
        A::SwitchLanguage,
        &[key(K::F(9), "F9")],
        C::Always,
        Some("keys.language.hint"),
        "keys.language.description",
    ),
    binding(
        A::ReloadRules,
        &[ctrl('r', "Ctrl+R")],
        C::Screens,
        None,
        "keys.reload_rules.description",
    ),
    binding(
        A::FamilyCase,
        &[ctrl('n', "Ctrl+N")],
        C::Screens,
        None,
        "keys.family_case.description",
    ),
    binding(
        A::Quit,
        &[key(K::F(10), "F10"), ctrl('q', "Ctrl+Q")],
        C::Always,
        Some("keys.quit.hint"),
        "keys.quit.description",
    ),
    // After Quit: at 80 columns the footer keeps Quit; Submit shows from 100 columns and in help.
    binding(
        A::Submit,
        &[key(K::F(8), "F8")],
        C::Screens,
        Some("keys.submit.hint"),
        "keys.submit.description",
    ),
    binding(
        A::ResumeOffered,
        &[ctrl('o', "Ctrl+O")],
        C::Form,
        None,
        "keys.resume_offered.description",
    ),
    binding(
        A::NextField,
        &[
            key(K::Tab, "Tab"),
            key(K::Enter, "Enter"),
            key(K::Down, "↓"),
        ],
        C::Form,
        None,
        "keys.next_field.description",
    ),
    binding(
        A::PreviousField,
        &[key(K::BackTab, "Shift+Tab"), key(K::Up, "↑")],
        C::Form,
        None,
        "keys.previous_field.description",
    ),
    binding(
        A::Edit(Edit::Left),
        &[key(K::Left, "←")],
        C::Form,
        None,
        "keys.edit_left.description",
    ),
    binding(
        A::Edit(Edit::Right),
        &[key(K::Right, "→")],
        C::Form,
        None,
        "keys.edit_right.description",
    ),
    binding(
        A::Edit(Edit::WordLeft),
        &[with(K::Left, KeyModifiers::CONTROL, "Ctrl+←")],
        C::Form,
        None,
        "keys.word_left.description",
    ),
    binding(
        A::Edit(Edit::WordRight),
        &[with(K::Right, KeyModifiers::CONTROL, "Ctrl+→")],
        C::Form,
        None,
        "keys.word_right.description",
    ),
    binding(
        A::Edit(Edit::Home),
        &[key(K::Home, "Home")],
        C::Form,
        None,
        "keys.home.description",
    ),
    binding(
        A::Edit(Edit::End),
        &[key(K::End, "End")],
        C::Form,
        None,
        "keys.end.description",
    ),
    binding(
        A::Edit(Edit::Backspace),
        &[key(K::Backspace, "Backspace")],
        C::Form,
        None,
        "keys.backspace.description",
    ),
    binding(
        A::Edit(Edit::Delete),
        &[key(K::Delete, "Delete")],
        C::Form,
        None,
        "keys.delete.description",
    ),
    binding(
        A::PrintSheet,
        &[ctrl('p', "Ctrl+P")],
        C::List,
        Some("keys.print_sheet.hint"),
        "keys.print_sheet.description",
    ),
    binding(
        A::ListUp,
        &[key(K::Up, "↑")],
        C::Gate,
        None,
        "keys.list_up.description",
    ),
    binding(
        A::ListDown,
        &[key(K::Down, "↓")],
        C::Gate,
        None,
        "keys.list_down.description",
    ),
    binding(
        A::Expand,
        &[key(K::Enter, "Enter")],
        C::Gate,
        Some("keys.go.hint"),
        "keys.go.description",
    ),
    binding(
        A::Expand,
        &[key(K::Enter, "Enter")],
        C::Submitted,
        Some("keys.next_person.hint"),
        "keys.next_person.description",
    ),
    binding(
        A::FamilyCase,
        &[ctrl('n', "Ctrl+N")],
        C::Submitted,
        Some("keys.family_case.hint"),
        "keys.family_case.description",
    ),
    binding(
        A::PrintReceipt,
        &[ctrl('p', "Ctrl+P")],
        C::Submitted,
        Some("keys.print_receipt.hint"),
        "keys.print_receipt.description",
    ),
    binding(
        A::PrintConsentForms,
        &[ctrl('f', "Ctrl+F")],
        C::Submitted,
        Some("keys.print_consent_forms.hint"),
        "keys.print_consent_forms.description",
    ),
    binding(
        A::CloseOverlay,
        &[key(K::Esc, "Esc")],
        C::Gate,
        Some("keys.back.hint"),
        "keys.back.description",
    ),
    binding(
        A::CloseOverlay,
        &[key(K::Esc, "Esc")],
        C::Submitted,
        None,
        "keys.next_person.description",
    ),
    binding(
        A::PrintReceipt,
        &[ctrl('p', "Ctrl+P")],
        C::Closed,
        Some("keys.print_note.hint"),
        "keys.print_note.description",
    ),
    binding(
        A::Expand,
        &[key(K::Enter, "Enter")],
        C::Closed,
        Some("keys.next_person.hint"),
        "keys.next_person.description",
    ),
    binding(
        A::FamilyCase,
        &[ctrl('n', "Ctrl+N")],
        C::Closed,
        Some("keys.family_case.hint"),
        "keys.family_case.description",
    ),
    binding(
        A::CloseOverlay,
        &[key(K::Esc, "Esc")],
        C::Closed,
        None,
        "keys.next_person.description",
    ),
    binding(
        A::ClearMark,
        &[key(K::Delete, "Delete")],
        C::List,
        None,
        "keys.clear_mark.description",
    ),
    binding(
        A::NextField,
        &[key(K::Tab, "Tab"), key(K::Down, "↓")],
        C::Editor,
        None,
        "keys.next_field.description",
    ),
    binding(
        A::PreviousField,
        &[key(K::BackTab, "Shift+Tab"), key(K::Up, "↑")],
        C::Editor,
        None,
        "keys.previous_field.description",
    ),
    binding(
        A::Edit(Edit::Left),
        &[key(K::Left, "←")],
        C::Editor,
        None,
        "keys.edit_left.description",
    ),
    binding(
        A::Edit(Edit::Right),
        &[key(K::Right, "→")],
        C::Editor,
        None,
        "keys.edit_right.description",
    ),
    binding(
        A::Edit(Edit::Home),
        &[key(K::Home, "Home")],
        C::Editor,
        None,
        "keys.home.description",
    ),
    binding(
        A::Edit(Edit::End),
        &[key(K::End, "End")],
        C::Editor,
        None,
        "keys.end.description",
    ),
    binding(
        A::Edit(Edit::Backspace),
        &[key(K::Backspace, "Backspace")],
        C::Editor,
        None,
        "keys.backspace.description",
    ),
    binding(
        A::Edit(Edit::Delete),
        &[key(K::Delete, "Delete")],
        C::Editor,
        None,
        "keys.delete.description",
    ),
    binding(
        A::NextOrSave,
        &[key(K::Enter, "Enter")],
        C::Editor,
        Some("keys.next_or_save.hint"),
        "keys.next_or_save.description",
    ),
    binding(
        A::SaveForm,
        &[ctrl('s', "Ctrl+S")],
        C::Editor,
        Some("keys.save_mark.hint"),
        "keys.save_mark.description",
    ),
    binding(
        A::CloseOverlay,
        &[key(K::Esc, "Esc")],
        C::Editor,
        Some("keys.cancel.hint"),
        "keys.cancel.description",
    ),
    binding(
        A::ListUp,
        &[key(K::Up, "↑")],
        C::List,
        None,
        "keys.list_up.description",
    ),
    binding(
        A::ListDown,
        &[key(K::Down, "↓")],
        C::List,
        None,
        "keys.list_down.description",
    ),
    binding(
        A::Expand,
        &[key(K::Enter, "Enter"), key(K::Right, "→")],
        C::List,
        Some("keys.expand.hint"),
        "keys.expand.description",
    ),
    binding(
        A::Collapse,
        &[key(K::Left, "←")],
        C::List,
        None,
        "keys.collapse.description",
    ),
    binding(
        A::Mark,
        &[key(K::Char(' '), "Space")],
        C::List,
        Some("keys.mark.hint"),
        "keys.mark.description",
    ),
    binding(
        A::ListUp,
        &[key(K::Up, "↑")],
        C::Drafts,
        None,
        "keys.list_up.description",
    ),
    binding(
        A::ListDown,
        &[key(K::Down, "↓")],
        C::Drafts,
        None,
        "keys.list_down.description",
    ),
    binding(
        A::ResumeDraft,
        &[key(K::Enter, "Enter")],
        C::Drafts,
        Some("keys.resume.hint"),
        "keys.resume.description",
    ),
    binding(
        A::DiscardDraft,
        &[key(K::Delete, "Delete")],
        C::Drafts,
        Some("keys.discard.hint"),
        "keys.discard.description",
    ),
    binding(
        A::CloseOverlay,
        &[key(K::Esc, "Esc")],
        C::Drafts,
        Some("keys.new_case.hint"),
        "keys.new_case.description",
    ),
    binding(
        A::Lock,
        &[ctrl('w', "Ctrl+W")],
        C::Screens,
        None,
        "keys.lock.description",
    ),
    binding(
        A::ResetTraining,
        &[ctrl('t', "Ctrl+T")],
        C::Screens,
        None,
        "keys.reset_training.description",
    ),
    binding(
        A::NextOrSave,
        &[key(K::Enter, "Enter")],
        C::SignIn,
        Some("keys.sign_in.hint"),
        "keys.sign_in.description",
    ),
    binding(
        A::SaveForm,
        &[ctrl('s', "Ctrl+S")],
        C::SignIn,
        None,
        "keys.sign_in_anywhere.description",
    ),
    binding(
        A::CloseOverlay,
        &[key(K::Esc, "Esc")],
        C::SignIn,
        None,
        "keys.sign_out.description",
    ),
    binding(
        A::NextField,
        &[key(K::Tab, "Tab"), key(K::Down, "↓")],
        C::SignIn,
        None,
        "keys.next_field.description",
    ),
    binding(
        A::PreviousField,
        &[key(K::BackTab, "Shift+Tab"), key(K::Up, "↑")],
        C::SignIn,
        None,
        "keys.previous_field.description",
    ),
    binding(
        A::Edit(Edit::Left),
        &[key(K::Left, "←")],
        C::SignIn,
        None,
        "keys.edit_left.description",
    ),
    binding(
        A::Edit(Edit::Right),
        &[key(K::Right, "→")],
        C::SignIn,
        None,
        "keys.edit_right.description",
    ),
    binding(
        A::Edit(Edit::Home),
        &[key(K::Home, "Home")],
        C::SignIn,
        None,
        "keys.home.description",
    ),
    binding(
        A::Edit(Edit::End),
        &[key(K::End, "End")],
        C::SignIn,
        None,
        "keys.end.description",
    ),
    binding(
        A::Edit(Edit::Backspace),
        &[key(K::Backspace, "Backspace")],
        C::SignIn,
        None,
        "keys.backspace.description",
    ),
    binding(
        A::Edit(Edit::Delete),
        &[key(K::Delete, "Delete")],
        C::SignIn,
        None,
        "keys.delete.description",
    ),
    binding(
        A::Expand,
        &[key(K::Enter, "Enter")],
        C::Search,
        Some("keys.open.hint"),
        "keys.open.description",
    ),
    binding(
        A::ResumeDraft,
        &[ctrl('o', "Ctrl+O")],
        C::Search,
        Some("keys.resume.hint"),
        "keys.lookup_resume.description",
    ),
    binding(
        A::CycleListing,
        &[ctrl('l', "Ctrl+L")],
        C::Search,
        Some("keys.listing.hint"),
        "keys.listing.description",
    ),
    binding(
        A::NewAccount,
        &[key(K::Insert, "Insert")],
        C::Search,
        None,
        "keys.new_account.description",
    ),
    binding(
        A::CycleStatusFilter,
        &[key(K::F(6), "F6")],
        C::Search,
        Some("keys.status_filter.hint"),
        "keys.status_filter.description",
    ),
    binding(
        A::CyclePeriod,
        &[key(K::F(7), "F7")],
        C::Search,
        Some("keys.period.hint"),
        "keys.period.description",
    ),
    binding(
        A::ListUp,
        &[key(K::Up, "↑")],
        C::Search,
        None,
        "keys.list_up.description",
    ),
    binding(
        A::ListDown,
        &[key(K::Down, "↓")],
        C::Search,
        None,
        "keys.list_down.description",
    ),
    binding(
        A::PageUp,
        &[key(K::PageUp, "PgUp")],
        C::Search,
        None,
        "keys.results_page_up.description",
    ),
    binding(
        A::PageDown,
        &[key(K::PageDown, "PgDn")],
        C::Search,
        None,
        "keys.results_page_down.description",
    ),
    binding(
        A::CloseOverlay,
        &[key(K::Esc, "Esc")],
        C::Search,
        None,
        "keys.clear_query.description",
    ),
    binding(
        A::NextScreen,
        &[key(K::Tab, "Tab")],
        C::Search,
        None,
        "keys.next.description",
    ),
    binding(
        A::PreviousScreen,
        &[key(K::BackTab, "Shift+Tab")],
        C::Search,
        None,
        "keys.previous.description",
    ),
    binding(
        A::Edit(Edit::Left),
        &[key(K::Left, "←")],
        C::Search,
        None,
        "keys.edit_left.description",
    ),
    binding(
        A::Edit(Edit::Right),
        &[key(K::Right, "→")],
        C::Search,
        None,
        "keys.edit_right.description",
    ),
    binding(
        A::Edit(Edit::Home),
        &[key(K::Home, "Home")],
        C::Search,
        None,
        "keys.home.description",
    ),
    binding(
        A::Edit(Edit::End),
        &[key(K::End, "End")],
        C::Search,
        None,
        "keys.end.description",
    ),
    binding(
        A::Edit(Edit::Backspace),
        &[key(K::Backspace, "Backspace")],
        C::Search,
        None,
        "keys.backspace.description",
    ),
    binding(
        A::Edit(Edit::Delete),
        &[key(K::Delete, "Delete")],
        C::Search,
        None,
        "keys.delete.description",
    ),
    binding(
        A::CloseOverlay,
        &[key(K::Esc, "Esc")],
        C::Record,
        Some("keys.back.hint"),
        "keys.record_back.description",
    ),
    binding(
        A::ChangeStatus,
        &[ctrl('s', "Ctrl+S")],
        C::Record,
        Some("keys.change_status.hint"),
        "keys.change_status.description",
    ),
    binding(
        A::PrintReceipt,
        &[ctrl('p', "Ctrl+P")],
        C::Record,
        Some("keys.print_receipt.hint"),
        "keys.reprint_receipt.description",
    ),
    // Revoking comes before reprinting the forms: on a short bar, it stays.
    binding(
        A::RevokeConsent,
        &[ctrl('k', "Ctrl+K")],
        C::Record,
        Some("keys.revoke.hint"),
        "keys.revoke.description",
    ),
    binding(
        A::PrintConsentForms,
        &[ctrl('f', "Ctrl+F")],
        C::Record,
        Some("keys.print_consent_forms.hint"),
        "keys.reprint_consent_forms.description",
    ),
    binding(
        A::NextApplication,
        &[key(K::Tab, "Tab")],
        C::Record,
        None,
        "keys.next_application.description",
    ),
    binding(
        A::PreviousApplication,
        &[key(K::BackTab, "Shift+Tab")],
        C::Record,
        None,
        "keys.previous_application.description",
    ),
    binding(
        A::ScrollUp,
        &[key(K::Up, "↑")],
        C::Record,
        None,
        "keys.scroll_up.description",
    ),
    binding(
        A::ScrollDown,
        &[key(K::Down, "↓")],
        C::Record,
        None,
        "keys.scroll_down.description",
    ),
    binding(
        A::PageUp,
        &[key(K::PageUp, "PgUp")],
        C::Record,
        None,
        "keys.page_up.description",
    ),
    binding(
        A::PageDown,
        &[key(K::PageDown, "PgDn")],
        C::Record,
        None,
        "keys.page_down.description",
    ),
    binding(
        A::CloseOverlay,
        &[
            key(K::Esc, "Esc"),
            key(K::F(1), "F1"),
            key(K::Char('?'), "?"),
        ],
        C::Help,
        Some("keys.close.hint"),
        "keys.close.description",
    ),
    binding(
        A::ScrollUp,
        &[key(K::Up, "↑")],
        C::Help,
        None,
        "keys.scroll_up.description",
    ),
    binding(
        A::ScrollDown,
        &[key(K::Down, "↓")],
        C::Help,
        None,
        "keys.scroll_down.description",
    ),
    binding(
        A::PageUp,
        &[key(K::PageUp, "PgUp")],
        C::Help,
        None,
        "keys.page_up.description",
    ),
    binding(
        A::PageDown,
        &[key(K::PageDown, "PgDn")],
        C::Help,
        None,
        "keys.page_down.description",
    ),
];

/// Every context `AppState::context` returns: the states the desk can be in.
pub const STATE_CONTEXTS: [Context; 11] = [
    Context::Form,
    Context::List,
    Context::Drafts,
    Context::Editor,
    Context::Gate,
    Context::Submitted,
    Context::Closed,
    Context::Search,
    Context::Record,
    Context::SignIn,
    Context::Help,
];

impl Context {
    fn applies_in(self, current: Context) -> bool {
        self == current
            || self == Context::Always
            || (self == Context::Screens
                && matches!(
                    current,
                    Context::Main
                        | Context::Form
                        | Context::List
                        | Context::Search
                        | Context::Record
                ))
    }

    /// How close a binding's scope is to `current`: the innermost wins.
    fn distance(self) -> u8 {
        match self {
            Context::Always => 2,
            Context::Screens => 1,
            _ => 0,
        }
    }
}

/// The bindings that apply in `current`, in table order.
pub fn bindings_for(current: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .filter(move |b| b.context.applies_in(current))
}

/// The action bound to `event` in `current`, if any: the innermost scope's binding first.
pub fn action_for(event: &KeyEvent, current: Context) -> Option<Action> {
    bindings_for(current)
        .filter(|b| b.keys.iter().any(|k| matches_key(k, event)))
        .min_by_key(|b| b.context.distance())
        .map(|b| b.action)
}

fn matches_key(key: &Key, event: &KeyEvent) -> bool {
    // Shift is implied by the character itself ('?' is Shift+/ or Shift+7 depending on layout).
    let relevant = KeyModifiers::CONTROL | KeyModifiers::ALT;
    if event.modifiers & relevant != key.modifiers & relevant {
        return false;
    }
    match (key.code, event.code) {
        (KeyCode::Char(want), KeyCode::Char(got))
            if key.modifiers.contains(KeyModifiers::CONTROL) =>
        {
            want == latin_on_same_key(got).to_ascii_lowercase()
        }
        (want, got) => want == got,
    }
}

/// The Latin letter on the same physical key as a Cyrillic letter of the Russian ЙЦУКЕН layout
/// (the Kazakh layout shares these positions); other characters are returned unchanged.
pub fn latin_on_same_key(c: char) -> char {
    const CYRILLIC: &str = "йцукенгшщзхъфывапролджэячсмитьбю";
    const LATIN: &str = "qwertyuiop[]asdfghjkl;'zxcvbnm,.";
    let lower = c.to_lowercase().next().unwrap_or(c);
    CYRILLIC
        .chars()
        .position(|x| x == lower)
        .and_then(|i| LATIN.chars().nth(i))
        .unwrap_or(c)
}

/// All labels of a binding's keys, as shown in help ("F10 / Ctrl+Q").
pub fn key_labels(binding: &Binding) -> String {
    binding
        .keys
        .iter()
        .map(|k| k.label)
        .collect::<Vec<_>>()
        .join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn ctrl_q_quits_in_latin_and_cyrillic_layouts() {
        for letter in ['q', 'Q', 'й', 'Й'] {
            let event = press(KeyCode::Char(letter), KeyModifiers::CONTROL);
            assert_eq!(
                action_for(&event, Context::List),
                Some(Action::Quit),
                "{letter}"
            );
        }
        let plain = press(KeyCode::Char('й'), KeyModifiers::NONE);
        assert_eq!(action_for(&plain, Context::List), None);
    }

    #[test]
    fn question_mark_opens_help_with_or_without_shift() {
        for modifiers in [KeyModifiers::NONE, KeyModifiers::SHIFT] {
            let event = press(KeyCode::Char('?'), modifiers);
            assert_eq!(action_for(&event, Context::List), Some(Action::Help));
        }
    }

    #[test]
    fn help_keys_close_the_overlay_and_quit_works_everywhere() {
        let f1 = press(KeyCode::F(1), KeyModifiers::NONE);
        assert_eq!(action_for(&f1, Context::Help), Some(Action::CloseOverlay));
        let f10 = press(KeyCode::F(10), KeyModifiers::NONE);
        assert_eq!(action_for(&f10, Context::Help), Some(Action::Quit));
        let f2 = press(KeyCode::F(2), KeyModifiers::NONE);
        assert_eq!(
            action_for(&f2, Context::Help),
            None,
            "screens do not switch under help"
        );
    }

    /// No binding sits in a context the desk is never in: each applies in one of the
    /// contexts `AppState::context` returns (a test in `ui::tests` proves that list).
    #[test]
    fn every_binding_applies_in_a_context_the_desk_is_in() {
        for binding in BINDINGS {
            assert!(
                STATE_CONTEXTS
                    .iter()
                    .any(|current| binding.context.applies_in(*current)),
                "{:?} is bound in {:?}, which the desk is never in",
                binding.action,
                binding.context
            );
        }
        // Tab, Shift+Tab and ? switch screens and open help on the checklist and consents.
        for (code, action) in [
            (KeyCode::Tab, Action::NextScreen),
            (KeyCode::BackTab, Action::PreviousScreen),
            (KeyCode::Char('?'), Action::Help),
        ] {
            let event = press(code, KeyModifiers::NONE);
            assert_eq!(action_for(&event, Context::List), Some(action));
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        // Every state of the desk, and the help's section of keys for every screen.
        for current in STATE_CONTEXTS.into_iter().chain([Context::Main]) {
            let mut seen = Vec::new();
            for binding in bindings_for(current) {
                for key in binding.keys {
                    let id = (format!("{:?}", key.code), key.modifiers);
                    assert!(!seen.contains(&id), "{id:?} bound twice in {current:?}");
                    seen.push(id);
                }
            }
        }
    }

    #[test]
    fn cyrillic_letters_map_to_their_physical_keys() {
        assert_eq!(latin_on_same_key('й'), 'q');
        assert_eq!(latin_on_same_key('Ф'), 'a');
        assert_eq!(latin_on_same_key('я'), 'z');
        assert_eq!(latin_on_same_key('x'), 'x');
        assert_eq!(latin_on_same_key('ә'), 'ә');
    }
}
