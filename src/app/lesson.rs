//! Playing a lesson on the real desk (`regdesk training --lesson NAME`): the lesson's keys
//! go through the same path as the operator's, at the chosen speed, and the desk pauses on
//! each caption until the trainer presses a key. Going back a step plays the steps before it
//! again from the seeded state, so the desk is exactly where that step began.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::effects::Effects;
use crate::training::lesson::Lesson;
use crate::ui::training::{LessonBar, LessonPhase};
use crate::ui::{AppState, Command, Msg};

/// How long to look again when the desk is still busy (a lookup on its worker).
const BUSY_AGAIN: Duration = Duration::from_millis(20);
/// How long to look again while the desk is locked.
const LOCKED_AGAIN: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Waiting,
    Playing,
    /// Playing the steps before `to` again, without pausing.
    Rewinding {
        to: usize,
    },
    Finished,
    Stopped,
}

/// What a key the trainer pressed did.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum TrainerKey {
    /// The player took it (redraw, quit).
    Used(bool, bool),
    /// Not the player's: the desk has it (quitting works as ever).
    Desk,
}

pub(super) struct Player {
    lesson: Lesson,
    delay: Duration,
    step: usize,
    key: usize,
    phase: Phase,
    due: Option<Instant>,
    stopped_on: String,
}

impl Player {
    pub(super) fn new(lesson: Lesson, delay: Duration) -> Player {
        Player {
            lesson,
            delay,
            step: 0,
            key: 0,
            phase: Phase::Waiting,
            due: None,
            stopped_on: String::new(),
        }
    }

    /// When the player has to act next, if it does on its own.
    pub(super) fn due(&self) -> Option<Instant> {
        self.due
    }

    /// Starts the lesson on the seeded training database. True: quit.
    pub(super) fn start(&mut self, state: &mut AppState, effects: &mut Effects<'_>) -> bool {
        // A lesson resets the class's database: its trainer's to do, not a trainee's.
        if !state.may(crate::core::Permission::ManageOperators) {
            state.show_notice(crate::i18n::Message::new("training.lesson.trainer_only"));
            self.phase = Phase::Finished;
            return false;
        }
        self.rewind_to(0, state, effects)
    }

    /// Puts the database back to its seeded state and plays the steps before `to` again.
    fn rewind_to(&mut self, to: usize, state: &mut AppState, effects: &mut Effects<'_>) -> bool {
        let seeded = match state.seeded() {
            Ok(seeded) => seeded,
            Err(message) => {
                state.show_notice(message);
                self.stop(state, String::new());
                return false;
            }
        };
        if effects.run(Command::ResetTraining(Box::new(seeded)), state) {
            return true;
        }
        if to == 0 {
            self.wait(0, state);
        } else {
            self.step = 0;
            self.key = 0;
            self.phase = Phase::Rewinding { to };
            self.due = Some(Instant::now());
            self.show_bar(state);
        }
        false
    }

    fn wait(&mut self, step: usize, state: &mut AppState) {
        self.step = step;
        self.key = 0;
        self.phase = Phase::Waiting;
        self.due = None;
        self.show_bar(state);
    }

    fn stop(&mut self, state: &mut AppState, missing: String) {
        self.phase = Phase::Stopped;
        self.due = None;
        self.stopped_on = missing;
        self.show_bar(state);
    }

    fn show_bar(&self, state: &mut AppState) {
        let step = &self.lesson.steps[self.step.min(self.lesson.steps.len() - 1)];
        state.lesson = Some(LessonBar {
            title: self.lesson.title.clone(),
            step: self.step.min(self.lesson.steps.len() - 1),
            steps: self.lesson.steps.len(),
            caption: step.say.clone(),
            phase: match self.phase {
                Phase::Waiting => LessonPhase::Waiting,
                Phase::Playing => LessonPhase::Playing,
                Phase::Rewinding { .. } => LessonPhase::Rewinding,
                Phase::Finished => LessonPhase::Finished,
                Phase::Stopped => LessonPhase::Stopped(self.stopped_on.clone()),
            },
        });
    }

