//! The shape of the house, checked: the top-level modules of `src/` import one another
//! without circles, the core imports nothing of regdesk, and nothing below the screens imports
//! them. Read from the source text (`crate::MODULE` paths outside test code), so a new import
//! that closes a circle fails here, naming it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// `module -> modules it names`, from every `.rs` file under `src/`, test code left out.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if !rel.ends_with(".rs") || rel.contains("tests") {
                continue;
            }
            let top = rel
                .split('/')
                .next()
                .unwrap()
                .trim_end_matches(".rs")
                .to_owned();
            if top == "lib" || top == "main" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            let deps = graph.entry(top.clone()).or_default();
            for (i, _) in code.match_indices("crate::") {
                let name: String = code[i + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != top {
                    deps.insert(name);
                }
            }
        }
    }
    graph
}

/// A circle through `from`, if there is one: the modules on it, in order.
fn circle(
    graph: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    if let Some(at) = path.iter().position(|m| m == from) {
        let mut found = path[at..].to_vec();
        found.push(from.to_owned());
        return Some(found);
    }
    path.push(from.to_owned());
    for next in graph.get(from).into_iter().flatten() {
        if let Some(found) = circle(graph, next, path) {
            return Some(found);
        }
    }
    path.pop();
    None
}

#[test]
fn the_top_level_modules_import_one_another_without_circles() {
    let graph = graph();
    assert!(graph.len() > 15, "{graph:?}");
    for module in graph.keys() {
        if let Some(found) = circle(&graph, module, &mut Vec::new()) {
            panic!("an import circle: {}", found.join(" -> "));
        }
    }
}

/// The screens show records and ask for effects; they never name the store itself.
#[test]
fn the_ui_names_no_store_type() {
    let graph = graph();
    let ui = graph.get("ui").cloned().unwrap_or_default();
    assert!(!ui.contains("store"), "the UI imports the store: {ui:?}");
    assert!(ui.contains("records"), "{ui:?}");
}

#[test]
fn nothing_imports_upward() {
    let graph = graph();
    let deps = |m: &str| graph.get(m).cloned().unwrap_or_default();
    assert!(
        deps("core").is_empty(),
        "the core is pure: {:?}",
        deps("core")
    );
    assert!(
        deps("rules").iter().all(|d| d == "i18n"),
        "the rules engine: {:?}",
        deps("rules")
    );
    // Below the screens and the effects (the case included): none of them names the UI, the
    // desk or a command.
    for lower in [
        "core", "rules", "case", "records", "store", "print", "text", "demo", "clock", "output",
    ] {
        for upper in ["ui", "app", "commands", "opening"] {
            assert!(
                !deps(lower).contains(upper),
                "{lower} imports {upper}: {:?}",
                deps(lower)
            );
        }
    }
}

/// Only `platform` names an operating system (or reaches for its interfaces directly): every
/// other module, test code left out, is the same on Unix and Windows.
#[test]
fn only_the_platform_module_names_an_operating_system() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let words = [
        "cfg(unix)",
        "cfg(not(unix))",
        "cfg(windows)",
        "cfg(not(windows))",
        "target_os",
        "std::os::unix",
        "std::os::windows",
        "libc::",
        "windows_sys",
        "signal_hook",
        "Command::new(\"lp\")",
    ];
    let mut found = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                if rel != "platform" {
                    stack.push(path);
                }
                continue;
            }
            if !rel.ends_with(".rs") || rel.contains("tests") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for word in words {
                if code.contains(word) {
                    found.push(format!("{rel}: {word}"));
                }
            }
        }
    }
    assert!(found.is_empty(), "outside src/platform: {found:#?}");
}
