//! The papers as typeset A4 PDF, from the same description as the text paper (`paper.rs`):
//! the center as a letterhead, the title, the person's details as a two-column table, the
//! documents and consents as numbered rows with boxes to tick, the legal basis smaller, lines
//! to sign on, and on every page its reference and number (and TRAINING across training
//! papers). DejaVu Sans, embedded: a free licence and every Kazakh letter (the PDF base fonts
//! have no Cyrillic). Set in two steps: lay the blocks out into pages of drawing operations
//! (pure, testable), then draw them with krilla, which embeds only the glyphs used.

use std::sync::OnceLock;

use krilla::Document;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use super::paper::{Block, Paper, Style, row_prefix};

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// A4 in points.
const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN_X: f32 = 56.0;
const MARGIN_TOP: f32 = 48.0;
/// Room at the foot of every page for its reference and number.
const MARGIN_BOTTOM: f32 = 64.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;

const BODY: f32 = 10.5;
const SMALL: f32 = 8.5;
const HEADING: f32 = 11.5;
const TITLE: f32 = 14.0;
const HEADER: f32 = 9.0;
const FOOTER: f32 = 8.0;
const LEADING: f32 = 1.35;
/// The labels' column of the details table.
const LABEL_COLUMN: f32 = 150.0;
/// Where a row's text starts, after its box and number.
const ROW_TEXT: f32 = 36.0;

/// Greys, 0 black to 255 white.
const INK: u8 = 0;
const MUTED: u8 = 85;
const RULE: u8 = 190;
const WATERMARK: u8 = 215;

struct Face {
    font: Font,
    font_ref: FontRef<'static>,
    units_per_em: f32,
}

impl Face {
    fn load(data: &'static [u8]) -> Face {
        let font = Font::new(data.into(), 0).expect("the embedded font loads");
        let font_ref = FontRef::new(data).expect("the embedded font parses");
        let units_per_em = font.units_per_em();
        Face {
            font,
            font_ref,
            units_per_em,
        }
    }

