//! Display width and wrapping, for the screens and the papers alike. Widths are counted in
//! terminal cells (Cyrillic letters take one, CJK and most emoji two), never in bytes or chars,
//! so cutting text never splits a character or overflows a line.

use unicode_width::UnicodeWidthChar;
use unicode_width::UnicodeWidthStr;

pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Takes characters from `chars` while they fit in `max - 1` cells (one is kept for `…`).
fn fitting(chars: impl Iterator<Item = char>, max: usize) -> Vec<char> {
    let mut used = 1;
    chars
        .take_while(|c| {
            used += c.width().unwrap_or(0);
            used <= max
        })
        .collect()
}

/// Keeps the end of `text` within `max` cells, marking a cut with a leading `…`.
/// Paths are cut this way: their end (the file name) matters most.
pub fn truncate_left(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let kept = fitting(text.chars().rev(), max);
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// Keeps the start of `text` within `max` cells, marking a cut with a trailing `…`.
pub fn truncate_right(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    fitting(text.chars(), max)
        .into_iter()
        .chain(std::iter::once('…'))
        .collect()
}

/// `text` wrapped to `columns` cells. A word longer than a whole line (a pasted reference, a
/// long unspaced address) is cut across lines, so no line ever runs off the page.
pub fn wrap_to(text: &str, first: &str, indent: usize, columns: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_owned();
    let mut at_start = true;
    for word in text.split_whitespace() {
        let needed = width(word) + usize::from(!at_start);
        if !at_start && width(&line) + needed > columns {
            lines.push(std::mem::replace(&mut line, " ".repeat(indent)));
            at_start = true;
        }
        if !at_start {
            line.push(' ');
        }
        for c in word.chars() {
            let cell = UnicodeWidthChar::width(c).unwrap_or(0);
            if width(&line) + cell > columns && width(line.trim_start()) > 0 {
                lines.push(std::mem::replace(&mut line, " ".repeat(indent)));
            }
            line.push(c);
        }
        at_start = false;
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_counts_one_cell_per_letter() {
        assert_eq!(width("Заявитель"), 9);
        assert_eq!(width("Өтініш беруші"), 13);
    }

    #[test]
    fn truncation_respects_cell_widths() {
        assert_eq!(
            truncate_left("/home/operator/регдеск.sqlite", 12),
            "…деск.sqlite"
        );
        assert_eq!(truncate_right("Мекенжай", 5), "Меке…");
        assert_eq!(truncate_right("日本語テキスト", 6), "日本…");
        assert!(width(&truncate_right("日本語テキスト", 6)) <= 6);
        assert_eq!(truncate_right("short", 10), "short");
        assert_eq!(truncate_left("anything", 0), "");
    }
}
