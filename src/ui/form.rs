//! The one shape of every form drawn over a screen: the mark, consent, status and sign-in
//! forms. They take the same keys alike: Tab and Shift+Tab move between fields, the editing
//! keys edit the field in focus, Enter goes to the next field or saves on the last one, and
//! Ctrl+S saves from any field. What "save" means is each form's own.

use super::keymap::Action;
use super::text_input::Edit;

pub trait FormEditor {
    /// Moves the focus to the next (or previous) field.
    fn next(&mut self, forward: bool);
    /// Edits the field in focus.
    fn edit(&mut self, edit: Edit);
    /// Text typed or pasted into the field in focus.
    fn type_text(&mut self, text: &str);
    /// Whether the focus is on the last field (Enter then saves).
    fn on_last_field(&self) -> bool;
}

/// What a key did to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    /// The form moved or changed: draw it again.
    Handled,
    /// The form asks to be saved.
    Save,
    /// Not a form key (Esc, F10, the language ...): the screen's to take.
    Other,
}

/// The keys every form takes alike.
pub fn key(form: &mut dyn FormEditor, action: Action) -> FormKey {
    match action {
        Action::NextField => form.next(true),
        Action::PreviousField => form.next(false),
        Action::Edit(edit) => form.edit(edit),
        Action::NextOrSave if form.on_last_field() => return FormKey::Save,
        Action::NextOrSave => form.next(true),
        Action::SaveForm => return FormKey::Save,
        _ => return FormKey::Other,
    }
    FormKey::Handled
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::text_input::TextInput;

    /// Three fields, as any form has some.
    struct Three {
        focus: usize,
        fields: [TextInput; 3],
    }

    impl FormEditor for Three {
        fn next(&mut self, forward: bool) {
            self.focus = (self.focus + if forward { 1 } else { 2 }) % 3;
        }
        fn edit(&mut self, edit: Edit) {
            self.fields[self.focus].edit(edit);
        }
        fn type_text(&mut self, text: &str) {
            self.fields[self.focus].insert(text);
        }
        fn on_last_field(&self) -> bool {
            self.focus == 2
        }
    }

    #[test]
    fn enter_moves_on_then_saves_and_ctrl_s_saves_from_anywhere() {
        let mut form = Three {
            focus: 0,
            fields: Default::default(),
        };
        assert_eq!(key(&mut form, Action::NextOrSave), FormKey::Handled);
        assert_eq!(form.focus, 1);
        assert_eq!(key(&mut form, Action::PreviousField), FormKey::Handled);
        assert_eq!(key(&mut form, Action::SaveForm), FormKey::Save);
        assert_eq!(form.focus, 0, "Ctrl+S does not move the focus");
        key(&mut form, Action::NextField);
        key(&mut form, Action::NextField);
        assert_eq!(key(&mut form, Action::NextOrSave), FormKey::Save);
        assert_eq!(key(&mut form, Action::CloseOverlay), FormKey::Other);
        assert_eq!(key(&mut form, Action::Quit), FormKey::Other);
    }
}
