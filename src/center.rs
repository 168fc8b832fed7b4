//! The center profile: the service center (or NGO office) that runs this desk, as its printed
//! papers and the personal-data consent name it: its name in three languages, BIN, address,
//! phone, and where a person checks the status of an application. A small TOML file in the
//! user's config folder, validated like the rule files: every problem with FILE:LINE:COLUMN.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::core::Bin;
use crate::i18n::{Message, printable};
use crate::rules::RuleError;
use crate::rules::loader::Source;
use crate::rules::model::Texts;

/// The file name of the profile in the config folder.
pub const FILE_NAME: &str = "center.toml";

/// A profile to start from (`regdesk config example`): fictional values to replace.
pub const EXAMPLE: &str = include_str!("../assets/center.example.toml");

#[derive(Debug, Clone, PartialEq)]
pub struct CenterProfile {
    pub name: Texts,
    pub bin: Bin,
    pub address: Texts,
    pub phone: String,
    /// Where and how a person checks an application's status.
    pub status_check: Texts,
}

/// Where the profile is read from: `REGDESK_CENTER`, else `center.toml` in the user's config
/// folder (`~/.config/regdesk` on Linux).
pub fn default_path() -> PathBuf {
    if let Some(path) = std::env::var_os("REGDESK_CENTER") {
        return PathBuf::from(path);
    }
    directories::ProjectDirs::from("kz", "regdesk", "regdesk")
        .map(|d| d.config_dir().join(FILE_NAME))
        .unwrap_or_else(|| PathBuf::from(FILE_NAME))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    center: RawCenter,
    #[allow(dead_code)] // read by `anchor_path`, on its own
    audit: Option<RawAudit>,
}

/// `[audit]`: where the audit chain's anchors are kept.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAudit {
    #[allow(dead_code)]
    anchors: String,
}

/// The anchor file of the audit chain of `database` (`store::anchors`): `anchors` in the
/// profile's `[audit]` table (relative to the profile's folder), read on its own so that a
/// profile not yet complete still places it; else beside the database.
pub fn anchor_path(database: &Path) -> PathBuf {
    let profile = default_path();
    let named = std::fs::read_to_string(&profile)
        .ok()
        .filter(|text| text.len() as u64 <= MAX_BYTES)
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|table| {
            table
                .get("audit")?
                .get("anchors")?
                .as_str()
                .map(PathBuf::from)
        })
        .filter(|path| !path.as_os_str().is_empty());
    match named {
        Some(path) if path.is_relative() => {
            profile.parent().map_or(path.clone(), |dir| dir.join(&path))
        }
        Some(path) => path,
        None => crate::store::default_anchor_path(database),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCenter {
    name: Spanned<RawTexts>,
    bin: Spanned<String>,
    address: Spanned<RawTexts>,
    phone: Spanned<String>,
    status_check: Spanned<RawTexts>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTexts {
    ru: String,
    kk: String,
    en: String,
}

/// A file larger than this is not a profile.
const MAX_BYTES: u64 = 64 * 1024;

/// Reads and checks the profile at `path`; a missing file is one clear error saying where it
/// is looked for and how to make one.
pub fn load(path: &Path) -> Result<CenterProfile, Vec<RuleError>> {
    let shown = printable(&path.display().to_string());
    let whole = |message: Message| {
        vec![RuleError {
            file: shown.clone(),
            line: 0,
            column: 0,
            message,
        }]
    };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(whole(Message::new("center.error.missing")));
        }
        Err(e) => {
            return Err(whole(
                Message::new("rules.error.cannot_read").arg("detail", e),
            ));
        }
    };
    if !meta.is_file() {
        return Err(whole(Message::new("rules.error.not_a_file")));
    }
    if meta.len() > MAX_BYTES {
        return Err(whole(
            Message::new("rules.error.file_too_large").arg("max", MAX_BYTES / 1024),
        ));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| whole(Message::new("rules.error.cannot_read").arg("detail", e)))?;
    parse(&shown, &text)
}

