//! The event loop: blocks on input, a worker's result or the next deadline (a draft due, the
//! idle lock, midnight), and draws only when the state changed.

use std::time::Instant;

use crossterm::event::{Event, KeyCode};

use super::effects::Effects;
use super::lesson::{Player, TrainerKey, screen_text};
use crate::i18n::Message;
use crate::input::{Input, PasteCut};
use crate::opening::Opening;
use crate::store::{OpenReport, Operator, Store};
use crate::terminal::TerminalSession;
use crate::ui::{AppState, Command, Msg, view};

/// What the event loop wakes up for: input from the terminal, or a worker's result.
pub(super) enum Wake {
    Input(Input),
    /// The terminal's input ended (its window was closed).
    InputEnded,
    /// The rule files were read and checked on the worker.
    RulesLoaded(Box<Result<crate::rules::RuleSet, Vec<crate::rules::RuleError>>>),
    /// The lookup worker answered a query.
    Found(Box<crate::ui::lookup::Found>),
}

/// Runs one wake-up through the state; returns whether the desk should quit.
fn handle(
    wake: Wake,
    state: &mut AppState,
    effects: &mut Effects<'_>,
    redraw: &mut bool,
    panic_on_f12: bool,
    player: &mut Option<Player>,
) -> bool {
    let event = match wake {
        Wake::InputEnded => {
            effects.run(Command::SaveDraftNow, state);
            effects.end_of_session(state, "terminal_closed");
            return true;
        }
        Wake::RulesLoaded(loaded) => {
            effects.rules_loaded(*loaded);
            *redraw = true;
            return effects.drain(state);
        }
        Wake::Found(found) => {
            let (drawn, quit) = effects.deliver(Msg::Found(found), state);
            *redraw |= drawn;
            return quit;
        }
        Wake::Input(Input::PasteCut(cut)) => {
            tracing::warn!(?cut, "a paste was closed by the desk");
            state.show_notice(Message::new(match cut {
                PasteCut::Unfinished => "input.paste_unfinished",
                PasteCut::TooLong => "input.paste_too_long",
            }));
            *redraw = true;
            return false;
        }
        Wake::Input(Input::Event(event)) => event,
    };
    effects.last_input = Instant::now();
    // While a lesson runs, the trainer's keys steer it (the desk gets the lesson's keys).
    if let (Some(lesson), Event::Key(key)) = (player.as_mut(), &event)
        && key.kind != crossterm::event::KeyEventKind::Release
        && lesson.active(state)
    {
        match lesson.trainer_key(*key, state, effects) {
            TrainerKey::Used(drawn, quit) => {
                *redraw |= drawn;
                return quit;
            }
            TrainerKey::Desk => {}
        }
    }
    if panic_on_f12 && matches!(&event, Event::Key(k) if k.code == KeyCode::F(12)) {
        panic!("forced panic (REGDESK_DEBUG_PANIC_ON_F12)");
    }
    let Some(msg) = Msg::from_event(event) else {
        return false;
    };
    let (drawn, quit) = effects.deliver(msg, state);
    *redraw |= drawn;
    quit
}

/// Draws a frame; the first one of the process logs how long the start took.
fn draw(
    session: &mut TerminalSession,
    state: &AppState,
    first_frame: &mut Option<Instant>,
) -> color_eyre::Result<()> {
    session.terminal.draw(|frame| view(state, frame))?;
    if let Some(started) = first_frame.take() {
        tracing::info!(
            micros = started.elapsed().as_micros() as u64,
            "first frame drawn"
        );
    }
    Ok(())
}

