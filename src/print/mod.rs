//! Papers the desk hands out: the "what to bring" sheet, the receipt, the consent forms and
//! the note of a case closed as not required. Each is described once (`paper::Paper`) and
//! laid out as 80-column text that prints anywhere and as a typeset A4 PDF (`pdf`).

pub mod address;
pub mod consent_form;
pub mod note;
pub mod paper;
pub mod pdf;
pub mod receipt;
pub mod sheet;

/// The width of a printed line.
pub const COLUMNS: usize = 80;

pub use crate::files::{create_private_dir, write_private};
pub use paper::{BLANK, Block, Paper, Style};

/// The head of every paper: the center's name, address and phone as its letterhead (or what
/// to do when the center profile is missing: never blanks), then the paper's title.
pub fn heading(
    paper: &mut Paper,
    title: &str,
    center: Option<&crate::center::CenterProfile>,
    tr: &crate::i18n::Tr,
) {
    paper.push(Block::Header(match center {
        Some(c) => format!(
            "{} · {} · {}",
            c.name.get(tr.lang),
            c.address.get(tr.lang),
            c.phone
        ),
        None => tr.t("sheet.no_center"),
    }));
    paper.push(Block::Title(title.to_owned()));
}

/// The text of a vocabulary id in the paper's language (the id itself if it has none).
pub fn vocabulary_text(
    map: &std::collections::BTreeMap<String, crate::rules::model::Texts>,
    id: &str,
    lang: crate::i18n::Lang,
) -> String {
    map.get(id)
        .map_or(id.to_owned(), |t| t.get(lang).to_owned())
}

/// `text` wrapped to `COLUMNS` cells, each line after the first indented by `indent`.
pub fn wrap(text: &str, first: &str, indent: usize) -> Vec<String> {
    wrap_to(text, first, indent, COLUMNS)
}

pub use crate::text::wrap_to;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::width;

    proptest::proptest! {
        /// Whatever a person's data holds (odd Unicode, wide letters, no spaces at all), every
        /// printed line fits the page and no letter goes missing.
        #[test]
        fn any_text_wraps_within_the_columns_losing_nothing(text in "\\PC{0,400}", indent in 0usize..10) {
            let lines = wrap(&text, "  1. ", indent);
            for line in &lines {
                proptest::prop_assert!(width(line) <= COLUMNS, "{:?}", line);
            }
            let kept: String = lines.concat().chars().filter(|c| !c.is_whitespace()).collect();
            let given: String = format!("1.{text}").chars().filter(|c| !c.is_whitespace()).collect();
            proptest::prop_assert_eq!(kept, given);
        }
    }

    #[test]
    fn a_word_longer_than_a_line_is_cut_and_nothing_is_lost() {
        let word = "Ә".repeat(200);
        let lines = wrap(&format!("до {word} после"), "  1. ", 5);
        assert!(lines.iter().all(|l| width(l) <= COLUMNS), "{lines:?}");
        let joined: String = lines
            .concat()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert_eq!(joined, format!("1.до{word}после"));
    }

    #[test]
    fn long_cyrillic_text_wraps_within_the_columns() {
        let text = "Документ, удостоверяющий личность собственника жилища, и его согласие на регистрацию заявителя по этому адресу";
        let lines = wrap(text, "  1. ", 5);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| width(l) <= COLUMNS), "{lines:?}");
        assert!(lines[1].starts_with("     Д") || lines[1].starts_with("     "));
    }
}
