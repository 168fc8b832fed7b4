//! The papers as PDF: the same 80-column text, on A4 pages in an embedded monospaced font
//! (DejaVu Sans Mono: free licence, every Kazakh letter; the PDF base fonts have no Cyrillic).
//! A form feed starts a new page, as does a full page. Training papers carry a large grey
//! TRAINING across every page.

use std::sync::OnceLock;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{Point, Transform};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use super::COLUMNS;

static FONT_DATA: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansMono.ttf");

/// A4 in points.
const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 42.0;
/// The font size that puts `COLUMNS` monospaced cells between the margins.
const FONT_SIZE: f32 = 10.4;
const LINE_HEIGHT: f32 = FONT_SIZE * 1.3;
/// The page's foot line (its reference and number), smaller than the text.
const FOOTER_SIZE: f32 = 8.0;

/// A glyph id and advance for every character, from the embedded font.
struct Face {
    font: Font,
    font_ref: FontRef<'static>,
    units_per_em: f32,
}

fn face() -> &'static Face {
    static FACE: OnceLock<Face> = OnceLock::new();
    FACE.get_or_init(|| {
        let font = Font::new(FONT_DATA.into(), 0).expect("the embedded font loads");
        let font_ref = FontRef::new(FONT_DATA).expect("the embedded font parses");
        let units_per_em = font.units_per_em();
        Face {
            font,
            font_ref,
            units_per_em,
        }
    })
}

fn glyphs(face: &Face, text: &str) -> Vec<KrillaGlyph> {
    let charmap = face.font_ref.charmap();
    let metrics = face
        .font_ref
        .glyph_metrics(Size::unscaled(), LocationRef::default());
    text.char_indices()
        .map(|(at, c)| {
            // A character the font lacks shows as its "missing" box, never as nothing.
            let id = charmap.map(c).unwrap_or_default();
            let advance = metrics.advance_width(id).unwrap_or(0.0) / face.units_per_em;
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

/// The text's pages: split at form feeds, and wherever a page is full.
fn pages(text: &str) -> Vec<Vec<&str>> {
    let per_page = ((PAGE_HEIGHT - 2.0 * MARGIN) / LINE_HEIGHT) as usize;
    let mut pages = Vec::new();
    for part in text.split('\u{c}') {
        let lines: Vec<&str> = part.lines().collect();
        if lines.is_empty() {
            pages.push(Vec::new());
        }
        for chunk in lines.chunks(per_page.max(1)) {
            pages.push(chunk.to_vec());
        }
    }
    pages
}

/// `text` (lines of at most `COLUMNS` cells) as a PDF document. `footer`: a line at the foot
/// of every page, its `{n}` and `{of}` the page's number and the count (the paper's reference
/// and "page 1 of 2", in the paper's language).
pub fn from_text(text: &str, training: Option<&str>, footer: Option<&str>) -> Vec<u8> {
    let face = face();
    let mut document = Document::new();
    let all = pages(text);
    let count = all.len();
    for (index, lines) in all.into_iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).expect("A4 is a size");
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        if let Some(mark) = training {
            surface.push_transform(&Transform::from_rotate_at(
                -35.0,
                PAGE_WIDTH / 2.0,
                PAGE_HEIGHT / 2.0,
            ));
            surface.set_fill(Some(Fill {
                paint: rgb::Color::new(210, 210, 210).into(),
                opacity: NormalizedF32::ONE,
                rule: Default::default(),
            }));
            let size = 64.0;
            let width = mark.chars().count() as f32 * size * 0.6;
            surface.draw_glyphs(
                Point::from_xy((PAGE_WIDTH - width) / 2.0, PAGE_HEIGHT / 2.0),
                &glyphs(face, mark),
                face.font.clone(),
                mark,
                size,
                false,
            );
            surface.pop();
            surface.set_fill(Some(Fill::default()));
        }
        for (i, line) in lines.iter().enumerate() {
            if line.is_empty() {
                continue;
            }
            let y = MARGIN + FONT_SIZE + i as f32 * LINE_HEIGHT;
            surface.draw_glyphs(
                Point::from_xy(MARGIN, y),
                &glyphs(face, line),
                face.font.clone(),
                line,
                FONT_SIZE,
                false,
            );
        }
        if let Some(template) = footer {
            let line = template
                .replace("{n}", &(index + 1).to_string())
                .replace("{of}", &count.to_string());
            surface.draw_glyphs(
                Point::from_xy(MARGIN, PAGE_HEIGHT - MARGIN / 2.0),
                &glyphs(face, &line),
                face.font.clone(),
                &line,
                FOOTER_SIZE,
                false,
            );
        }
        surface.finish();
        page.finish();
    }
    // Nothing in the document can make serialising fail (one font, no images).
    document.finish().unwrap_or_default()
}

// The page fits `COLUMNS` cells of the monospaced font between its margins.
const _: () = assert!(COLUMNS as f32 * FONT_SIZE * 0.602 <= PAGE_WIDTH - 2.0 * MARGIN);

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(pdf: &[u8]) -> String {
        pdf_extract::extract_text_from_mem(pdf).expect("the PDF reads back")
    }

    #[test]
    fn kazakh_text_reads_back_from_the_pdf() {
        let text = "RD-2026-000123\nӘбілқайырова Ғалия Һаманқызы: ә ғ қ ң ө ұ ү һ і\n";
        let pdf = from_text(text, None, None);
        assert!(pdf.starts_with(b"%PDF-"));
        let back = read_back(&pdf);
        assert!(back.contains("RD-2026-000123"), "{back}");
        assert!(back.contains("Әбілқайырова Ғалия Һаманқызы"), "{back}");
        for letter in ["ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і"] {
            assert!(back.contains(letter), "{letter} in {back}");
        }
    }

    #[test]
    fn form_feeds_and_full_pages_start_new_pages() {
        assert_eq!(pages("a\u{c}b\u{c}c").len(), 3);
        let long = "line\n".repeat(130);
        let per_page = ((PAGE_HEIGHT - 2.0 * MARGIN) / LINE_HEIGHT) as usize;
        assert_eq!(pages(&long).len(), 130usize.div_ceil(per_page));
        let pdf = from_text(
            &long,
            Some("TRAINING"),
            Some("RD-2026-000123 · page {n} of {of}"),
        );
        let back = read_back(&pdf);
        assert!(back.contains("TRAINING"));
        let count = 130usize.div_ceil(per_page);
        for n in 1..=count {
            let foot = format!("RD-2026-000123 · page {n} of {count}");
            assert!(back.contains(&foot), "{foot} in {back}");
        }
    }
}