/// Checks the text of a profile; `name` is how the file is shown in messages.
pub fn parse(name: &str, text: &str) -> Result<CenterProfile, Vec<RuleError>> {
    let src = Source::new(name, text);
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        vec![src.error(
            e.span().unwrap_or(0..0),
            Message::new("rules.error.syntax").arg("detail", e.message().trim()),
        )]
    })?;
    let c = raw.center;
    let mut errors = Vec::new();
    let mut texts = |field: &'static str, node: Spanned<RawTexts>| {
        let span = node.span();
        let t = node.into_inner();
        if [&t.ru, &t.kk, &t.en].iter().any(|s| s.trim().is_empty()) {
            errors.push(src.error(
                span.clone(),
                Message::new("rules.error.texts_missing").arg("what", field),
            ));
        }
        // Printed on papers people sign: no line breaks, escapes or direction marks that
        // could reorder or hide what the paper says.
        let hidden = |c: char| c.is_control() || crate::i18n::is_bidi_control(c);
        if [&t.ru, &t.kk, &t.en].iter().any(|s| s.chars().any(hidden)) {
            errors.push(src.error(span, Message::new("center.error.hidden").arg("what", field)));
        }
        Texts {
            ru: t.ru,
            kk: t.kk,
            en: t.en,
        }
    };
    let name_texts = texts("center.name", c.name);
    let address = texts("center.address", c.address);
    let status_check = texts("center.status_check", c.status_check);
    let bin = match Bin::parse(c.bin.get_ref()) {
        Ok(bin) => Some(bin),
        Err(e) => {
            errors.push(src.error(
                c.bin.span(),
                Message::new("center.error.bin").arg_key("problem", e.message_key()),
            ));
            None
        }
    };
    let phone = c.phone.get_ref().trim().to_owned();
    let phone_ok = (5..=24).contains(&phone.chars().count())
        && phone.chars().any(|ch| ch.is_ascii_digit())
        && phone
            .chars()
            .all(|ch| ch.is_ascii_digit() || " +-()".contains(ch));
    if !phone_ok {
        errors.push(src.error(c.phone.span(), Message::new("center.error.phone")));
    }
    match bin {
        Some(bin) if errors.is_empty() => Ok(CenterProfile {
            name: name_texts,
            bin,
            address,
            phone,
            status_check,
        }),
        _ => Err(errors),
    }
}

/// The profile's parts as the desk's form edits them, in this order (each a line of text).
pub const FIELDS: [&str; 11] = [
    "center.field.name_ru",
    "center.field.name_kk",
    "center.field.name_en",
    "center.field.bin",
    "center.field.address_ru",
    "center.field.address_kk",
    "center.field.address_en",
    "center.field.phone",
    "center.field.status_ru",
    "center.field.status_kk",
    "center.field.status_en",
];

/// The values of [`FIELDS`], as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CenterFields(pub [String; 11]);

impl CenterFields {
    /// The fields of a profile that loaded.
    pub fn of(p: &CenterProfile) -> CenterFields {
        let bin = p.bin.to_string();
        CenterFields(
            [
                &p.name.ru,
                &p.name.kk,
                &p.name.en,
                &bin,
                &p.address.ru,
                &p.address.kk,
                &p.address.en,
                &p.phone,
                &p.status_check.ru,
                &p.status_check.kk,
                &p.status_check.en,
            ]
            .map(|v| v.to_string()),
        )
    }
}

/// The line of the written profile each of its keys is on (see [`render`]), and the fields
/// that key holds.
const LINES: [(usize, std::ops::Range<usize>); 5] =
    [(4, 0..3), (5, 3..4), (6, 4..7), (7, 7..8), (8, 8..11)];

