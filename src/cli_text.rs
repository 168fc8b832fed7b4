//! The command line in the interface language: its help (every command's and option's text,
//! the headings, defaults and possible values) and its errors come from the catalogs, in the
//! language `--lang` or the locale asks for. The English doc comments on [`crate::cli`] are
//! the parser's; what a person reads is `cli_about.*` and `cli_arg.*`.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

use crate::cli::Cli;
use crate::i18n::{Lang, Tr};

/// The language of the command line, before it is parsed: `--lang X` (or `--lang=X`) among
/// the arguments, else the locale, else Russian (as [`Cli::language`]).
pub fn early_language(args: &[OsString]) -> Lang {
    let texts: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let given = texts.iter().enumerate().find_map(|(i, a)| {
        if a == "--lang" {
            texts.get(i + 1).and_then(|v| v.parse::<Lang>().ok())
        } else {
            a.strip_prefix("--lang=")
                .and_then(|v| v.parse::<Lang>().ok())
        }
    });
    given
        .or_else(crate::cli::locale_language)
        .unwrap_or_default()
}

/// The key of a command's path: `regdesk`, `rules_check`, `operator_reset-password`.
fn path_key(path: &str) -> String {
    if path.is_empty() {
        "regdesk".to_owned()
    } else {
        path.to_owned()
    }
}

/// The text of `key` in the catalogs, if any has it.
fn text(tr: &Tr, key: &str) -> Option<String> {
    let t = tr.t(key);
    (t != key).then_some(t)
}

/// `arg` with its help in the reader's language, and its default, variable and possible
/// values said in words after it (clap would say them in English).
fn localise_arg(arg: Arg, key: &str, tr: &Tr) -> Arg {
    let mut help = text(tr, &format!("cli_arg.{key}"))
        .or_else(|| arg.get_help().map(|h| h.to_string()))
        .unwrap_or_default();
    let mut notes = Vec::new();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    if !values.is_empty() && arg.get_action().takes_values() {
        notes.push(tr.f("cli_help.values", &[("values", &values.join(", "))]));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && arg.get_action().takes_values() {
        notes.push(tr.f("cli_help.default", &[("value", &defaults.join(", "))]));
    }
    if let Some(env) = arg.get_env() {
        notes.push(tr.f("cli_help.env", &[("name", &env.to_string_lossy())]));
    }
    if !notes.is_empty() {
        help = format!("{help} [{}]", notes.join("; "));
    }
    let heading = if arg.is_positional() {
        tr.t("cli_help.arguments")
    } else {
        tr.t("cli_help.options")
    };
    let takes_values = arg.get_action().takes_values();
    let has_env = arg.get_env().is_some();
    let mut arg = arg
        .help(help)
        .long_help(clap::builder::Resettable::Reset)
        .help_heading(heading);
    if takes_values {
        arg = arg.hide_default_value(true).hide_possible_values(true);
    }
    if has_env {
        arg = arg.hide_env(true);
    }
    arg
}

/// `command` (at `path`) and its subcommands in the reader's language.
fn localise(command: Command, path: &str, tr: &Tr) -> Command {
    let key = path_key(path);
    let about = text(tr, &format!("cli_about.{key}"));
    let ids: Vec<String> = command
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    let mut command = command
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_help_heading(tr.t("cli_help.commands"))
        .help_template(format!(
            "{{about-with-newline}}\n{}: {{usage}}\n\n{{all-args}}{{after-help}}",
            tr.t("cli_help.usage")
        ))
        .arg(
            Arg::new("help")
                .long("help")
                .short('h')
                .action(ArgAction::Help)
                .help(tr.t("cli_help.help"))
                .help_heading(tr.t("cli_help.options")),
        );
    if let Some(about) = about {
        command = command
            .about(about)
            .long_about(clap::builder::Resettable::Reset);
    }
    if path.is_empty() {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .long("version")
                .short('V')
                .action(ArgAction::Version)
                .help(tr.t("cli_help.version"))
                .help_heading(tr.t("cli_help.options")),
        );
    }
    for id in ids {
        // Global options are said once, at the top: the same key everywhere.
        let global = command
            .get_arguments()
            .find(|a| a.get_id() == id.as_str())
            .is_some_and(|a| a.is_global_set());
        let arg_key = if global {
            format!("regdesk__{id}")
        } else {
            format!("{key}__{id}")
        };
        command = command.mut_arg(id.as_str(), |arg| localise_arg(arg, &arg_key, tr));
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    for name in names {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}_{name}")
        };
        command = command.mut_subcommand(name.as_str(), |sub| localise(sub, &sub_path, tr));
    }
    command
}

