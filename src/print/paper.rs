//! One description of a paper, laid out twice: as 80-column text (any printer, the tests, the
//! snapshots) and as a typeset A4 page (`pdf.rs`). Both read the same blocks, so the two can
//! never say different things: a test compares their words.

use super::{COLUMNS, wrap};
use crate::text::width;

/// A blank to fill by hand on the text paper (the PDF draws a line instead).
pub const BLANK: &str = "____________________";

/// How a run of text is set on the typeset page (the text paper has one face).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Body,
    /// Set in bold: the assessment, the application's number.
    Strong,
    /// Set smaller: the legal basis, the rule set's date and version.
    Small,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A line that says this is a training paper (top and bottom of every training paper).
    Banner(String),
    /// The paper's title (capitals on the text paper).
    Title(String),
    /// The center's name, address and phone, under the title.
    Header(String),
    /// A section's heading ("Documents received").
    Heading(String),
    /// A paragraph: `first` before its first line (a label, a bullet, an indent), later lines
    /// indented by `indent` cells on the text paper (hanging under the text in the PDF).
    Text {
        first: String,
        text: String,
        indent: usize,
        style: Style,
    },
    /// One row of the person's details: a label and its value (a two-column table in the PDF).
    Field {
        label: String,
        value: String,
    },
    /// One numbered line of a list of documents or consents, with an optional second line
    /// (what is accepted for it). `check`: a box to tick by hand.
    Row {
        number: usize,
        check: bool,
        text: String,
        detail: Option<String>,
    },
    /// Places to sign or fill by hand, side by side: their labels.
    Signature(Vec<String>),
    Blank,
    /// The next block starts a new page (each consent form is its own page).
    PageBreak,
}

/// A paper: its blocks, in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paper {
    pub blocks: Vec<Block>,
}

impl Paper {
    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    /// A paragraph in the body face.
    pub fn text(&mut self, text: impl Into<String>, first: &str, indent: usize) {
        self.styled(Style::Body, text, first, indent);
    }

    pub fn styled(&mut self, style: Style, text: impl Into<String>, first: &str, indent: usize) {
        self.push(Block::Text {
            first: first.to_owned(),
            text: text.into(),
            indent,
            style,
        });
    }

    pub fn field(&mut self, label: impl Into<String>, value: impl Into<String>) {
        self.push(Block::Field {
            label: label.into(),
            value: value.into(),
        });
    }

    pub fn blank(&mut self) {
        self.push(Block::Blank);
    }

    /// The paper as 80-column text: a form feed between pages, no line longer than `COLUMNS`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            if *block == Block::PageBreak {
                out.push('\u{c}');
                continue;
            }
            for line in text_lines(block) {
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
        out
    }
}

/// The numbering before a row: a box to tick, or an indent.
pub fn row_prefix(number: usize, check: bool) -> String {
    if check {
        format!("[ ] {number}. ")
    } else {
        format!("  {number}. ")
    }
}

fn text_lines(block: &Block) -> Vec<String> {
    match block {
        Block::Banner(text) => vec![text.clone()],
        Block::Heading(text) => wrap(text, "", 2),
        Block::Title(text) => vec![text.to_uppercase()],
        Block::Header(text) => wrap(text, "", 0),
        Block::Text {
            first,
            text,
            indent,
            ..
        } => wrap(text, first, *indent),
        Block::Field { label, value } => wrap(value, &format!("{label}: "), 2),
        Block::Row {
            number,
            check,
            text,
            detail,
        } => {
            let first = row_prefix(*number, *check);
            let indent = width(&first);
            let mut lines = wrap(text, &first, indent);
            if let Some(detail) = detail {
                lines.extend(wrap(detail, &" ".repeat(indent), indent));
            }
            lines
        }
        Block::Signature(labels) => {
            let line = labels
                .iter()
                .map(|label| format!("{label}: {BLANK}"))
                .collect::<Vec<_>>()
                .join("    ");
            // Labels too long for one line go one under another.
            if width(&line) <= COLUMNS {
                vec![line]
            } else {
                labels
                    .iter()
                    .flat_map(|label| wrap(BLANK, &format!("{label}: "), 2))
                    .collect()
            }
        }
        Block::Blank => vec![String::new()],
        Block::PageBreak => Vec::new(),
    }
}

/// The PDF of `paper` carries the words of its text form, in the same order: only the text
/// paper's boxes to tick and blanks are drawn instead of written.
#[cfg(test)]
pub fn assert_pdf_says_the_same(paper: &Paper) {
    let pdf = super::pdf::render(paper, None, None);
    let words: String = pdf_extract::extract_text_from_mem(&pdf)
        .expect("the PDF reads back")
        .replace(BLANK, "")
        .split_whitespace()
        .collect();
    let expected: String = paper
        .to_text()
        .replace("[ ]", "")
        .replace(BLANK, "")
        .split_whitespace()
        .collect();
    assert_eq!(words, expected);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_block_has_its_text_form() {
        let mut paper = Paper::default();
        paper.push(Block::Title("Расписка".into()));
        paper.field("Заявитель", "Серікова Айгерім");
        paper.push(Block::Row {
            number: 1,
            check: true,
            text: "Удостоверение".into(),
            detail: Some("документ: Паспорт".into()),
        });
        paper.push(Block::PageBreak);
        paper.push(Block::Signature(vec!["Подпись".into(), "Дата".into()]));
        assert_eq!(
            paper.to_text(),
            "РАСПИСКА\nЗаявитель: Серікова Айгерім\n[ ] 1. Удостоверение\n       документ: Паспорт\n\u{c}Подпись: ____________________    Дата: ____________________\n"
        );
    }

    #[test]
    fn signature_labels_too_long_for_a_line_go_one_under_another() {
        let long = "Подпись законного представителя собственника жилища".to_owned();
        let paper = Paper {
            blocks: vec![Block::Signature(vec![long.clone(), long])],
        };
        let text = paper.to_text();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.lines().all(|l| width(l) <= COLUMNS));
    }
}
