//! The translation layer. Every user-facing string is looked up here by key in the Russian,
//! Kazakh or English catalog embedded from `assets/i18n/*.toml`. A key missing from a catalog
//! falls back to English (and a test keeps the catalogs in step). Placeholders are written
//! `{name}`; plural entries are tables with the CLDR categories the language needs.

mod message;
pub mod plural;

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

pub use message::Message;
pub use plural::PluralCategory;

/// A date as people read it at the desk, in every language: `24.11.2025` (DD.MM.YYYY, the
/// way operators write dates; ISO dates stay in files and JSON).
pub fn human_date(date: chrono::NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

pub use crate::core::person_name::is_bidi_control;

/// `text` safe to show on a terminal or in a message: control characters and the bidi
/// overrides that reorder what follows are written as `\u{..}`, so a file name with a newline
/// or a right-to-left override cannot fake or hide what the line says.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_bidi_control(c) {
            out.push_str(&format!("\\u{{{:04x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Ru,
    Kk,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Ru, Lang::Kk, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Kk => "kk",
            Lang::En => "en",
        }
    }

    /// The next language in the runtime switch cycle.
    pub fn next(self) -> Lang {
        match self {
            Lang::Ru => Lang::Kk,
            Lang::Kk => Lang::En,
            Lang::En => Lang::Ru,
        }
    }

    /// Picks the language from a locale string such as `kk_KZ.UTF-8`, if it is one of ours.
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let code = locale
            .split(['_', '.', '-', '@'])
            .next()?
            .to_ascii_lowercase();
        code.parse().ok()
    }

    fn source(self) -> &'static str {
        match self {
            Lang::Ru => include_str!("../../assets/i18n/ru.toml"),
            Lang::Kk => include_str!("../../assets/i18n/kk.toml"),
            Lang::En => include_str!("../../assets/i18n/en.toml"),
        }
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ru" => Ok(Lang::Ru),
            "kk" | "kz" => Ok(Lang::Kk),
            "en" => Ok(Lang::En),
            other => Err(format!("unknown language '{other}': use ru, kk or en")),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One entry of a catalog: a plain text, or one text per plural category.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Text(String),
    Plural(HashMap<PluralCategory, String>),
}

/// All entries of one language, keyed by dotted path (`shell.quit`).
#[derive(Debug, Default)]
pub struct Catalog {
    entries: HashMap<String, Entry>,
}

impl Catalog {
    /// Parses a catalog from TOML text. Errors name the key at fault.
    pub fn parse(text: &str) -> Result<Catalog, String> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
        let mut catalog = Catalog::default();
        catalog.flatten("", &table)?;
        Ok(catalog)
    }

    fn flatten(&mut self, prefix: &str, table: &toml::Table) -> Result<(), String> {
        for (key, value) in table {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match value {
                toml::Value::String(s) => {
                    self.entries.insert(path, Entry::Text(s.clone()));
                }
                // A table of plural forms: "other" and only CLDR categories ("choice" has a
                // value named "other" among many that are not categories).
                toml::Value::Table(t)
                    if t.contains_key("other")
                        && t.keys().all(|k| k.parse::<PluralCategory>().is_ok()) =>
                {
                    let mut forms = HashMap::new();
                    for (category, text) in t {
                        let category = category.parse::<PluralCategory>().map_err(|_| {
                            format!("{path}: '{category}' is not a plural category")
                        })?;
                        let text = text
                            .as_str()
                            .ok_or(format!("{path}.{category:?}: not a string"))?;
                        forms.insert(category, text.to_owned());
                    }
                    self.entries.insert(path, Entry::Plural(forms));
                }
                toml::Value::Table(t) => self.flatten(&path, t)?,
                _ => return Err(format!("{path}: expected a string or a table")),
            }
        }
        Ok(())
    }

    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.get(key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.keys()
    }
}

/// The three embedded catalogs, parsed once.
pub struct Catalogs {
    by_lang: [Catalog; 3],
}

impl Catalogs {
    /// The catalogs compiled into the binary. A catalog that does not parse is a build defect
    /// (caught by the tests), so it is replaced by an empty one rather than stopping the desk.
    pub fn embedded() -> &'static Catalogs {
        static CATALOGS: OnceLock<Catalogs> = OnceLock::new();
        CATALOGS.get_or_init(|| Catalogs {
            by_lang: Lang::ALL.map(|lang| Catalog::parse(lang.source()).unwrap_or_default()),
        })
    }

    pub fn catalog(&self, lang: Lang) -> &Catalog {
        &self.by_lang[lang as usize]
    }
}

/// A translator for one language: the handle every screen draws with.
#[derive(Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
    catalogs: &'static Catalogs,
}

impl fmt::Debug for Tr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tr({})", self.lang)
    }
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr {
            lang,
            catalogs: Catalogs::embedded(),
        }
    }

    fn entry(&self, key: &str) -> Option<&'static Entry> {
        self.catalogs
            .catalog(self.lang)
            .get(key)
            .or_else(|| self.catalogs.catalog(Lang::En).get(key))
    }

    /// The text for `key`; the key itself if no catalog has it (visible, never a crash).
    pub fn t(&self, key: &str) -> String {
        match self.entry(key) {
            Some(Entry::Text(text)) => text.clone(),
            Some(Entry::Plural(forms)) => forms
                .get(&PluralCategory::Other)
                .cloned()
                .unwrap_or_default(),
            None => key.to_owned(),
        }
    }

    /// The text for `key` with `{name}` placeholders filled in.
    pub fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }

    /// The plural form of `key` for `n`, with `{n}` and the other placeholders filled in.
    pub fn n(&self, key: &str, n: u64, args: &[(&str, &str)]) -> String {
        let template = match self.entry(key) {
            Some(Entry::Plural(forms)) => {
                let category = plural::category(self.lang, n);
                forms
                    .get(&category)
                    .or_else(|| forms.get(&PluralCategory::Other))
                    .cloned()
            }
            Some(Entry::Text(text)) => Some(text.clone()),
            None => None,
        }
        .unwrap_or_else(|| key.to_owned());
        let count = n.to_string();
        let mut all = vec![("n", count.as_str())];
        all.extend_from_slice(args);
        fill(template, &all)
    }
}