/// The whole command line in `lang`.
pub fn command(lang: Lang) -> Command {
    localise(Cli::command(), "", &Tr::new(lang))
}

/// A context value as text (an argument's name, a value, a suggestion).
fn context(error: &clap::Error, kind: ContextKind) -> Option<String> {
    match error.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(list) => Some(list.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(list) => Some(
            list.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A parse error in the reader's words: what was wrong, a suggestion when clap has one, and
/// where to read more.
pub fn error_text(error: &clap::Error, lang: Lang) -> String {
    let tr = Tr::new(lang);
    let arg = context(error, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(error, ContextKind::InvalidValue).unwrap_or_default();
    let message = match error.kind() {
        ErrorKind::UnknownArgument => tr.f("cli_error.unknown_argument", &[("arg", &arg)]),
        ErrorKind::InvalidSubcommand => {
            let command = context(error, ContextKind::InvalidSubcommand).unwrap_or(value);
            tr.f("cli_error.unknown_command", &[("command", &command)])
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => tr.f(
            "cli_error.invalid_value",
            &[("arg", &arg), ("value", &value)],
        ),
        ErrorKind::MissingRequiredArgument => tr.f("cli_error.missing_argument", &[("arg", &arg)]),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            tr.t("cli_error.missing_command")
        }
        ErrorKind::ArgumentConflict => {
            let other = context(error, ContextKind::PriorArg).unwrap_or_default();
            tr.f("cli_error.conflict", &[("arg", &arg), ("other", &other)])
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::NoEquals => {
            tr.f("cli_error.values", &[("arg", &arg)])
        }
        ErrorKind::InvalidUtf8 => tr.t("cli_error.not_utf8"),
        _ => tr.t("cli_error.other"),
    };
    let mut out = format!("regdesk: {message}");
    if let Some(valid) = context(error, ContextKind::ValidValue) {
        out.push_str(&format!(
            "\n  {}",
            tr.f("cli_help.values", &[("values", &valid)])
        ));
    }
    if let Some(suggested) = context(error, ContextKind::SuggestedArg)
        .or_else(|| context(error, ContextKind::SuggestedSubcommand))
    {
        out.push_str(&format!(
            "\n  {}",
            tr.f("cli_error.suggestion", &[("suggestion", &suggested)])
        ));
    }
    out.push_str(&format!("\n{}", tr.t("cli_error.more")));
    out
}

/// The help clap rendered, with the words of its usage line in the reader's language too.
pub fn help_text(error: &clap::Error, lang: Lang) -> String {
    let tr = Tr::new(lang);
    error
        .render()
        .to_string()
        .replace("[OPTIONS]", &format!("[{}]", tr.t("cli_help.options_word")))
        .replace("[COMMAND]", &format!("[{}]", tr.t("cli_help.command_word")))
        .replace("<COMMAND>", &format!("<{}>", tr.t("cli_help.command_word")))
        .replace("[alias: ", &format!("[{}: ", tr.t("cli_help.alias")))
}

/// Parses `args` with the help and errors in the interface language. Help and version are
/// printed here (exit 0); an error is said in words and exits 2, as clap's own would.
pub fn parse(args: Vec<OsString>) -> Cli {
    let lang = early_language(&args);
    let result = command(lang)
        .try_get_matches_from(args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    match result {
        // The training tools work on the training database only, as --training does.
        Ok(mut cli) => {
            if matches!(cli.command, Some(crate::cli::Command::Training(_))) {
                cli.training = true;
            }
            cli
        }
        Err(error) if error.kind() == ErrorKind::DisplayHelp => {
            // A reader that went away (`regdesk --help | head -1`) is no error.
            use std::io::Write;
            let _ = std::io::stdout().write_all(help_text(&error, lang).as_bytes());
            std::process::exit(0);
        }
        Err(error) if error.kind() == ErrorKind::DisplayVersion => {
            let _ = error.print();
            std::process::exit(0);
        }
        Err(error) => {
            eprintln!("{}", error_text(&error, lang));
            std::process::exit(2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(lang: Lang, args: &[&str]) -> String {
        let mut all = vec!["regdesk"];
        all.extend_from_slice(args);
        all.push("--help");
        let error = command(lang).try_get_matches_from(all).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::DisplayHelp);
        help_text(&error, lang)
    }

    /// Every command and every option has its text in every language (a new option without
    /// its translation fails here), and no help is left in English in ru or kk.
    #[test]
    fn every_command_and_option_is_said_in_every_language() {
        fn walk(command: &Command, path: &str, out: &mut Vec<String>) {
            out.push(format!("cli_about.{}", path_key(path)));
            for arg in command.get_arguments() {
                if arg.is_global_set() && !path.is_empty() {
                    continue;
                }
                out.push(format!("cli_arg.{}__{}", path_key(path), arg.get_id()));
            }
            for sub in command.get_subcommands() {
                let p = if path.is_empty() {
                    sub.get_name().to_owned()
                } else {
                    format!("{path}_{}", sub.get_name())
                };
                walk(sub, &p, out);
            }
        }
        let mut keys = Vec::new();
        walk(&Cli::command(), "", &mut keys);
        assert!(keys.len() > 70, "{}", keys.len());
        let catalogs = crate::i18n::Catalogs::embedded();
        let missing: Vec<String> = Lang::ALL
            .iter()
            .flat_map(|lang| {
                keys.iter()
                    .filter(|key| catalogs.catalog(*lang).get(key).is_none())
                    .map(move |key| format!("{lang:?}: {key}"))
            })
            .collect();
        assert!(missing.is_empty(), "{missing:#?}");
    }

    #[test]
    fn the_help_speaks_the_interface_language() {
        let ru = help(Lang::Ru, &[]);
        for expected in [
            "Использование:",
            "Команды:",
            "Параметры:",
            "Показать справку",
        ] {
            assert!(ru.contains(expected), "{expected:?} in\n{ru}");
        }
        for english in [
            "Usage:",
            "Options:",
            "Print help",
            "[default:",
            "[env:",
            "[OPTIONS]",
            "[COMMAND]",
            "alias",
        ] {
            assert!(!ru.contains(english), "{english:?} in\n{ru}");
        }
        let kk = help(Lang::Kk, &["lookup"]);
        assert!(kk.contains("Өтініштерді ЖСН"), "{kk}");
        assert!(kk.contains("Мәндері:"), "{kk}");
        let en = help(Lang::En, &["print", "receipt"]);
        assert!(en.contains("The application number"), "{en}");
    }

    #[test]
    fn errors_speak_the_interface_language() {
        let error = command(Lang::Ru)
            .try_get_matches_from(["regdesk", "desk", "--lokc-after", "30s"])
            .unwrap_err();
        let text = error_text(&error, Lang::Ru);
        assert!(
            text.contains("неизвестный параметр '--lokc-after'"),
            "{text}"
        );
        assert!(text.contains("--lock-after"), "{text}");
        let error = command(Lang::Kk)
            .try_get_matches_from(["regdesk", "lookup", "ахметов", "--to", "+10000-01-01"])
            .unwrap_err();
        let text = error_text(&error, Lang::Kk);
        assert!(text.contains("+10000-01-01"), "{text}");
        assert!(!text.contains("invalid value"), "{text}");
    }

    #[test]
    fn the_language_is_read_before_parsing() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            early_language(&args(&["regdesk", "--lang", "kk"])),
            Lang::Kk
        );
        assert_eq!(
            early_language(&args(&["regdesk", "x", "--lang=en"])),
            Lang::En
        );
    }

    /// The localised command line parses what the plain one does.
    #[test]
    fn the_localised_command_line_parses_as_before() {
        let matches = command(Lang::Kk)
            .try_get_matches_from(["regdesk", "desk", "--lock-after", "30s", "--lang", "kk"])
            .unwrap();
        let cli = Cli::from_arg_matches(&matches).unwrap();
        assert_eq!(cli.lock_after, std::time::Duration::from_secs(30));
        assert_eq!(cli.lang, Some(Lang::Kk));
    }
}