    /// Gives the desk the next key of the step, or, at the step's end, checks the screen
    /// and pauses on the next caption. Waits while the desk is busy (a lookup on its
    /// worker), so a key never races the answer it depends on. Returns (redraw, quit).
    pub(super) fn tick(
        &mut self,
        state: &mut AppState,
        effects: &mut Effects<'_>,
        screen: &dyn Fn(&AppState) -> String,
    ) -> (bool, bool) {
        let now = Instant::now();
        if !matches!(self.phase, Phase::Playing | Phase::Rewinding { .. }) {
            self.due = None;
            return (false, false);
        }
        // Locked (the trainer left it idle): nothing is played into the lock's form.
        if state.sign_in_form().is_some() {
            self.due = Some(now + LOCKED_AGAIN);
            return (false, false);
        }
        let lookup = &state.lookup;
        if lookup.generation != lookup.shown || lookup.paging || effects.reloading {
            self.due = Some(now + BUSY_AGAIN);
            return (false, false);
        }
        let keys = &self.lesson.steps[self.step].keys;
        if let Some(key) = keys.get(self.key).copied() {
            self.key += 1;
            let pause = match self.phase {
                Phase::Rewinding { .. } => Duration::ZERO,
                _ => self.delay,
            };
            self.due = Some(now + pause);
            return effects.deliver(Msg::Key(key), state);
        }
        // The step is played: the desk must show what the lesson says it does.
        let shown = screen(state);
        let missing = self.lesson.steps[self.step]
            .show
            .iter()
            .find(|text| !shown.contains(text.as_str()));
        if let Some(missing) = missing {
            tracing::warn!(
                lesson = %self.lesson.name,
                step = self.step + 1,
                "lesson stopped: the desk does not show what the step expects"
            );
            let missing = missing.clone();
            self.stop(state, missing);
            return (true, false);
        }
        let next = self.step + 1;
        match self.phase {
            Phase::Rewinding { to } if next == to => self.wait(to, state),
            Phase::Rewinding { .. } => {
                self.step = next;
                self.key = 0;
                self.due = Some(now);
            }
            _ if next < self.lesson.steps.len() => self.wait(next, state),
            _ => {
                self.phase = Phase::Finished;
                self.due = None;
                self.show_bar(state);
            }
        }
        (true, false)
    }

    /// A key the trainer pressed while the lesson runs. On a caption: Space, Enter, → or
    /// PageDown play the step; ←, Backspace or PageUp go back one; Esc ends the lesson.
    /// While keys are played only Esc counts. Quitting the desk (F10, Ctrl+Q) always works.
    pub(super) fn trainer_key(
        &mut self,
        key: KeyEvent,
        state: &mut AppState,
        effects: &mut Effects<'_>,
    ) -> TrainerKey {
        let quitting = matches!(key.code, KeyCode::F(10))
            || (key.modifiers.contains(KeyModifiers::CONTROL)
                && matches!(key.code, KeyCode::Char('q' | 'й')));
        if quitting {
            return TrainerKey::Desk;
        }
        if key.code == KeyCode::Esc {
            state.lesson = None;
            self.phase = Phase::Finished;
            self.due = None;
            return TrainerKey::Used(true, false);
        }
        match (self.phase, key.code) {
            (
                Phase::Waiting,
                KeyCode::Char(' ') | KeyCode::Enter | KeyCode::Right | KeyCode::PageDown,
            ) => {
                self.phase = Phase::Playing;
                self.key = 0;
                self.due = Some(Instant::now());
                self.show_bar(state);
                TrainerKey::Used(true, false)
            }
            (Phase::Waiting, KeyCode::Left | KeyCode::Backspace | KeyCode::PageUp)
                if self.step > 0 =>
            {
                let quit = self.rewind_to(self.step - 1, state, effects);
                TrainerKey::Used(true, quit)
            }
            (Phase::Finished | Phase::Stopped, KeyCode::Char(' ') | KeyCode::Enter) => {
                state.lesson = None;
                TrainerKey::Used(true, false)
            }
            _ => TrainerKey::Used(false, false),
        }
    }

    /// Whether the lesson owns the trainer's keys: not once it ended, nor while the desk is
    /// locked (the password goes to the lock's form).
    pub(super) fn active(&self, state: &AppState) -> bool {
        state.lesson.is_some() && state.sign_in_form().is_none()
    }
}

/// The screen as text, drawn from the state at the terminal's size: what the trainee sees.
pub(super) fn screen_text(state: &AppState) -> String {
    let (width, height) = crossterm::terminal::size().unwrap_or((80, 24));
    let backend = ratatui::backend::TestBackend::new(width, height);
    let Ok(mut terminal) = ratatui::Terminal::new(backend);
    let _ = terminal.draw(|frame| crate::ui::view(state, frame));
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}