/// The profile file for `fields`, one key a line; `[audit]` of the file it replaces is kept.
pub fn render(fields: &CenterFields, audit: Option<&toml::Table>) -> String {
    let q = |i: usize| toml::Value::String(fields.0[i].trim().to_owned()).to_string();
    let texts = |i: usize| format!("{{ ru = {}, kk = {}, en = {} }}", q(i), q(i + 1), q(i + 2));
    let mut text = format!(
        "# The center profile, written by regdesk (check it with `regdesk config check`).\n\n\
         [center]\nname = {}\nbin = {}\naddress = {}\nphone = {}\nstatus_check = {}\n",
        texts(0),
        q(3),
        texts(4),
        q(7),
        texts(8),
    );
    if let Some(audit) = audit {
        let mut table = toml::Table::new();
        table.insert("audit".into(), toml::Value::Table(audit.clone()));
        text.push('\n');
        text.push_str(&toml::to_string(&table).unwrap_or_default());
    }
    text
}

/// Why the desk did not save a profile.
#[derive(Debug)]
pub enum SaveProblem {
    /// A value is wrong: the field (an index of [`FIELDS`]) and why.
    Invalid { field: usize, message: Message },
    /// The file there is not a center profile (not ours to replace).
    Foreign,
    /// The file could not be written.
    Io(String),
}

impl SaveProblem {
    pub fn message(&self) -> Message {
        match self {
            SaveProblem::Invalid { message, .. } => message.clone(),
            SaveProblem::Foreign => Message::new("center.error.foreign"),
            SaveProblem::Io(detail) => {
                Message::new("center.error.not_written").arg("detail", detail)
            }
        }
    }
}

