//! The facts of one case as JSON (`regdesk checklist --facts`), read strictly: one object and
//! nothing after it, only known keys, each value of its own type and range, dates written
//! `YYYY-MM-DD`. Every problem is reported at once, each naming its field, in the reader's
//! language (the messages are ours, never the JSON parser's English). Pure: text in, facts out.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::facts::{ApplicantFacts, DwellingFacts, FactError, Facts, out_of_range};
use super::loader::suggestion;
use crate::i18n::{Message, printable};

/// A facts document is a few hundred bytes; anything far larger is not one.
pub const MAX_BYTES: usize = 1024 * 1024;

/// The field name used for problems with the document as a whole.
pub const DOCUMENT: &str = "(document)";

const ROOT_KEYS: &[&str] = &[
    "date",
    "service",
    "stay_days",
    "city",
    "consent_refused",
    "applicant",
    "dwelling",
];
const APPLICANT_KEYS: &[&str] = &[
    "age",
    "birth_date",
    "status",
    "capacity",
    "acts_through",
    "arrived_from_abroad",
    "has_passport",
    "has_deregistration_document",
    "relative_of_owner",
];
const DWELLING_KEYS: &[&str] = &[
    "kind",
    "has_title_documents",
    "applicant_relation",
    "owners",
    "owner_capacity",
    "useful_area_m2",
    "registered_persons",
    "representative_relation",
];

/// Parses a facts document; see the module comment for what is refused.
pub fn parse(text: &str) -> Result<Facts, Vec<FactError>> {
    if text.len() > MAX_BYTES {
        return Err(vec![document_error(
            Message::new("rules.facts.too_large").arg("max", MAX_BYTES / 1024),
        )]);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = serde::de::DeserializeSeed::deserialize(StrictValue, &mut de).and_then(|v| {
        de.end()?;
        Ok(v)
    });
    let value: Value = parsed.map_err(|e| {
        let text = e.to_string();
        let message = match e.classify() {
            serde_json::error::Category::Eof => Message::new("rules.facts.truncated"),
            _ if text.starts_with("trailing characters") => Message::new("rules.facts.trailing"),
            _ if text.starts_with(DUPLICATE) => {
                let key = text[DUPLICATE.len()..]
                    .split(" at line")
                    .next()
                    .unwrap_or("");
                Message::new("rules.facts.duplicate").arg("key", printable(key))
            }
            _ => Message::new("rules.facts.syntax"),
        };
        vec![document_error(
            message.arg("line", e.line()).arg("column", e.column()),
        )]
    })?;
    let mut reader = Reader::default();
    let facts = reader.root(&value);
    if reader.errors.is_empty() {
        Ok(facts)
    } else {
        Err(reader.errors)
    }
}

/// How the strict reader's error for a key given twice starts (followed by the key).
const DUPLICATE: &str = "duplicate key ";

/// A JSON value read like `serde_json::Value`, except that an object with a key given twice
/// is refused: with the last one silently winning, `{"status":"citizen","status":"refugee"}`
/// would be checked as something the operator may not have meant.
struct StrictValue;

impl<'de> serde::de::DeserializeSeed<'de> for StrictValue {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for StrictValue {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(StrictValue)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format!("{DUPLICATE}{key}")));
            }
            let value = map.next_value_seed(StrictValue)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

fn document_error(message: Message) -> FactError {
    FactError {
        field: DOCUMENT.into(),
        message,
    }
}

/// The JSON kind of a value, as a catalog key (`rules.facts.kind.*`).
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "rules.facts.kind.null",
        Value::Bool(_) => "rules.facts.kind.bool",
        Value::Number(_) => "rules.facts.kind.number",
        Value::String(_) => "rules.facts.kind.text",
        Value::Array(_) => "rules.facts.kind.array",
        Value::Object(_) => "rules.facts.kind.object",
    }
}

#[derive(Default)]
struct Reader {
    errors: Vec<FactError>,
}

impl Reader {
    fn error(&mut self, field: &str, message: Message) {
        self.errors.push(FactError {
            field: field.to_owned(),
            message,
        });
    }

    fn wrong_type(&mut self, field: &str, expected: &'static str, found: &Value) {
        self.error(field, Message::new(expected).arg_key("found", kind(found)));
    }

