//! `ruleset.toml`: the set's identity, the laws it cites, and the vocabulary (requirements,
//! document types, consents, refusal reasons, parties) that rules refer to by id.

use std::collections::BTreeMap;

use toml::de::DeTable;

use super::reader::{Reader, get};
use super::source::Message;
use crate::rules::model::{Law, Texts, Vocabulary};

pub struct Header {
    pub id: String,
    pub version: String,
    pub title: Texts,
    pub covers_from: chrono::NaiveDate,
    pub laws: Vec<Law>,
    pub vocabulary: Vocabulary,
}

const VOCABULARY_SECTIONS: [&str; 5] = [
    "requirements",
    "documents",
    "consents",
    "reasons",
    "parties",
];

pub fn read(r: &mut Reader<'_, '_>, root: &DeTable<'_>) -> Option<Header> {
    let mut allowed = vec!["ruleset", "law", "if_missing"];
    allowed.extend(VOCABULARY_SECTIONS);
    r.check_keys(root, &allowed, "ruleset.toml");

    let mut id = None;
    let mut version = None;
    let mut title = None;
    let mut covers_from = None;
    match get(root, "ruleset") {
        Some(node) => {
            if let Some(t) = r.table(node, "[ruleset]") {
                r.check_keys(t, &["id", "version", "title", "covers_from"], "[ruleset]");
                id = get(t, "id").and_then(|n| r.id(n, "ruleset.id"));
                version = get(t, "version").and_then(|n| r.string(n, "ruleset.version"));
                title = get(t, "title").and_then(|n| r.texts(n, "ruleset.title"));
                covers_from = get(t, "covers_from").and_then(|n| r.date(n, "ruleset.covers_from"));
                if id.is_none() || version.is_none() || title.is_none() || covers_from.is_none() {
                    r.error(node.span(), Message::new("rules.error.ruleset_incomplete"));
                }
            }
        }
        None => r.errors.push(
            r.src
                .file_error(Message::new("rules.error.ruleset_missing")),
        ),
    }

    let mut laws: Vec<Law> = Vec::new();
    if let Some(node) = get(root, "law") {
        for entry in r.array(node, "[[law]]").unwrap_or_default() {
            let Some(t) = r.table(entry, "[[law]]") else {
                continue;
            };
            r.check_keys(t, &["id", "title", "short", "assumed", "points"], "[[law]]");
            let law_id = get(t, "id").and_then(|n| r.id(n, "law.id"));
            let law_title = get(t, "title").and_then(|n| r.texts(n, "law.title"));
            let law_short = get(t, "short").and_then(|n| r.texts(n, "law.short"));
            let assumed = get(t, "assumed")
                .and_then(|n| r.bool(n, "law.assumed"))
                .unwrap_or(false);
            let points = get(t, "points")
                .map(|n| read_texts_table(r, n, "law.points"))
                .unwrap_or_default();
            match (law_id, law_title, law_short) {
                (Some(law_id), Some(law_title), Some(law_short)) => {
                    if laws.iter().any(|l| l.id == *law_id.get_ref()) {
                        r.error(
                            law_id.span(),
                            Message::new("rules.error.law_twice").arg("id", law_id.get_ref()),
                        );
                    }
                    laws.push(Law {
                        id: law_id.into_inner(),
                        title: law_title,
                        short: law_short,
                        assumed,
                        points,
                    });
                }
                (law_id, _, _) => {
                    r.error(entry.span(), Message::new("rules.error.law_incomplete"));
                    // Keep the id so that rules citing it are not reported too: the set is
                    // refused anyway because of the error above.
                    if let Some(law_id) = law_id {
                        laws.push(Law {
                            id: law_id.into_inner(),
                            title: Texts::default(),
                            short: Texts::default(),
                            assumed,
                            points,
                        });
                    }
                }
            }
        }
    }

    let mut sections: [BTreeMap<String, Texts>; 5] = Default::default();
    for (section, map) in VOCABULARY_SECTIONS.iter().zip(sections.iter_mut()) {
        let Some(node) = get(root, section) else {
            r.errors.push(r.src.file_error(
                Message::new("rules.error.vocabulary_missing").arg("section", section),
            ));
            continue;
        };
        *map = read_texts_table(r, node, section);
    }
    let [requirements, documents, consents, reasons, parties] = sections;
    // Optional: advice for a document that is not available, keyed by requirement id.
    let if_missing = get(root, "if_missing")
        .map(|node| read_texts_table(r, node, "if_missing"))
        .unwrap_or_default();
    if let Some(node) = get(root, "if_missing")
        && let Some(t) = node.get_ref().as_table()
    {
        for (key, _) in t.iter() {
            if !requirements.contains_key(key.get_ref().as_ref()) {
                let message = Message::new("rules.error.unknown_id")
                    .arg("value", key.get_ref())
                    .arg("section", "requirements")
                    .suggest(super::source::suggestion(
                        key.get_ref(),
                        requirements.keys().map(String::as_str),
                    ));
                r.error(key.span(), message);
            }
        }
    }
    Some(Header {
        id: id?.into_inner(),
        version: version?.into_inner(),
        title: title?,
        covers_from: covers_from?.into_inner(),
        laws,
        vocabulary: Vocabulary {
            requirements,
            documents,
            consents,
            reasons,
            parties,
            if_missing,
        },
    })
}

/// A table of `id = { ru, kk, en }` entries. An entry with bad texts is reported once and still
/// declared, so the rules that name it are not reported as well.
fn read_texts_table(
    r: &mut Reader<'_, '_>,
    node: &super::reader::Node<'_>,
    what: &str,
) -> BTreeMap<String, Texts> {
    let mut map = BTreeMap::new();
    let Some(t) = r.table(node, what) else {
        return map;
    };
    for (key, value) in t.iter() {
        let texts = r.texts(value, &format!("{what}.{}", key.get_ref()));
        map.insert(key.get_ref().to_string(), texts.unwrap_or_default());
    }
    map
}