    /// Each character's glyph and advance (in ems). A character the font lacks shows as its
    /// "missing" box, never as nothing.
    fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        let charmap = self.font_ref.charmap();
        let metrics = self
            .font_ref
            .glyph_metrics(Size::unscaled(), LocationRef::default());
        text.char_indices()
            .map(|(at, c)| {
                let id = charmap.map(c).unwrap_or_default();
                let advance = metrics.advance_width(id).unwrap_or(0.0) / self.units_per_em;
                KrillaGlyph::new(
                    GlyphId::new(id.to_u32()),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    at..at + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }

    fn measure(&self, text: &str, size: f32) -> f32 {
        self.glyphs(text).iter().map(|g| g.x_advance).sum::<f32>() * size
    }

    /// `text` broken into lines no wider than `width` at spaces; a word wider than a whole
    /// line (a pasted reference) is cut, so nothing runs off the page.
    fn fit(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let joined = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.measure(&joined, size) <= width {
                line = joined;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if self.measure(&line, size) > width && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::replace(&mut line, c.to_string()));
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

struct Faces {
    regular: Face,
    bold: Face,
}

fn faces() -> &'static Faces {
    static FACES: OnceLock<Faces> = OnceLock::new();
    FACES.get_or_init(|| Faces {
        regular: Face::load(REGULAR),
        bold: Face::load(BOLD),
    })
}

impl Faces {
    fn get(&self, bold: bool) -> &Face {
        if bold { &self.bold } else { &self.regular }
    }
}

/// One drawing operation on a page; `y` grows down the page, text at its baseline.
#[derive(Debug, Clone, PartialEq)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        grey: u8,
        text: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        grey: u8,
    },
    /// A box to tick by hand.
    Square { x: f32, y: f32, side: f32 },
}

/// A run of text as it is set: its size, weight and grey.
#[derive(Clone, Copy)]
struct Look {
    size: f32,
    bold: bool,
    grey: u8,
}

const BODY_LOOK: Look = Look {
    size: BODY,
    bold: false,
    grey: INK,
};

struct Layout {
    faces: &'static Faces,
    pages: Vec<Vec<Op>>,
    /// The top of the next line on the current page.
    y: f32,
}

impl Layout {
    fn new() -> Layout {
        Layout {
            faces: faces(),
            pages: vec![Vec::new()],
            y: MARGIN_TOP,
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_TOP;
    }

    /// Starts a new page unless `height` more fits on this one (a page that is still empty
    /// takes anything, so a block taller than a page cannot loop).
    fn room(&mut self, height: f32) {
        if self.y + height > PAGE_HEIGHT - MARGIN_BOTTOM && self.y > MARGIN_TOP {
            self.new_page();
        }
    }

    /// A short paragraph is never split across pages (no line left alone at a page's top).
    fn keep_together(&mut self, lines: usize, face: Look) {
        let height = lines as f32 * face.size * LEADING;
        if height <= PAGE_HEIGHT / 4.0 {
            self.room(height);
        }
    }

    fn op(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    fn text_at(&mut self, x: f32, baseline: f32, face: Look, text: &str) {
        self.op(Op::Text {
            x,
            y: baseline,
            size: face.size,
            bold: face.bold,
            grey: face.grey,
            text: text.to_owned(),
        });
    }

    fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32, grey: u8) {
        self.op(Op::Line {
            from: (x1, y),
            to: (x2, y),
            width,
            grey,
        });
    }

    fn fit(&self, text: &str, face: Look, width: f32) -> Vec<String> {
        self.faces.get(face.bold).fit(text, face.size, width)
    }

    fn measure(&self, text: &str, face: Look) -> f32 {
        self.faces.get(face.bold).measure(text, face.size)
    }

    /// Lines of `text` at `x`, each on its own line down the page (a new page where needed).
    fn lines(&mut self, x: f32, width: f32, face: Look, text: &str) {
        let lines = self.fit(text, face, width);
        self.keep_together(lines.len(), face);
        for line in lines {
            let height = face.size * LEADING;
            self.room(height);
            let baseline = self.y + face.size;
            self.text_at(x, baseline, face, &line);
            self.y += height;
        }
    }

    /// Lines centred between the margins.
    fn centred(&mut self, face: Look, text: &str) {
        for line in self.fit(text, face, TEXT_WIDTH) {
            let height = face.size * LEADING;
            self.room(height);
            let x = MARGIN_X + (TEXT_WIDTH - self.measure(&line, face)) / 2.0;
            let baseline = self.y + face.size;
            self.text_at(x, baseline, face, &line);
            self.y += height;
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Banner(text) => {
                let face = Look {
                    bold: true,
                    ..BODY_LOOK
                };
                self.centred(face, text);
            }
            Block::Header(text) => {
                let face = Look {
                    size: HEADER,
                    bold: false,
                    grey: MUTED,
                };
                self.centred(face, text);
                self.y += 3.0;
                self.rule(MARGIN_X, PAGE_WIDTH - MARGIN_X, self.y, 0.6, RULE);
                self.y += 10.0;
            }
            Block::Title(text) => {
                let face = Look {
                    size: TITLE,
                    bold: true,
                    grey: INK,
                };
                self.y += 4.0;
                self.centred(face, &text.to_uppercase());
                self.y += 4.0;
            }
            Block::Heading(text) => {
                let face = Look {
                    size: HEADING,
                    bold: true,
                    grey: INK,
                };
                // A heading is never the last line of a page.
                self.room(HEADING * LEADING + BODY * LEADING * 2.0);
                self.y += 4.0;
                self.lines(MARGIN_X, TEXT_WIDTH, face, text);
                self.y += 2.0;
            }
            Block::Text {
                first, text, style, ..
            } => self.paragraph(first, text, *style),
            Block::Field { label, value } => self.field(label, value),
            Block::Row {
                number,
                check,
                text,
                detail,
            } => self.row(*number, *check, text, detail.as_deref()),
            Block::Signature(labels) => self.signature(labels),
            Block::Blank => self.y += BODY * 0.7,
            Block::PageBreak => self.new_page(),
        }
    }

    /// A paragraph after its lead (a label such as "Assessment:", a bullet, or only an
    /// indent): the text hangs under itself, right of the lead.
    fn paragraph(&mut self, first: &str, text: &str, style: Style) {
        let face = match style {
            Style::Body => BODY_LOOK,
            Style::Strong => Look {
                bold: true,
                ..BODY_LOOK
            },
            Style::Small => Look {
                size: SMALL,
                bold: false,
                grey: MUTED,
            },
        };
        let indent = (first.len() - first.trim_start().len()) as f32 * 4.0;
        let x = MARGIN_X + indent;
        let lead = first.trim();
        if lead.is_empty() {
            self.lines(x, TEXT_WIDTH - indent, face, text);
            return;
        }
        let lead_face = Look {
            bold: lead.ends_with(':') || face.bold,
            ..face
        };
        let lead_width = self.measure(lead, lead_face) + face.size * 0.4;
        if lead_width > TEXT_WIDTH * 0.4 {
            // A lead too wide to hang under: the text goes below it.
            self.lines(x, TEXT_WIDTH - indent, lead_face, lead);
            self.lines(x + 12.0, TEXT_WIDTH - indent - 12.0, face, text);
            return;
        }
        let height = face.size * LEADING;
        let width = TEXT_WIDTH - indent - lead_width;
        let count = self.fit(text, face, width).len().max(1);
        self.keep_together(count, face);
        self.room(height);
        let baseline = self.y + face.size;
        self.text_at(x, baseline, lead_face, lead);
        if text.trim().is_empty() {
            self.y += height;
        } else {
            self.lines(x + lead_width, width, face, text);
        }
    }

    /// One row of the details table: the label left, the value right, a hairline under both.
    fn field(&mut self, label: &str, value: &str) {
        let label_face = Look {
            grey: MUTED,
            ..BODY_LOOK
        };
        let labels = self.fit(&format!("{label}:"), label_face, LABEL_COLUMN - 8.0);
        let values = self.fit(value, BODY_LOOK, TEXT_WIDTH - LABEL_COLUMN);
        let height = BODY * LEADING * labels.len().max(values.len()).max(1) as f32;
        self.room(height + 4.0);
        let top = self.y;
        for (i, line) in labels.iter().enumerate() {
            let baseline = top + BODY + i as f32 * BODY * LEADING;
            self.text_at(MARGIN_X, baseline, label_face, line);
        }
        for (i, line) in values.iter().enumerate() {
            let baseline = top + BODY + i as f32 * BODY * LEADING;
            self.text_at(MARGIN_X + LABEL_COLUMN, baseline, BODY_LOOK, line);
        }
        self.y = top + height;
        self.rule(MARGIN_X, PAGE_WIDTH - MARGIN_X, self.y, 0.4, RULE);
        self.y += 3.0;
    }

    /// A numbered row: a box to tick, its number, its text and, smaller, what is accepted.
    fn row(&mut self, number: usize, check: bool, text: &str, detail: Option<&str>) {
        let detail_face = Look {
            size: SMALL + 0.5,
            bold: false,
            grey: MUTED,
        };
        let width = TEXT_WIDTH - ROW_TEXT;
        let lines = self.fit(text, BODY_LOOK, width);
        let details = detail.map_or_else(Vec::new, |d| self.fit(d, detail_face, width));
        let height =
            BODY * LEADING * lines.len() as f32 + detail_face.size * LEADING * details.len() as f32;
        self.room(height.min(PAGE_HEIGHT / 3.0) + 4.0);
        let baseline = self.y + BODY;
        if check {
            self.op(Op::Square {
                x: MARGIN_X,
                y: baseline - 8.0,
                side: 8.5,
            });
        }
        let number_text = row_prefix(number, false).trim().to_owned();
        let number_x = MARGIN_X + if check { 14.0 } else { 4.0 };
        self.text_at(number_x, baseline, BODY_LOOK, &number_text);
        for line in lines {
            self.room(BODY * LEADING);
            let baseline = self.y + BODY;
            self.text_at(MARGIN_X + ROW_TEXT, baseline, BODY_LOOK, &line);
            self.y += BODY * LEADING;
        }
        for line in details {
            self.room(detail_face.size * LEADING);
            let baseline = self.y + detail_face.size;
            self.text_at(MARGIN_X + ROW_TEXT, baseline, detail_face, &line);
            self.y += detail_face.size * LEADING;
        }
        self.y += 2.0;
        self.rule(
            MARGIN_X + ROW_TEXT,
            PAGE_WIDTH - MARGIN_X,
            self.y,
            0.4,
            RULE,
        );
        self.y += 3.0;
    }

    /// Places to sign side by side: each label, then a line to write on, with room above.
    fn signature(&mut self, labels: &[String]) {
        if labels.is_empty() {
            return;
        }
        let label_face = Look {
            grey: MUTED,
            ..BODY_LOOK
        };
        let column = TEXT_WIDTH / labels.len() as f32;
        self.room(BODY * LEADING + 18.0);
        self.y += 16.0;
        let top = self.y;
        let mut bottom = top + BODY * LEADING;
        for (i, label) in labels.iter().enumerate() {
            let x = MARGIN_X + i as f32 * column;
            let fitted = self.fit(&format!("{label}:"), label_face, column - 12.0);
            let last_width = fitted.last().map_or(0.0, |l| self.measure(l, label_face));
            for (n, line) in fitted.iter().enumerate() {
                let baseline = top + BODY + n as f32 * BODY * LEADING;
                self.text_at(x, baseline, label_face, line);
            }
            let last = top + BODY + fitted.len().saturating_sub(1) as f32 * BODY * LEADING;
            let (from, line_y) = if last_width + 60.0 > column - 12.0 {
                // A long label: its line goes under it, the column's width.
                (x, last + 18.0)
            } else {
                (x + last_width + 4.0, last + 1.5)
            };
            self.op(Op::Line {
                from: (from, line_y),
                to: (x + column - 12.0, line_y),
                width: 0.7,
                grey: INK,
            });
            bottom = bottom.max(line_y + BODY * 0.6);
        }
        self.y = bottom;
    }
}

fn lay_out(paper: &Paper) -> Vec<Vec<Op>> {
    let mut layout = Layout::new();
    for block in &paper.blocks {
        layout.block(block);
    }
    layout.pages
}

fn grey(level: u8) -> Fill {
    Fill {
        paint: luma::Color::new(level).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn draw(surface: &mut Surface, op: &Op) {
    let faces = faces();
    match op {
        Op::Text {
            x,
            y,
            size,
            bold,
            grey: level,
            text,
        } => {
            let face = faces.get(*bold);
            surface.set_fill(Some(grey(*level)));
            surface.draw_glyphs(
                Point::from_xy(*x, *y),
                &face.glyphs(text),
                face.font.clone(),
                text,
                *size,
                false,
            );
        }
        Op::Line {
            from,
            to,
            width,
            grey: level,
        } => {
            let mut path = PathBuilder::new();
            path.move_to(from.0, from.1);
            path.line_to(to.0, to.1);
            stroke(surface, path, *width, *level);
        }
        Op::Square { x, y, side } => {
            let mut path = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *side, *side) {
                path.push_rect(rect);
            }
            stroke(surface, path, 0.8, INK);
        }
    }
}

fn stroke(surface: &mut Surface, path: PathBuilder, width: f32, level: u8) {
    let Some(path) = path.finish() else { return };
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: luma::Color::new(level).into(),
        width,
        ..Stroke::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
    surface.set_fill(Some(Fill::default()));
}

/// `paper` as a PDF document. `training`: the word set across every page of a training paper.
/// `footer`: a line at the foot of every page, its `{n}` and `{of}` the page's number and the
/// count (the paper's reference and "page 1 of 2", in the paper's language).
pub fn render(paper: &Paper, training: Option<&str>, footer: Option<&str>) -> Vec<u8> {
    let faces = faces();
    let pages = lay_out(paper);
    let count = pages.len();
    let mut document = Document::new();
    for (index, ops) in pages.iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).expect("A4 is a size");
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        if let Some(mark) = training {
            // Under the text, so the page stays readable.
            let size = 72.0;
            let width = faces.bold.measure(mark, size);
            surface.push_transform(&Transform::from_rotate_at(
                -35.0,
                PAGE_WIDTH / 2.0,
                PAGE_HEIGHT / 2.0,
            ));
            draw(
                &mut surface,
                &Op::Text {
                    x: (PAGE_WIDTH - width) / 2.0,
                    y: PAGE_HEIGHT / 2.0 + size / 3.0,
                    size,
                    bold: true,
                    grey: WATERMARK,
                    text: mark.to_owned(),
                },
            );
            surface.pop();
        }
        for op in ops {
            draw(&mut surface, op);
        }
        if let Some(template) = footer {
            let line = template
                .replace("{n}", &(index + 1).to_string())
                .replace("{of}", &count.to_string());
            let y = PAGE_HEIGHT - MARGIN_BOTTOM / 2.0;
            draw(
                &mut surface,
                &Op::Line {
                    from: (MARGIN_X, y - FOOTER - 4.0),
                    to: (PAGE_WIDTH - MARGIN_X, y - FOOTER - 4.0),
                    width: 0.4,
                    grey: RULE,
                },
            );
            draw(
                &mut surface,
                &Op::Text {
                    x: MARGIN_X,
                    y,
                    size: FOOTER,
                    bold: false,
                    grey: MUTED,
                    text: line,
                },
            );
        }
        surface.finish();
        page.finish();
    }
    // Nothing in the document can make serialising fail (two fonts, no images).
    document.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(pdf: &[u8]) -> String {
        pdf_extract::extract_text_from_mem(pdf).expect("the PDF reads back")
    }

