use super::*;

/// The embedded set with `name` replaced by `text` (or added).
fn with_file(name: &str, text: &str) -> Vec<RuleFile> {
    let mut files: Vec<RuleFile> = embedded().into_iter().filter(|f| f.name != name).collect();
    files.push(RuleFile {
        name: name.into(),
        text: text.into(),
    });
    files
}

fn errors_of(files: &[RuleFile]) -> Vec<String> {
    match parse(files) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

const GOOD_RULE: &str = r#"
[[rule]]
id = "extra"
title = { ru = "р", kk = "қ", en = "e" }
effective_from = 2020-02-04
basis = ["service_standard"]
when = { "applicant.age" = { ge = 16 } }
"#;

#[test]
fn the_shipped_rule_set_loads_without_errors() {
    let loaded = parse(&embedded()).unwrap_or_else(|errors| {
        panic!(
            "{}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert!(
        loaded.set.rules.len() >= 30,
        "{} rules",
        loaded.set.rules.len()
    );
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.set.sha256.len(), 64);
}

#[test]
fn a_good_extra_file_loads() {
    assert_eq!(
        errors_of(&with_file("rules/99-extra.toml", GOOD_RULE)),
        Vec::<String>::new()
    );
}

#[test]
fn syntax_error_is_located_exactly() {
    let text = "[[rule]]\nid = \"x\"\ntitle = { ru = \"a\", kk = \"b\" en = \"c\" }\n";
    let errors = errors_of(&with_file("rules/99-broken.toml", text));
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("rules/99-broken.toml:3:")),
        "{errors:?}"
    );
}

#[test]
fn unknown_fact_gives_file_line_column_and_a_suggestion() {
    let text = GOOD_RULE.replace("\"applicant.age\"", "\"applicant.agee\"");
    let errors = errors_of(&with_file("rules/99-extra.toml", &text));
    assert_eq!(
        errors,
        vec![
            "rules/99-extra.toml:7:10: unknown fact 'applicant.agee' (did you mean 'applicant.age'?)"
        ]
    );
}

#[test]
fn all_errors_are_reported_at_once() {
    let text = r#"
[[rule]]
id = "a"
title = { ru = "р", kk = "қ", en = "e" }
effective_from = 2020-02-04
basis = ["no_such_law"]
when = { "dwelling.kind" = "palace" }
colour = "red"

[[rule]]
id = "b"
title = { ru = "р", kk = "қ", en = "e" }
effective_from = 2026-01-01
effective_to = 2025-01-01
basis = ["service_standard"]
require = [{ id = "applicant_identity", one_of = ["id_crad"], party = "applicant" }]
overrides = ["identity_citizn"]
"#;
    let errors = errors_of(&with_file("rules/99-many.toml", text));
    let expected = [
        "rules/99-many.toml:6:10: unknown law id 'no_such_law'",
        "rules/99-many.toml:7:28: unknown value of dwelling.kind 'palace'",
        "rules/99-many.toml:8:1: unknown key 'colour' in [[rule]]",
        "rules/99-many.toml:14:16: effective_to 01.01.2025 is not after effective_from 01.01.2026",
        "rules/99-many.toml:16:51: unknown id 'id_crad': declare it in [documents] of ruleset.toml (did you mean 'id_card'?)",
    ];
    for e in expected {
        assert!(
            errors.iter().any(|x| x.starts_with(e)),
            "missing '{e}' in:\n{}",
            errors.join("\n")
        );
    }
}

#[test]
fn wrong_types_and_missing_texts_are_reported() {
    let text = r#"
[[rule]]
id = "t"
title = { ru = "р", en = "e" }
effective_from = "2020-13-01"
basis = ["service_standard"]
when = { "applicant.age" = "old", "applicant.status" = { lt = 3 } }
"#;
    let errors = errors_of(&with_file("rules/99-types.toml", text));
    for e in [
        "rules/99-types.toml:4:9: title needs non-empty texts in ru, kk and en",
        "rules/99-types.toml:5:18: effective_from: '2020-13-01' is not a real date",
        "rules/99-types.toml:7:28: applicant.age must be a number, found string",
        "rules/99-types.toml:7:58: 'lt' compares numbers, but 'applicant.status' is not a number",
    ] {
        assert!(
            errors.iter().any(|x| x.starts_with(e)),
            "missing '{e}' in:\n{}",
            errors.join("\n")
        );
    }
}

