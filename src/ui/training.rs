//! Training mode's desk key: Ctrl+T, pressed twice, puts the training database back to the
//! curriculum's seeded state (as `regdesk training --reset` does) and starts a new case.

use super::{AppState, Command, Outcome};
use crate::i18n::Message;
use crate::training::{curriculum, seed};

impl AppState {
    /// The first Ctrl+T asks; the second resets. Nothing happens on a real database.
    pub(crate) fn reset_training(&mut self) -> Outcome {
        if !self.session.training {
            self.show_notice(Message::new("training.reset.only_training"));
            return Outcome::redraw();
        }
        if !self.reset_asked {
            self.reset_asked = true;
            self.show_notice(Message::new("training.reset.confirm"));
            return Outcome::redraw();
        }
        self.reset_asked = false;
        let seeded = curriculum::parse(curriculum::embedded())
            .map_err(|_| (String::new(), Message::new("training.reset.failed")))
            .and_then(|cases| seed::seeded(&self.rules, &cases));
        match seeded {
            Ok(seeded) => Outcome::command(Command::ResetTraining(Box::new(seeded))),
            Err((id, message)) => {
                self.show_notice(
                    Message::new("training.reset.case_fails")
                        .arg("id", &id)
                        .arg_message("message", message),
                );
                Outcome::redraw()
            }
        }
    }

    /// The database was reset: the case on screen (its draft is gone) and what the lookup
    /// showed are dropped, and the desk says what it now holds.
    pub(crate) fn training_was_reset(&mut self, count: usize) -> Outcome {
        self.overlay = None;
        self.load_case(crate::case::Case::default(), None);
        self.lookup = Default::default();
        self.screen = super::Screen::Intake;
        self.show_notice(Message::new("training.reset.done_desk").arg("count", count));
        Outcome::command(Command::NewCase)
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::case::fields::FieldId as F;
    use crate::i18n::Lang;
    use crate::ui::fixtures::{key, new_state, session, tenant, type_text};
    use crate::ui::{Msg, Screen};

    fn ctrl_t() -> Msg {
        Msg::Key(KeyEvent::new(KeyCode::Char('t'), KeyModifiers::CONTROL))
    }

    /// Ctrl+T asks first; a second press asks the effects to reset with the curriculum's
    /// seeded state; any other key between forgets the question. A real desk refuses.
    #[test]
    fn ctrl_t_twice_resets_a_training_desk_and_never_a_real_one() {
        let mut s = new_state(Lang::En, session(true));
        let first = s.update(ctrl_t());
        assert!(first.commands.is_empty());
        assert_eq!(s.notice.as_ref().unwrap().key, "training.reset.confirm");
        let _ = s.update(key(KeyCode::F(5)));
        assert!(
            s.update(ctrl_t()).commands.is_empty(),
            "asked again after F5"
        );
        let second = s.update(ctrl_t());
        match second.commands.as_slice() {
            [Command::ResetTraining(seeded)] => assert_eq!(seeded.applications(), 14),
            other => panic!("{other:?}"),
        }
        // The same key on a Russian layout (Ctrl+е) is the same command.
        let mut cyrillic = new_state(Lang::Ru, session(true));
        let press = || Msg::Key(KeyEvent::new(KeyCode::Char('е'), KeyModifiers::CONTROL));
        let _ = cyrillic.update(press());
        assert!(matches!(
            cyrillic.update(press()).commands.as_slice(),
            [Command::ResetTraining(_)]
        ));

        let mut real = new_state(Lang::En, session(false));
        for _ in 0..2 {
            assert!(real.update(ctrl_t()).commands.is_empty());
        }
        assert_eq!(
            real.notice.as_ref().unwrap().key,
            "training.reset.only_training"
        );
    }

    /// After the reset the desk starts a new, empty case on the intake screen: the case
    /// on screen had its draft in the database the reset emptied.
    #[test]
    fn after_the_reset_the_desk_starts_an_empty_case() {
        let mut s = new_state(Lang::En, session(true));
        for (field, value) in tenant() {
            s.case.set(field, value);
        }
        s.draft_id = Some(7);
        s.screen = Screen::Lookup;
        type_text(&mut s, "Серікова");
        let outcome = s.update(Msg::TrainingReset(14));
        assert_eq!(outcome.commands, vec![Command::NewCase]);
        assert_eq!(s.case.get(F::Iin), "");
        assert_eq!(s.draft_id, None);
        assert_eq!(s.screen, Screen::Intake);
        let notice = s.notice.as_ref().unwrap();
        assert_eq!(notice.key, "training.reset.done_desk");
    }
}