    fn paper_of(lines: &[&str]) -> Paper {
        let mut paper = Paper::default();
        for line in lines {
            paper.text(*line, "", 0);
        }
        paper
    }

    /// Every text drawn on every page stays between the margins.
    fn assert_within_margins(pages: &[Vec<Op>]) {
        let faces = faces();
        for op in pages.iter().flatten() {
            if let Op::Text {
                x,
                y,
                size,
                bold,
                text,
                ..
            } = op
            {
                let right = x + faces.get(*bold).measure(text, *size);
                assert!(*x >= MARGIN_X - 0.01, "{text} at {x}");
                assert!(
                    right <= PAGE_WIDTH - MARGIN_X + 0.01,
                    "{text} ends at {right}"
                );
                assert!(*y <= PAGE_HEIGHT - MARGIN_BOTTOM + *size, "{text} at {y}");
            }
        }
    }

    #[test]
    fn kazakh_text_reads_back_from_the_pdf() {
        let paper = paper_of(&[
            "RD-2026-000123",
            "Әбілқайырова Ғалия Һаманқызы: ә ғ қ ң ө ұ ү һ і",
        ]);
        let pdf = render(&paper, None, None);
        assert!(pdf.starts_with(b"%PDF-"));
        let back = read_back(&pdf);
        assert!(back.contains("RD-2026-000123"), "{back}");
        assert!(back.contains("Әбілқайырова"), "{back}");
        for letter in ["ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і"] {
            assert!(back.contains(letter), "{letter} in {back}");
        }
    }