fn fill(mut text: String, args: &[(&str, &str)]) -> String {
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(text: &str) -> BTreeSet<String> {
        text.split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}'))
            .map(|(p, _)| p.to_owned())
            .collect()
    }

    fn entry_placeholders(entry: &Entry) -> BTreeSet<String> {
        match entry {
            Entry::Text(t) => placeholders(t),
            Entry::Plural(forms) => forms.values().flat_map(|t| placeholders(t)).collect(),
        }
    }

    #[test]
    fn every_catalog_parses() {
        for lang in Lang::ALL {
            Catalog::parse(lang.source()).unwrap_or_else(|e| panic!("{lang}: {e}"));
        }
    }

    #[test]
    fn all_catalogs_have_the_same_keys_and_placeholders() {
        let catalogs = Catalogs::embedded();
        let english = catalogs.catalog(Lang::En);
        assert!(english.keys().count() > 50, "English catalog looks empty");
        for lang in [Lang::Ru, Lang::Kk] {
            let other = catalogs.catalog(lang);
            let missing: Vec<_> = english.keys().filter(|k| other.get(k).is_none()).collect();
            let extra: Vec<_> = other.keys().filter(|k| english.get(k).is_none()).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
            assert!(extra.is_empty(), "{lang} has keys English lacks: {extra:?}");
            for key in english.keys() {
                let (en, tr) = (english.get(key).unwrap(), other.get(key).unwrap());
                assert_eq!(
                    entry_placeholders(en),
                    entry_placeholders(tr),
                    "{lang} {key}"
                );
            }
        }
    }

    #[test]
    fn plural_entries_have_every_form_their_language_uses() {
        for lang in Lang::ALL {
            let catalog = Catalogs::embedded().catalog(lang);
            for key in catalog.keys() {
                if let Some(Entry::Plural(forms)) = catalog.get(key) {
                    for category in plural::categories(lang) {
                        assert!(
                            forms.contains_key(category),
                            "{lang} {key} lacks {category:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn missing_key_falls_back_to_english_then_to_the_key() {
        let mut catalogs = Catalogs {
            by_lang: Default::default(),
        };
        catalogs.by_lang[Lang::En as usize] = Catalog::parse("[a]\nb = \"English\"").unwrap();
        let catalogs: &'static Catalogs = Box::leak(Box::new(catalogs));
        let tr = Tr {
            lang: Lang::Kk,
            catalogs,
        };
        assert_eq!(tr.t("a.b"), "English");
        assert_eq!(tr.t("no.such.key"), "no.such.key");
    }

    #[test]
    fn russian_plurals_use_one_few_many() {
        let catalogs: &'static Catalogs = Box::leak(Box::new(Catalogs {
            by_lang: [
                Catalog::parse("[d]\none = \"{n} документ\"\nfew = \"{n} документа\"\nmany = \"{n} документов\"\nother = \"{n} документа\"").unwrap(),
                Catalog::default(),
                Catalog::default(),
            ],
        }));
        let tr = Tr {
            lang: Lang::Ru,
            catalogs,
        };
        assert_eq!(tr.n("d", 1, &[]), "1 документ");
        assert_eq!(tr.n("d", 3, &[]), "3 документа");
        assert_eq!(tr.n("d", 5, &[]), "5 документов");
        assert_eq!(tr.n("d", 11, &[]), "11 документов");
        assert_eq!(tr.n("d", 21, &[]), "21 документ");
    }

    #[test]
    fn placeholders_are_filled() {
        let tr = Tr::new(Lang::En);
        assert_eq!(fill("at {path} now".into(), &[("path", "/x")]), "at /x now");
        assert!(!tr.f("db.created", &[("path", "/tmp/x")]).contains("{path}"));
    }

    /// Every key written literally in the code (`Message::new("…")`, `tr.t("…")`, `.f`, `.n`)
    /// exists in the English catalog, so a typo never shows a raw key to the operator.
    #[test]
    fn every_literal_key_in_the_code_is_in_the_catalog() {
        fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let english = Catalogs::embedded().catalog(Lang::En);
        let mut missing = Vec::new();
        let mut seen = 0;
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for opener in ["Message::new(\"", ".t(\"", ".f(\"", ".n(\"", "key: \""] {
                for (at, _) in text.match_indices(opener) {
                    let rest = &text[at + opener.len()..];
                    let Some(end) = rest.find('"') else { continue };
                    let key = &rest[..end];
                    let looks_like_key = key.contains('.')
                        && key
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_');
                    if !looks_like_key || key.starts_with("a.") || key.starts_with("no.such") {
                        continue;
                    }
                    seen += 1;
                    if english.get(key).is_none() {
                        missing.push(format!("{}: {key}", file.display()));
                    }
                }
            }
        }
        assert!(
            seen > 80,
            "the scan found only {seen} keys: is it still looking in the right place?"
        );
        assert!(
            missing.is_empty(),
            "keys missing from en.toml:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn locale_strings_pick_a_language() {
        assert_eq!(Lang::from_locale("kk_KZ.UTF-8"), Some(Lang::Kk));
        assert_eq!(Lang::from_locale("ru_RU"), Some(Lang::Ru));
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_locale("C.UTF-8"), None);
        assert_eq!(Lang::from_locale(""), None);
    }
}