#[test]
fn overlapping_versions_of_a_rule_are_refused() {
    let text = r#"
[[rule]]
id = "channel_desk"
title = { ru = "р", kk = "қ", en = "e" }
effective_from = 2024-01-01
basis = ["service_standard"]
channel = "desk"
"#;
    let errors = errors_of(&with_file("rules/99-overlap.toml", text));
    assert!(
        errors.iter().any(|e| e.starts_with("rules/99-overlap.toml:3:6: rule 'channel_desk' is defined again with dates that overlap")),
        "{errors:?}"
    );
}

#[test]
fn override_cycles_and_unknown_targets_are_refused() {
    let text = r#"
[[rule]]
id = "a"
title = { ru = "р", kk = "қ", en = "e" }
effective_from = 2020-02-04
basis = ["service_standard"]
overrides = ["b"]

[[rule]]
id = "b"
title = { ru = "р", kk = "қ", en = "e" }
effective_from = 2020-02-04
basis = ["service_standard"]
overrides = ["a", "nobody"]
"#;
    let errors = errors_of(&with_file("rules/99-cycle.toml", text));
    assert!(
        errors
            .iter()
            .any(|e| e.contains("override cycle: a -> b -> a")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("rules/99-cycle.toml:14:19: overrides unknown rule 'nobody'")),
        "{errors:?}"
    );
}

#[test]
fn a_conflict_without_override_is_a_load_error_with_a_witness() {
    let text = r#"
[[rule]]
id = "refuse_adults_in_astana"
title = { ru = "р", kk = "қ", en = "e" }
effective_from = 2020-02-04
basis = ["service_standard"]
when = { city = "astana", "applicant.age" = { ge = 18 } }
decision = "refuse"
reason = "area_norm_exceeded"
"#;
    let errors = errors_of(&with_file("rules/99-conflict.toml", text));
    let conflict = errors
        .iter()
        .find(|e| e.contains("refuse_adults_in_astana"))
        .expect("a conflict");
    assert!(conflict.contains("disagree on the decision"), "{conflict}");
    assert!(conflict.contains("city=astana"), "{conflict}");
}

#[test]
fn a_rule_that_can_never_fire_is_a_warning() {
    let text = GOOD_RULE.replace("{ ge = 16 }", "{ ge = 16, lt = 10 }");
    let loaded = parse(&with_file("rules/99-extra.toml", &text)).unwrap();
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.to_string().contains("'extra' can never fire")),
        "{:?}",
        loaded.warnings
    );
}

#[test]
fn a_missing_header_is_reported() {
    let files: Vec<RuleFile> = embedded()
        .into_iter()
        .filter(|f| f.name != HEADER_FILE)
        .collect();
    assert!(errors_of(&files)[0].starts_with("ruleset.toml: missing"));
}

#[test]
fn the_hash_changes_with_any_rule_file_but_not_with_tests() {
    let base = fingerprint(&embedded());
    assert_ne!(
        base,
        fingerprint(&with_file("rules/99-extra.toml", GOOD_RULE))
    );
    assert_eq!(
        base,
        fingerprint(&with_file("tests/99-more.toml", "# more"))
    );
}

#[test]
fn the_embedded_list_matches_the_asset_folder() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/rules");
    let on_disk = read_dir(&root, true).unwrap();
    let mut disk_names: Vec<String> = on_disk.iter().map(|f| f.name.clone()).collect();
    let mut embedded_names: Vec<String> = embedded().iter().map(|f| f.name.clone()).collect();
    disk_names.sort();
    embedded_names.sort();
    assert_eq!(disk_names, embedded_names, "update src/rules/embedded.rs");
}

#[test]
fn one_mistake_gives_one_message() {
    // A law without its short title is one error, not one more for every rule that cites it.
    let header = embedded()
        .into_iter()
        .find(|f| f.name == HEADER_FILE)
        .unwrap();
    let broken = header.text.replacen(
        "short = { ru = \"Правила оказания услуги\"",
        "shortt = { ru = \"Правила оказания услуги\"",
        1,
    );
    assert_ne!(broken, header.text);
    let errors = errors_of(&with_file(HEADER_FILE, &broken));
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("unknown key 'shortt' in [[law]] (did you mean 'short'?)"))
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("[[law]] needs id, title and short"))
    );
}