/// Checks `fields` as `regdesk config check` would and writes them to `path`, whole (through
/// a temporary file, never through a link). A file there that is not a profile is left as
/// it was; its `[audit]` table is kept.
pub fn save(path: &Path, fields: &CenterFields) -> Result<CenterProfile, SaveProblem> {
    let existing = match std::fs::read_to_string(path) {
        Ok(text) if text.trim().is_empty() => None,
        Ok(text) => match text.parse::<toml::Table>() {
            Ok(table) if table.contains_key("center") => Some(table),
            _ => return Err(SaveProblem::Foreign),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(_) => return Err(SaveProblem::Foreign),
    };
    let audit = existing
        .as_ref()
        .and_then(|t| t.get("audit"))
        .and_then(|a| a.as_table());
    let text = render(fields, audit);
    let profile = parse(FILE_NAME, &text).map_err(|errors| {
        let first = &errors[0];
        let field = LINES
            .iter()
            .find(|(line, _)| *line == first.line)
            .map_or(0, |(_, range)| {
                range
                    .clone()
                    .find(|i| fields.0[*i].trim().is_empty())
                    .unwrap_or(range.start)
            });
        SaveProblem::Invalid {
            field,
            message: first.message.clone(),
        }
    })?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| SaveProblem::Io(e.to_string()))?;
    }
    crate::files::write_new(path, text.as_bytes(), true).map_err(|e| match e {
        crate::files::WriteRefused::Io(e) => SaveProblem::Io(e.to_string()),
        _ => SaveProblem::Foreign,
    })?;
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_profile_is_valid() {
        let profile = parse("center.toml", EXAMPLE).unwrap();
        assert_eq!(profile.phone, "+7 (727) 000-00-00");
        assert!(profile.name.kk.contains('Қ') || profile.name.kk.contains('қ'));
    }

    #[test]
    fn problems_are_located_and_all_reported() {
        let text = EXAMPLE
            .replace("bin = \"", "bin = \"9")
            .replace("phone = \"+7", "phone = \"call us +7");
        let errors = parse("center.toml", &text).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(shown[0].starts_with("center.toml:"), "{shown:?}");
        assert!(shown.iter().any(|e| e.contains("BIN")), "{shown:?}");
        assert!(shown.iter().any(|e| e.contains("phone")), "{shown:?}");
    }

    #[test]
    fn unknown_keys_and_syntax_errors_name_the_place() {
        let text = EXAMPLE.replace("phone =", "fone =");
        let errors = parse("center.toml", &text).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].line > 0);
        let errors = parse("center.toml", "[center\nname = 1").unwrap_err();
        assert_eq!(errors[0].line, 1);
    }

    #[test]
    fn a_missing_file_says_where_it_is_looked_for() {
        let dir = tempfile::tempdir().unwrap();
        let errors = load(&dir.path().join("center.toml")).unwrap_err();
        assert_eq!(errors[0].message.key, "center.error.missing");
        assert!(errors[0].to_string().contains("center.toml"));
    }

    #[test]
    fn the_desk_writes_a_profile_that_checks_and_keeps_the_audit_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config/center.toml");
        let example = parse("center.toml", EXAMPLE).unwrap();
        let mut fields = CenterFields::of(&example);
        fields.0[7] = "+7 (727) 111-22-33".into();
        let saved = save(&path, &fields).unwrap();
        assert_eq!(saved.phone, "+7 (727) 111-22-33");
        assert_eq!(load(&path).unwrap(), saved);
        // An [audit] table written by hand stays.
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            format!("{text}\n[audit]\nanchors = \"/srv/a.anchors\"\n"),
        )
        .unwrap();
        save(&path, &fields).unwrap();
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .contains("/srv/a.anchors")
        );
    }

    #[test]
    fn a_wrong_value_names_its_field_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("center.toml");
        let mut fields = CenterFields::of(&parse("center.toml", EXAMPLE).unwrap());
        fields.0[3] = "120340000124".into();
        let Err(SaveProblem::Invalid { field, .. }) = save(&path, &fields) else {
            panic!("a bad BIN is refused");
        };
        assert_eq!(FIELDS[field], "center.field.bin");
        fields.0[3] = CenterFields::of(&parse("center.toml", EXAMPLE).unwrap()).0[3].clone();
        fields.0[5] = " ".into();
        let Err(SaveProblem::Invalid { field, .. }) = save(&path, &fields) else {
            panic!("an empty address is refused");
        };
        assert_eq!(FIELDS[field], "center.field.address_kk");
        assert!(!path.exists());
    }

    /// Whatever is typed into the form (quotes, backslashes, TOML syntax, long or odd
    /// Unicode) is written as text and reads back the same: nothing typed can change the
    /// file's structure.
    #[test]
    fn odd_values_are_written_as_text_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("center.toml");
        let mut fields = CenterFields::of(&parse("center.toml", EXAMPLE).unwrap());
        fields.0[0] = "ЦОН \"Алатау\" \\ ''' \"\"\" [audit] anchors = \"/etc/passwd\"".into();
        fields.0[4] = "Әбілқайыр 😀 ".repeat(20);
        fields.0[10] = "x = 1 [center]".into();
        let saved = save(&path, &fields).unwrap();
        assert_eq!(saved.name.ru, fields.0[0]);
        assert_eq!(
            saved.address.ru,
            fields.0[4].trim(),
            "values are written trimmed"
        );
        assert_eq!(saved.status_check.en, fields.0[10]);
        assert_eq!(load(&path).unwrap(), saved);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.parse::<toml::Table>().unwrap().get("audit").is_none(),
            "{text}"
        );
    }

    /// A direction mark or a line break, typed or pasted, is refused on its field: papers
    /// people sign never carry hidden reordering.
    #[test]
    fn hidden_characters_are_refused_on_their_field() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("center.toml");
        let mut fields = CenterFields::of(&parse("center.toml", EXAMPLE).unwrap());
        fields.0[5] = "Алматы \u{202e}1 .к".into();
        let Err(SaveProblem::Invalid { field, message }) = save(&path, &fields) else {
            panic!("refused");
        };
        assert_eq!(FIELDS[field], "center.field.address_ru");
        assert_eq!(message.key, "center.error.hidden");
        assert!(!path.exists());
    }

    #[test]
    fn a_file_that_is_not_a_profile_is_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("center.toml");
        std::fs::write(&path, "something = else\n").unwrap();
        let fields = CenterFields::of(&parse("center.toml", EXAMPLE).unwrap());
        assert!(matches!(save(&path, &fields), Err(SaveProblem::Foreign)));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "something = else\n"
        );
    }
}