    /// The members of an object, after checking that only `known` keys are present.
    fn object<'v>(
        &mut self,
        field: &str,
        value: &'v Value,
        known: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Value::Object(map) = value else {
            self.wrong_type(field, "rules.facts.expected_object", value);
            return None;
        };
        for key in map.keys().filter(|k| !known.contains(&k.as_str())) {
            let parent = if field == DOCUMENT { "" } else { field };
            let path = join(parent, key);
            self.error(
                &path,
                Message::new("rules.facts.unknown_key")
                    .arg("key", key)
                    .arg("known", known.join(", "))
                    .suggest(suggestion(key, known.iter().copied())),
            );
        }
        Some(map)
    }

    fn root(&mut self, value: &Value) -> Facts {
        let Some(map) = self.object(DOCUMENT, value, ROOT_KEYS) else {
            return Facts::default();
        };
        let mut facts = Facts {
            date: self.date(map, "", "date"),
            service: self.text(map, "", "service"),
            stay_days: self.whole(map, "", "stay_days"),
            city: self.text(map, "", "city"),
            consent_refused: self.boolean(map, "", "consent_refused"),
            ..Facts::default()
        };
        if let Some(v) = present(map, "applicant")
            && let Some(m) = self.object("applicant", v, APPLICANT_KEYS)
        {
            let p = "applicant";
            facts.applicant = ApplicantFacts {
                age: self.whole(m, p, "age"),
                birth_date: self.date(m, p, "birth_date"),
                status: self.text(m, p, "status"),
                capacity: self.text(m, p, "capacity"),
                acts_through: self.text(m, p, "acts_through"),
                arrived_from_abroad: self.boolean(m, p, "arrived_from_abroad"),
                has_passport: self.boolean(m, p, "has_passport"),
                has_deregistration_document: self.boolean(m, p, "has_deregistration_document"),
                relative_of_owner: self.boolean(m, p, "relative_of_owner"),
            };
        }
        if let Some(v) = present(map, "dwelling")
            && let Some(m) = self.object("dwelling", v, DWELLING_KEYS)
        {
            let p = "dwelling";
            facts.dwelling = DwellingFacts {
                kind: self.text(m, p, "kind"),
                has_title_documents: self.boolean(m, p, "has_title_documents"),
                applicant_relation: self.text(m, p, "applicant_relation"),
                owners: self.whole(m, p, "owners"),
                owner_capacity: self.text(m, p, "owner_capacity"),
                useful_area_m2: self.measure(m, p, "useful_area_m2"),
                registered_persons: self.whole(m, p, "registered_persons"),
                representative_relation: self.text(m, p, "representative_relation"),
            };
        }
        facts
    }

    fn text(&mut self, map: &Map<String, Value>, parent: &str, key: &str) -> Option<String> {
        match present(map, key)? {
            Value::String(s) => Some(s.clone()),
            other => {
                self.wrong_type(&join(parent, key), "rules.facts.expected_text", other);
                None
            }
        }
    }

    fn boolean(&mut self, map: &Map<String, Value>, parent: &str, key: &str) -> Option<bool> {
        match present(map, key)? {
            Value::Bool(b) => Some(*b),
            other => {
                self.wrong_type(&join(parent, key), "rules.facts.expected_bool", other);
                None
            }
        }
    }

    /// A whole number; one that is not, or cannot be a count at all, is refused here with the
    /// field's range (the range itself is checked with the other facts).
    fn whole(&mut self, map: &Map<String, Value>, parent: &str, key: &str) -> Option<u32> {
        let field = join(parent, key);
        match present(map, key)? {
            Value::Number(n) => match n.as_u64().map(u32::try_from) {
                Some(Ok(v)) => Some(v),
                _ => {
                    let v = n.as_f64().unwrap_or(f64::NAN);
                    if v.fract() == 0.0 || !v.is_finite() {
                        self.errors.push(out_of_range(&field, v));
                    } else {
                        self.error(
                            &field,
                            Message::new("rules.facts.expected_whole").arg("value", v),
                        );
                    }
                    None
                }
            },
            other => {
                self.wrong_type(&field, "rules.facts.expected_number", other);
                None
            }
        }
    }

    fn measure(&mut self, map: &Map<String, Value>, parent: &str, key: &str) -> Option<f64> {
        match present(map, key)? {
            Value::Number(n) => n.as_f64(),
            other => {
                self.wrong_type(&join(parent, key), "rules.facts.expected_number", other);
                None
            }
        }
    }

    fn date(&mut self, map: &Map<String, Value>, parent: &str, key: &str) -> Option<NaiveDate> {
        let field = join(parent, key);
        let value = present(map, key)?;
        let parsed = match value {
            Value::String(s) => strict_date(s),
            _ => None,
        };
        if parsed.is_none() {
            let message = Message::new("rules.facts.expected_date");
            let message = match value {
                Value::String(s) => message.arg("found", format!("\"{}\"", printable(s))),
                other => message.arg_key("found", kind(other)),
            };
            self.error(&field, message);
        }
        parsed
    }
}