/// The desk before anyone signed in: only the sign-in form works (and F10, and the language);
/// its requests open the database. Returns it with the operator, or `None` when the desk was
/// closed first.
pub(super) fn sign_in_loop(
    session: &mut TerminalSession,
    state: &mut AppState,
    inbox: &std::sync::mpsc::Receiver<Wake>,
    mut opening: Opening,
    started: Instant,
) -> color_eyre::Result<Option<(Store, OpenReport, Operator)>> {
    let mut redraw = true;
    let mut first_frame = Some(started);
    loop {
        if std::mem::take(&mut redraw) {
            draw(session, state, &mut first_frame)?;
        }
        let Ok(wake) = inbox.recv() else {
            return Ok(None);
        };
        let event = match wake {
            Wake::Input(Input::Event(event)) => event,
            Wake::InputEnded => return Ok(None),
            _ => continue,
        };
        let Some(msg) = Msg::from_event(event) else {
            continue;
        };
        let outcome = state.update(msg);
        redraw |= outcome.redraw;
        for command in outcome.commands {
            match command {
                Command::Quit => return Ok(None),
                Command::SignIn(request) => {
                    redraw = true;
                    let mut replies = Vec::new();
                    let opened = opening.sign_in(&mut replies, request);
                    // What the sign-in found goes to the state; before anyone is in, its
                    // updates ask for nothing that could run here.
                    for msg in replies {
                        let outcome = state.update(msg);
                        debug_assert!(outcome.commands.is_empty(), "{:?}", outcome.commands);
                    }
                    if let Some(opened) = opened {
                        return Ok(Some(opened));
                    }
                }
                Command::LanguageChanged(lang) => tracing::info!(%lang, "language switched"),
                // Nothing else is reachable before sign-in, and nothing else may run.
                _ => {}
            }
        }
    }
}

pub(super) fn event_loop(
    session: &mut TerminalSession,
    state: &mut AppState,
    effects: &mut Effects<'_>,
    inbox: std::sync::mpsc::Receiver<Wake>,
    started: Instant,
    mut player: Option<Player>,
) -> color_eyre::Result<()> {
    // Lets the end-to-end tests prove that a panic restores the terminal; harmless in a real
    // desk (nobody sets it), and kept in release builds so those tests run there too.
    let panic_on_f12 = std::env::var_os("REGDESK_DEBUG_PANIC_ON_F12").is_some();
    let mut redraw = true;
    let mut first_frame = Some(started);
    loop {
        if std::mem::take(&mut redraw) {
            draw(session, state, &mut first_frame)?;
        }
        // Block until something happens, or until a deadline: the draft is due, or the desk
        // has been idle for its lock time (the only two the loop wakes for). Then take
        // everything already waiting before the next frame, so a burst of input (a long paste
        // typed as keys) draws once.
        let lock_due = effects
            .lock_after
            .filter(|_| state.operator.is_some() && state.sign_in_form().is_none())
            .map(|after| effects.last_input + after);
        // The desk's date follows the clock: it wakes once at the next local midnight.
        let day_due = Instant::now() + crate::clock::until_next_day(chrono::Local::now());
        let lesson_due = player.as_ref().and_then(Player::due);
        let due = [effects.draft_due, lock_due, Some(day_due), lesson_due]
            .into_iter()
            .flatten()
            .min();
        let wake = match due {
            Some(due) => {
                let wait = due.saturating_duration_since(Instant::now());
                match inbox.recv_timeout(wait) {
                    Ok(wake) => wake,
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                        let now = Instant::now();
                        // Deadlines go through the same paths as keys: the timed draft save
                        // is a command (so the checkpointer hears of its write), the day and
                        // the idle lock are messages whose commands run.
                        let mut quit = false;
                        if effects.draft_due.is_some_and(|d| d <= now) {
                            quit |= effects.run(Command::SaveDraftNow, state);
                        }
                        if day_due <= now {
                            let today = chrono::Local::now().date_naive();
                            quit |= effects.deliver(Msg::DayChanged(today), state).1;
                        }
                        if let Some(lesson) = player.as_mut()
                            && lesson_due.is_some_and(|d| d <= now)
                        {
                            let (_, stop) = lesson.tick(state, effects, &screen_text);
                            quit |= stop;
                        }
                        if lock_due.is_some_and(|d| d <= now) {
                            tracing::info!("desk locked after its idle time");
                            quit |= effects.deliver(Msg::IdleLock, state).1;
                        }
                        if quit {
                            return Ok(());
                        }
                        redraw = true;
                        continue;
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
                }
            }
            None => match inbox.recv() {
                Ok(wake) => wake,
                Err(_) => return Ok(()),
            },
        };
        if handle(wake, state, effects, &mut redraw, panic_on_f12, &mut player) {
            return Ok(());
        }
        while let Ok(wake) = inbox.try_recv() {
            if handle(wake, state, effects, &mut redraw, panic_on_f12, &mut player) {
                return Ok(());
            }
        }
    }
}
