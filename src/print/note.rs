//! The note a family takes home when a case is closed as "registration not required" (a child
//! under 14, a stay too short): who it is about, who applied for them, the address, and why
//! no registration is needed, with the legal basis. It names the person, so the family can
//! show it (a school, a clinic) instead of a registration they could not get.

use chrono::NaiveDate;

use super::{Block, Paper, Style, heading};
use crate::center::CenterProfile;
use crate::i18n::Tr;
use crate::rules::model::Decision;
use crate::rules::{Evaluation, RuleSet};

/// A person as the note names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub iin: String,
    /// `ДД.ММ.ГГГГ`.
    pub birth_date: String,
}

/// What the note says.
pub struct Note<'a> {
    pub person: Person,
    /// The parent or legal representative who applied for the person.
    pub representative: Option<Person>,
    /// The document that gives the representative their authority (birth certificate ...).
    pub authority: Option<String>,
    /// In words (`print::address::in_words`).
    pub address: String,
    pub evaluation: &'a Evaluation,
    /// Who closed the case at the desk.
    pub operator: Option<&'a str>,
    pub date: NaiveDate,
    pub training: bool,
}

pub fn render(note: &Note<'_>, set: &RuleSet, center: Option<&CenterProfile>, tr: &Tr) -> Paper {
    let mut paper = Paper::default();
    if note.training {
        paper.push(Block::Banner(tr.t("receipt.training")));
        paper.blank();
    }
    heading(&mut paper, &tr.t("note.title"), center, tr);
    paper.blank();
    paper.field(tr.t("note.date"), note.date.format("%d.%m.%Y").to_string());
    paper.blank();
    let person = |p: &Person| {
        let mut text = p.name.clone();
        if !p.iin.is_empty() {
            text.push_str(&format!(", {} {}", tr.t("note.iin"), p.iin));
        }
        if !p.birth_date.is_empty() {
            text.push_str(&format!(", {} {}", tr.t("note.born"), p.birth_date));
        }
        text
    };
    paper.field(tr.t("note.person"), person(&note.person));
    if let Some(r) = &note.representative {
        paper.field(tr.t("note.representative"), person(r));
        if let Some(authority) = note.authority.as_deref().filter(|a| !a.is_empty()) {
            paper.field(tr.t("note.authority"), authority);
        }
    }
    paper.field(tr.t("note.address"), note.address.clone());
    paper.blank();
    paper.styled(Style::Strong, tr.t("note.not_required"), "", 0);
    // The rules that decided it, each with its act (smaller) and what it tells the family.
    let deciding: Vec<_> = note
        .evaluation
        .fired
        .iter()
        .filter_map(|f| set.rules_with_id(&f.rule).next())
        .filter(|r| r.outcome.decision == Some(Decision::NotRequired))
        .collect();
    for rule in deciding {
        paper.text(rule.title.get(tr.lang), "  — ", 4);
        let basis = crate::rules::report::basis_text(set, std::slice::from_ref(&rule.id), tr);
        if !basis.is_empty() {
            paper.styled(
                Style::Small,
                basis,
                &format!("    {}: ", tr.t("note.basis")),
                6,
            );
        }
        if let Some(notice) = &rule.outcome.notice {
            paper.text(notice.get(tr.lang), "    ", 4);
        }
    }
    paper.blank();
    match note.operator {
        Some(operator) => paper.field(tr.t("note.operator"), operator),
        None => paper.push(Block::Signature(vec![tr.t("note.operator")])),
    }
    paper.push(Block::Signature(vec![tr.t("consent_form.signature")]));
    if note.training {
        paper.blank();
        paper.push(Block::Banner(tr.t("receipt.training")));
    }
    paper
}
