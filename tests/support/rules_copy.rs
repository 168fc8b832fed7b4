//! A copy of the rule set to break on purpose: shared by the pty tests and the command-line
//! tests (which also run on Windows, where the pty support does not build).

use std::path::{Path, PathBuf};

/// A copy of the shipped rule set in a temporary folder, to break on purpose.
pub fn copy_of_rules() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("rules-set");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/rules");
    for sub in ["", "rules", "tests"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
        for entry in std::fs::read_dir(source.join(sub)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), root.join(sub).join(entry.file_name())).unwrap();
            }
        }
    }
    (tmp, root)
}