    #[test]
    fn long_papers_run_onto_new_pages_each_with_its_footer_and_mark() {
        let mut paper = Paper::default();
        for i in 0..130 {
            paper.text(format!("line {i}"), "", 0);
        }
        paper.push(Block::PageBreak);
        paper.text("last", "", 0);
        let pages = lay_out(&paper);
        assert!(pages.len() >= 3, "{}", pages.len());
        assert_within_margins(&pages);
        let pdf = render(
            &paper,
            Some("TRAINING"),
            Some("RD-2026-000123 · page {n} of {of}"),
        );
        let back = read_back(&pdf);
        let count = pages.len();
        assert_eq!(back.matches("TRAINING").count(), count, "{back}");
        for n in 1..=count {
            let foot = format!("RD-2026-000123 · page {n} of {count}");
            assert!(back.contains(&foot), "{foot} in {back}");
        }
    }

    #[test]
    fn words_longer_than_a_line_are_cut_and_every_block_stays_within_the_margins() {
        let word = "Ә".repeat(300);
        let mut paper = Paper::default();
        paper.push(Block::Title(word.clone()));
        paper.push(Block::Header(word.clone()));
        paper.field(word.clone(), word.clone());
        paper.push(Block::Row {
            number: 12,
            check: true,
            text: word.clone(),
            detail: Some(word.clone()),
        });
        paper.styled(Style::Small, word.clone(), "    Основание: ", 6);
        paper.text(word.clone(), &format!("{word}: "), 2);
        paper.push(Block::Signature(vec![word.clone(), "Дата".into()]));
        let pages = lay_out(&paper);
        assert_within_margins(&pages);
        let drawn: String = pages
            .iter()
            .flatten()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(drawn.matches('Ә').count(), 300 * 10);
    }

    proptest::proptest! {
        /// Whatever a person's data holds, the typeset lines stay within the margins and no
        /// letter goes missing.
        #[test]
        fn any_text_is_set_within_the_margins_losing_nothing(text in "\\PC{0,300}") {
            let mut paper = Paper::default();
            paper.field("Адрес", text.clone());
            let pages = lay_out(&paper);
            assert_within_margins(&pages);
            let drawn: String = pages.iter().flatten().filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.as_str()),
                _ => None,
            }).collect::<String>().chars().filter(|c| !c.is_whitespace()).collect();
            let given: String = format!("Адрес:{text}").chars().filter(|c| !c.is_whitespace()).collect();
            proptest::prop_assert_eq!(drawn, given);
        }
    }
}
