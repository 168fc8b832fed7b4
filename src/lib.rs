//! regdesk: a keyboard-driven desk for registration at place of residence in Kazakhstan.
//!
//! Module map:
//! - [`core`]: pure domain types (IIN, names, application numbers, statuses). No IO.
//! - [`i18n`]: the translation layer; catalogs in `assets/i18n`.
//! - [`store`]: the SQLite database; the only module with SQL.
//! - [`ui`]: screen state, key handling (`update`) and drawing (`view`). No IO.
//! - [`app`]: the one place where side effects run: terminal, event loop, store calls
//!   ([`opening`]: the database opened by the sign-in, [`commands`]: the command line).
//! - [`platform`]: what differs between operating systems (signals and console events,
//!   process liveness, durable and owner-only files, terminal input, printing); nothing
//!   outside it names an operating system.

pub mod app;
pub mod case;
pub mod center;
pub mod checkpointer;
pub mod cli;
pub mod cli_text;
pub mod clock;
pub mod commands;
pub mod core;
pub mod demo;
pub mod files;
pub mod i18n;
pub mod input;
pub mod logging;
pub mod lookup_worker;
pub mod open;
pub mod opening;
pub mod output;
pub mod paths;
pub mod platform;
pub mod print;
pub mod records;
pub mod rules;
pub mod store;
pub mod terminal;
pub mod text;
pub mod training;
pub mod ui;
pub mod unlock;