#[test]
fn a_vocabulary_entry_without_a_translation_is_one_error() {
    let header = embedded()
        .into_iter()
        .find(|f| f.name == HEADER_FILE)
        .unwrap();
    let broken = header.text.replacen(", en = \"ID card\" }", " }", 1);
    assert_ne!(broken, header.text);
    let errors = errors_of(&with_file(HEADER_FILE, &broken));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].contains("documents.id_card needs non-empty texts in ru, kk and en"),
        "{errors:?}"
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Deleting any line of any shipped rule file gives a set or errors, never a panic.
        #[test]
        fn a_mangled_rule_file_never_panics(file_index in 0usize..7, line_seed in any::<usize>()) {
            let files = embedded();
            let rule_files: Vec<&RuleFile> = files.iter().filter(|f| !f.name.starts_with(TESTS_DIR)).collect();
            let file = rule_files[file_index % rule_files.len()];
            let lines: Vec<&str> = file.text.lines().collect();
            let cut = line_seed % lines.len();
            let text: String = lines.iter().enumerate().filter(|(i, _)| *i != cut).map(|(_, l)| format!("{l}\n")).collect();
            let _ = parse(&with_file(&file.name, &text));
        }

        /// Arbitrary text as a rule file never panics the loader.
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
            let _ = parse(&with_file("rules/99-noise.toml", &text));
        }
    }
}

/// A rule file of `count` rules whose numeric ranges interlock on several facts, each rule
/// deciding differently from its neighbours and none overriding another: the worst case for
/// the static check, which must still end quickly.
fn interlocking_rules(count: usize, seed: u64) -> String {
    let facts = [
        "applicant.age",
        "stay_days",
        "dwelling.owners",
        "dwelling.useful_area_m2",
        "dwelling.registered_persons",
        "dwelling.area_per_person",
    ];
    let decisions = ["refuse", "not_required", "other_service"];
    let mut x = seed | 1;
    let mut next = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let mut text = String::new();
    for i in 0..count {
        let mut when = Vec::new();
        for fact in facts {
            if next(3) == 0 {
                continue;
            }
            let low = next(60);
            when.push(format!(
                "\"{fact}\" = {{ ge = {low}, lt = {} }}",
                low + 1 + next(40)
            ));
        }
        text.push_str(&format!(
            "[[rule]]\nid = \"r{i}\"\ntitle = {{ ru = \"р\", kk = \"қ\", en = \"e\" }}\n\
             basis = [\"service_standard\"]\nwhen = {{ {} }}\ndecision = \"{}\"\nreason = \"under_14\"\n\n",
            when.join(", "),
            decisions[i % 3]
        ));
    }
    text
}

/// `count` rules that all read the same six facts with wide, overlapping ranges, and can
/// still never meet: each pair is disjoint only on the last fact.
fn disjoint_rules(count: usize) -> String {
    let facts = [
        "applicant.age",
        "stay_days",
        "dwelling.owners",
        "dwelling.useful_area_m2",
        "dwelling.registered_persons",
        "dwelling.area_per_person",
    ];
    let mut text = String::new();
    for i in 0..count {
        let when: Vec<String> = facts
            .iter()
            .enumerate()
            .map(|(k, fact)| {
                let (low, high) = if k == facts.len() - 1 {
                    (i * 10, i * 10 + 5)
                } else {
                    (k, 1000 + k)
                };
                format!("\"{fact}\" = {{ ge = {low}, lt = {high} }}")
            })
            .collect();
        text.push_str(&format!(
            "[[rule]]\nid = \"d{i}\"\ntitle = {{ ru = \"р\", kk = \"қ\", en = \"e\" }}\n\
             basis = [\"service_standard\"]\nwhen = {{ {} }}\ndecision = \"{}\"\nreason = \"under_14\"\n\n",
            when.join(", "),
            ["refuse", "not_required"][i % 2]
        ));
    }
    text
}

/// The shipped header (laws, vocabulary) with one rule file of our own.
fn header_with(name: &str, text: &str) -> Vec<RuleFile> {
    let mut files: Vec<RuleFile> = embedded()
        .into_iter()
        .filter(|f| f.name == HEADER_FILE)
        .collect();
    files.push(RuleFile {
        name: name.into(),
        text: text.into(),
    });
    files
}

/// The first few errors, for a failure message that stays readable.
fn first_errors(result: Result<Loaded, Vec<RuleError>>) -> Vec<String> {
    result
        .err()
        .unwrap_or_default()
        .iter()
        .take(3)
        .map(ToString::to_string)
        .collect()
}

/// The promise is "under a second" for 100 rules (a release build takes a few hundredths);
/// a debug build on a busy machine gets room, since the check's work is bounded anyway.
fn static_check_limit() -> std::time::Duration {
    std::time::Duration::from_secs(if cfg!(debug_assertions) { 5 } else { 1 })
}

#[test]
fn the_static_check_of_rules_that_never_meet_ends_quickly_without_errors() {
    let files = header_with("rules/99-disjoint.toml", &disjoint_rules(100));
    let started = std::time::Instant::now();
    let result = parse(&files);
    let took = started.elapsed();
    assert!(took < static_check_limit(), "{took:?}");
    assert_eq!(first_errors(result), Vec::<String>::new());
}

