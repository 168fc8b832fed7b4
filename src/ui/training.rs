//! Training mode's desk key: Ctrl+T, pressed twice, puts the training database back to the
//! curriculum's seeded state (as `regdesk training --reset` does) and starts a new case.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::{AppState, Command, Outcome};
use crate::i18n::{Message, Tr};
use crate::rules::model::Texts;
use crate::training::seed;

impl AppState {
    /// The first Ctrl+T asks; the second resets. Nothing happens on a real database.
    pub(crate) fn reset_training(&mut self) -> Outcome {
        if !self.session.training {
            self.show_notice(Message::new("training.reset.only_training"));
            return Outcome::redraw();
        }
        // Where a class signs in, the database is its trainer's to reset, not a trainee's.
        if let Some(refusal) = self.refused(crate::core::Permission::ManageOperators) {
            return refusal;
        }
        if !self.reset_asked {
            self.reset_asked = true;
            self.show_notice(Message::new("training.reset.confirm"));
            return Outcome::redraw();
        }
        self.reset_asked = false;
        match self.seeded() {
            Ok(seeded) => Outcome::command(Command::ResetTraining(Box::new(seeded))),
            Err(message) => {
                self.show_notice(message);
                Outcome::redraw()
            }
        }
    }

    /// The seeded state under the rules in use, or what stops it (a curriculum case that
    /// no longer holds).
    pub(crate) fn seeded(&self) -> Result<seed::Seeded, Message> {
        seed::from_curriculum(&self.rules)
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

    /// The lesson bar under the screen: its heading with the step and the trainer's keys,
    /// and the caption, in every phase; at 80x24 and, in kk, at 30x10.
    #[test]
    fn lesson_bar_snapshots() {
        use crate::ui::fixtures::render;
        let lesson = crate::training::lesson::built_in("owner").unwrap().unwrap();
        for (lang, w, h) in [(Lang::En, 80, 24), (Lang::Ru, 80, 24), (Lang::Kk, 30, 10)] {
            for phase in [
                LessonPhase::Waiting,
                LessonPhase::Playing,
                LessonPhase::Finished,
                LessonPhase::Stopped("RD-2026-000015".into()),
            ] {
                let mut s = new_state(lang, session(true));
                s.lesson = Some(LessonBar {
                    title: lesson.title.clone(),
                    step: 2,
                    steps: lesson.steps.len(),
                    caption: lesson.steps[2].say.clone(),
                    phase: phase.clone(),
                });
                let kind = format!("{phase:?}");
                let kind = kind.split('(').next().unwrap().to_lowercase();
                let name = format!("lesson_{}_{kind}_{w}x{h}", lang.code());
                insta::assert_snapshot!(name, render(&s, w, h).backend());
            }
        }
    }

    /// The bar never breaks the drawing, at any size down to one cell.
    #[test]
    fn the_lesson_bar_draws_at_every_size() {
        let lesson = crate::training::lesson::built_in("co-owners")
            .unwrap()
            .unwrap();
        let mut s = new_state(Lang::Kk, session(true));
        s.lesson = Some(LessonBar {
            title: lesson.title.clone(),
            step: 5,
            steps: lesson.steps.len(),
            caption: lesson.steps[5].say.clone(),
            phase: LessonPhase::Waiting,
        });
        for w in 1..=60 {
            for h in 1..=14 {
                let _ = crate::ui::fixtures::render(&s, w, h);
            }
        }
    }
}

/// Where a lesson stands, as the caption under the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonBar {
    pub title: Texts,
    /// The step whose caption is shown (0-based), of `steps`.
    pub step: usize,
    pub steps: usize,
    pub caption: Texts,
    pub phase: LessonPhase,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LessonPhase {
    /// The caption is shown; the trainer's key plays the step.
    Waiting,
    /// The step's keys are being given to the desk.
    Playing,
    /// Going back: the steps before are played again from the seeded state.
    Rewinding,
    /// Every step was played and the final screen checked.
    Finished,
    /// The desk did not show what the step expects: the lesson cannot go on.
    Stopped(String),
}

/// The rows the lesson bar takes: a heading line and the caption, wrapped, at most six, and
/// never more than half the terminal (the desk under it stays in sight).
pub fn bar_height(bar: &LessonBar, tr: &Tr, area: Rect) -> u16 {
    let text = caption_text(bar, tr);
    let lines = crate::text::width(&text).div_ceil(usize::from(area.width.max(1)));
    let most = usize::from(area.height / 2).clamp(1, 5);
    (lines.clamp(1, most) + 1) as u16
}

fn caption_text(bar: &LessonBar, tr: &Tr) -> String {
    match &bar.phase {
        LessonPhase::Finished => tr.t("training.lesson.finished"),
        LessonPhase::Stopped(shown) => tr.f("training.lesson.stopped", &[("text", shown)]),
        _ => bar.caption.get(tr.lang).to_owned(),
    }
}

pub fn draw_bar(bar: &LessonBar, tr: &Tr, area: Rect, frame: &mut Frame) {
    if area.height == 0 {
        return;
    }
    let keys = match bar.phase {
        LessonPhase::Waiting => tr.t("training.lesson.keys_waiting"),
        LessonPhase::Playing | LessonPhase::Rewinding => tr.t("training.lesson.keys_playing"),
        LessonPhase::Finished | LessonPhase::Stopped(_) => tr.t("training.lesson.keys_done"),
    };
    let heading = tr.f(
        "training.lesson.heading",
        &[
            ("step", &(bar.step + 1).to_string()),
            ("steps", &bar.steps.to_string()),
        ],
    );
    // The trainer's keys before the title: on a narrow screen the title is cut, not them.
    let heading = crate::text::truncate_right(
        &format!(" {heading} · {keys} · {} ", bar.title.get(tr.lang)),
        usize::from(area.width),
    );
    let bold = Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD);
    let mut lines = vec![Line::styled(heading, bold)];
    lines.push(Line::raw(caption_text(bar, tr)));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