/// A value that is there; JSON `null` is the same as leaving the field out (unknown).
fn present<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    map.get(key).filter(|v| !v.is_null())
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// `YYYY-MM-DD` exactly (four, two and two digits), and a real day.
pub fn strict_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Tr};

    fn errors(json: &str) -> Vec<String> {
        parse(json)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn fields(json: &str) -> Vec<String> {
        parse(json)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn trailing_data_after_the_document_is_refused() {
        for json in [r#"{}{}"#, "{} x", "{}\u{0}", r#"{"date":"2026-01-01"} []"#] {
            let e = errors(json);
            assert_eq!(e.len(), 1, "{json:?}: {e:?}");
            assert!(
                e[0].starts_with("(document): there is more text"),
                "{json:?}: {e:?}"
            );
        }
        assert!(errors("{").join("").contains("ends too early"));
        assert!(errors("{,}").join("").contains("not valid JSON"));
    }

    #[test]
    fn arrays_and_other_kinds_in_place_of_objects_are_refused() {
        assert_eq!(fields("[]"), vec![DOCUMENT]);
        assert_eq!(
            fields(r#"{"applicant": [35, "citizen"]}"#),
            vec!["applicant"]
        );
        assert_eq!(fields(r#"{"dwelling": "private"}"#), vec!["dwelling"]);
        let e = errors(r#"{"applicant": {"status": 3, "arrived_from_abroad": "yes"}}"#);
        assert_eq!(
            e,
            vec![
                "applicant.status: expected a text in quotes, found a number",
                "applicant.arrived_from_abroad: expected true or false, found a text",
            ]
        );
    }

    #[test]
    fn dates_must_be_written_yyyy_mm_dd_exactly() {
        for bad in [
            "\" 2025-01-01\"",
            "\"2025-1-1\"",
            "\"1-1-1\"",
            "\"-0001-01-01\"",
            "\"+262142-12-31\"",
            "\"2025-02-30\"",
            "\"2025-01-01T00:00\"",
        ] {
            let json = format!(r#"{{"date": {bad}}}"#);
            let e = errors(&json);
            assert_eq!(e.len(), 1, "{bad}: {e:?}");
            assert!(
                e[0].starts_with("date: expected a date written"),
                "{bad}: {e:?}"
            );
        }
        let e = errors(r#"{"applicant": {"birth_date": ["2001-01-01"]}}"#);
        assert_eq!(
            e,
            vec![
                "applicant.birth_date: expected a date written \"YYYY-MM-DD\" (for example \"2026-11-21\"), found a list in square brackets"
            ]
        );
        assert!(parse(r#"{"date": "2025-01-01"}"#).is_ok());
    }

    /// Parse and build, as the command line does: every error of either step.
    fn checked(json: &str) -> Vec<String> {
        let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        match parse(json) {
            Ok(facts) => crate::rules::FactTable::build(&facts, date)
                .err()
                .unwrap_or_default()
                .iter()
                .map(ToString::to_string)
                .collect(),
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn counts_that_cannot_be_counts_name_the_allowed_range() {
        for (json, field) in [
            (
                r#"{"dwelling": {"registered_persons": 4294967295}}"#,
                "dwelling.registered_persons",
            ),
            (
                r#"{"dwelling": {"useful_area_m2": 1e308}}"#,
                "dwelling.useful_area_m2",
            ),
            (r#"{"applicant": {"age": 131}}"#, "applicant.age"),
            (r#"{"dwelling": {"owners": 0}}"#, "dwelling.owners"),
            (r#"{"applicant": {"age": 4294967295}}"#, "applicant.age"),
            (r#"{"applicant": {"age": -1}}"#, "applicant.age"),
            (r#"{"dwelling": {"owners": 1e30}}"#, "dwelling.owners"),
            (r#"{"stay_days": 99999999999999999999}"#, "stay_days"),
        ] {
            let e = checked(json);
            assert_eq!(e.len(), 1, "{json}: {e:?}");
            assert!(e[0].starts_with(&format!("{field}: ")), "{json}: {e:?}");
            assert!(e[0].contains("outside the allowed range"), "{json}: {e:?}");
        }
        let e = errors(r#"{"dwelling": {"owners": 1.5}}"#);
        assert_eq!(e, vec!["dwelling.owners: 1.5: a whole number is needed"]);
    }

    #[test]
    fn unknown_keys_get_a_suggestion_and_every_error_is_reported() {
        let e = errors(r#"{"applicant": {"agee": 5}, "dwelling": {"kind": 1}, "citty": "x"}"#);
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].starts_with("citty: unknown field 'citty'"), "{e:?}");
        assert!(e[0].contains("did you mean 'city'"), "{e:?}");
        assert!(e[1].starts_with("applicant.agee: unknown field"), "{e:?}");
    }

    #[test]
    fn null_is_unknown() {
        let facts = parse(r#"{"service": null, "applicant": {"age": null}}"#).unwrap();
        assert_eq!(facts, Facts::default());
    }

    #[test]
    fn messages_are_in_the_readers_language_with_no_parser_english() {
        let problems = parse(
            r#"{"date": [1], "stay_days": "x", "applicant": {"age": 1e400, "status": true}}"#,
        );
        // 1e400 is not even a JSON number serde can hold: a syntax error, in our words.
        let all = problems.unwrap_err();
        for lang in [Lang::Ru, Lang::Kk] {
            let tr = Tr::new(lang);
            for e in &all {
                let text = e.message.text(&tr);
                assert!(
                    !text.contains("expected")
                        && !text.contains("invalid")
                        && !text.contains("range"),
                    "{lang}: {text}"
                );
            }
        }
        let all =
            parse(r#"{"date": [1], "stay_days": "x", "applicant": {"status": true}}"#).unwrap_err();
        let ru: Vec<String> = all.iter().map(|e| e.text(&Tr::new(Lang::Ru))).collect();
        assert_eq!(
            ru,
            vec![
                "date: ожидается дата в виде \"ГГГГ-ММ-ДД\" (например \"2026-11-21\"), а найдено: список в квадратных скобках",
                "stay_days: ожидается число, а найдено: текст",
                "applicant.status: ожидается текст в кавычках, а найдено: true или false",
            ]
        );
    }

    #[test]
    fn a_document_over_the_limit_is_refused_before_parsing() {
        let big = format!(r#"{{"city": "{}"}}"#, "a".repeat(MAX_BYTES));
        assert_eq!(fields(&big), vec![DOCUMENT]);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Pieces of facts documents, shuffled into mostly-broken ones.
        fn fragment() -> impl Strategy<Value = String> {
            prop_oneof![
                Just("{".to_owned()),
                Just("}".to_owned()),
                Just("[".to_owned()),
                Just("]".to_owned()),
                Just(",".to_owned()),
                Just(":".to_owned()),
                Just("\"applicant\"".to_owned()),
                Just("\"dwelling\"".to_owned()),
                Just("\"age\"".to_owned()),
                Just("\"date\"".to_owned()),
                Just("\"owners\"".to_owned()),
                Just("\"2026-02-29\"".to_owned()),
                Just("null".to_owned()),
                Just("true".to_owned()),
                any::<i64>().prop_map(|n| n.to_string()),
                any::<f64>().prop_map(|n| n.to_string()),
                "\\PC{0,12}".prop_map(|s| format!("{s:?}")),
                "\\PC{0,6}",
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(3000))]

            /// Whatever the text, parsing ends in facts or in errors that each name a field
            /// and read in Russian without a raw key.
            #[test]
            fn any_text_gives_facts_or_named_errors(parts in proptest::collection::vec(fragment(), 0..24)) {
                let text = parts.concat();
                if let Err(errors) = parse(&text) {
                    prop_assert!(!errors.is_empty());
                    for e in errors {
                        prop_assert!(!e.field.is_empty());
                        let ru = e.message.text(&Tr::new(Lang::Ru));
                        prop_assert!(!ru.contains("rules.facts."), "{}", ru);
                    }
                }
            }

            /// Every document that parses builds a fact table or field errors, never a panic.
            #[test]
            fn parsed_facts_always_build_or_name_fields(
                age in proptest::option::of(any::<u32>()),
                owners in proptest::option::of(any::<u32>()),
                area in proptest::option::of(any::<f64>()),
                year in 1800i32..2300,
            ) {
                let mut facts = Facts::default();
                facts.applicant.age = age;
                facts.dwelling.owners = owners;
                facts.dwelling.useful_area_m2 = area;
                let date = NaiveDate::from_ymd_opt(year, 6, 1).unwrap();
                if let Err(errors) = crate::rules::FactTable::build(&facts, date) {
                    prop_assert!(errors.iter().all(|e| !e.field.is_empty()));
                }
            }
        }
    }
}