mod generated_sets {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]

        /// Generated sets of 40 to 100 rules with interlocking ranges load (or are refused
        /// for their conflicts) within the limit, and every conflict names a case.
        #[test]
        fn interlocking_ranges_are_checked_within_the_limit(count in 40usize..=100, seed in any::<u64>()) {
            let files = header_with("rules/99-many.toml", &interlocking_rules(count, seed));
            let started = std::time::Instant::now();
            let result = parse(&files);
            let took = started.elapsed();
            prop_assert!(took < static_check_limit(), "{} rules: {:?}", count, took);
            for e in result.err().unwrap_or_default() {
                prop_assert!(e.line > 0 || e.file == HEADER_FILE, "{}", e);
            }
        }
    }
}

/// The shipped set written into a fresh folder, to be read back with [`read_dir`] (by the
/// tests of FIFOs and byte names, which Unix has).
#[cfg(unix)]
fn shipped_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in embedded() {
        let path = dir.path().join(&file.name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, file.text).unwrap();
    }
    dir
}

#[cfg(unix)]
#[test]
fn a_fifo_or_folder_among_the_rule_files_is_refused_without_blocking() {
    let dir = shipped_folder();
    let fifo = dir.path().join("rules/x.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here
    }
    let error = read_dir(dir.path(), false).unwrap_err();
    assert_eq!(error.file, "rules/x.toml");
    assert_eq!(error.message.key, "rules.error.not_a_file");
    std::fs::remove_file(&fifo).unwrap();
    std::fs::create_dir(dir.path().join("rules/y.toml")).unwrap();
    assert_eq!(
        read_dir(dir.path(), false).unwrap_err().message.key,
        "rules.error.not_a_file"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8_is_named_not_reported_missing() {
    use std::os::unix::ffi::OsStrExt;
    let dir = shipped_folder();
    let name = std::ffi::OsStr::from_bytes(b"bad\xff.toml");
    std::fs::write(dir.path().join("rules").join(name), GOOD_RULE).unwrap();
    let error = read_dir(dir.path(), false).unwrap_err();
    assert_eq!(error.message.key, "rules.error.bad_file_name");
}

#[test]
fn bad_dates_numbers_and_ids_are_each_reported_once_with_the_value() {
    let text = r#"
[[rule]]
id = ""
title = { ru = "р", kk = "қ", en = "e" }
effective_from = 2025-13-01
basis = ["service_standard"]
when = { "applicant.age" = { ge = 9223372036854775808, lt = nan } }
"#;
    let errors = errors_of(&with_file("rules/99-bad.toml", text));
    assert_eq!(errors.len(), 4, "{errors:#?}");
    assert!(
        errors[0].contains("id: '' is not a valid id"),
        "{errors:#?}"
    );
    assert!(errors[1].contains("'2025-13-01'"), "{errors:#?}");
    assert!(
        errors[2].contains("9223372036854775808 is not a usable number"),
        "{errors:#?}"
    );
    assert!(
        errors[3].contains("nan is not a usable number"),
        "{errors:#?}"
    );
}

#[test]
fn huge_ids_are_refused_quickly_and_get_no_suggestion_work() {
    let mut text = String::new();
    for i in 0..10 {
        let id = format!("{i}{}", "x".repeat(20_000));
        text.push_str(&format!(
            "[[rule]]\nid = \"{id}\"\ntitle = {{ ru = \"р\", kk = \"қ\", en = \"e\" }}\n\
             basis = [\"service_standard\"]\noverrides = [\"{id}y\"]\n\n"
        ));
    }
    let started = std::time::Instant::now();
    let errors = errors_of(&with_file("rules/99-huge.toml", &text));
    assert!(
        started.elapsed() < static_check_limit(),
        "{:?}",
        started.elapsed()
    );
    assert!(errors.iter().all(|e| e.len() < 400), "messages stay short");
    assert!(errors.iter().any(|e| e.contains("is not a valid id")));
}

#[test]
fn advice_for_a_missing_document_must_name_a_requirement() {
    let header = embedded()
        .into_iter()
        .find(|f| f.name == HEADER_FILE)
        .unwrap();
    let text = header.text.replace(
        "deregistration_proof = { ru = \"Без документа о снятии",
        "deregistration_prooff = { ru = \"Без документа о снятии",
    );
    let errors = errors_of(&with_file(HEADER_FILE, &text));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("did you mean 'deregistration_proof'"),
        "{errors:?}"
    );
}
