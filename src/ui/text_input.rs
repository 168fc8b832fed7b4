//! One line of editable text with its cursor, counted in grapheme clusters: a Kazakh letter,
//! a Cyrillic letter written decomposed (и + ◌̆) or an emoji with modifiers is one step of the
//! cursor and one unit of Backspace, never half a character. The cursor's place on screen is
//! given in terminal cells.

use unicode_segmentation::UnicodeSegmentation;

use crate::text::width;

/// An editing key the focused field acts on (from the key table, so help lists them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Left,
    Right,
    Home,
    End,
    WordLeft,
    WordRight,
    Backspace,
    Delete,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    value: String,
    /// Cursor position in grapheme clusters from the start.
    cursor: usize,
}

impl TextInput {
    pub fn new(value: &str) -> TextInput {
        TextInput {
            value: value.to_owned(),
            cursor: value.graphemes(true).count(),
        }
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    fn graphemes(&self) -> Vec<&str> {
        self.value.graphemes(true).collect()
    }

    /// Byte offset of grapheme `index` (the end for `index` past the last).
    fn offset(&self, index: usize) -> usize {
        self.value
            .grapheme_indices(true)
            .nth(index)
            .map_or(self.value.len(), |(at, _)| at)
    }

    /// The number of grapheme clusters.
    pub fn len(&self) -> usize {
        self.value.graphemes(true).count()
    }

    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// Inserts `text` at the cursor. A combining mark typed after a letter joins it: the
    /// cursor stays after the cluster it completed.
    pub fn insert(&mut self, text: &str) {
        let at = self.offset(self.cursor);
        let before = self.value[..at].graphemes(true).count();
        self.value.insert_str(at, text);
        let after = self.value[..at + text.len()].graphemes(true).count();
        self.cursor = after.max(before);
    }

    pub fn backspace(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        let (start, end) = (self.offset(self.cursor - 1), self.offset(self.cursor));
        self.value.replace_range(start..end, "");
        self.cursor -= 1;
        true
    }

    pub fn delete(&mut self) -> bool {
        if self.cursor >= self.len() {
            return false;
        }
        let (start, end) = (self.offset(self.cursor), self.offset(self.cursor + 1));
        self.value.replace_range(start..end, "");
        true
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.len());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.len();
    }

    /// To the start of the word before the cursor (Ctrl+←).
    pub fn word_left(&mut self) {
        let g = self.graphemes();
        let mut i = self.cursor;
        while i > 0 && is_space(g[i - 1]) {
            i -= 1;
        }
        while i > 0 && !is_space(g[i - 1]) {
            i -= 1;
        }
        self.cursor = i;
    }

    /// To the end of the word after the cursor (Ctrl+→).
    pub fn word_right(&mut self) {
        let g = self.graphemes();
        let mut i = self.cursor;
        while i < g.len() && is_space(g[i]) {
            i += 1;
        }
        while i < g.len() && !is_space(g[i]) {
            i += 1;
        }
        self.cursor = i;
    }

    /// Terminal cells from the start of the text to the cursor.
    /// Applies an editing key; whether the text changed.
    pub fn edit(&mut self, edit: Edit) -> bool {
        match edit {
            Edit::Left => self.left(),
            Edit::Right => self.right(),
            Edit::Home => self.home(),
            Edit::End => self.end(),
            Edit::WordLeft => self.word_left(),
            Edit::WordRight => self.word_right(),
            Edit::Backspace => return self.backspace(),
            Edit::Delete => return self.delete(),
        }
        false
    }

    pub fn cursor_cells(&self) -> usize {
        width(&self.value[..self.offset(self.cursor)])
    }
}

fn is_space(grapheme: &str) -> bool {
    grapheme.chars().all(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_and_kazakh_move_one_letter_per_step() {
        let mut t = TextInput::new("Әбілқайыр");
        assert_eq!(t.len(), 9);
        assert_eq!(t.cursor_cells(), 9);
        t.left();
        t.left();
        assert_eq!(t.cursor_cells(), 7);
        t.backspace();
        assert_eq!(t.value(), "Әбілқаыр");
        t.insert("й");
        assert_eq!(t.value(), "Әбілқайыр");
    }

    #[test]
    fn a_decomposed_letter_is_one_character() {
        // и followed by the combining breve: one letter й on screen.
        let mut t = TextInput::new("Ли\u{306}");
        assert_eq!(t.len(), 2);
        assert_eq!(t.cursor_cells(), 2);
        assert!(t.backspace());
        assert_eq!(t.value(), "Л");
        // A combining mark typed after the letter joins it.
        let mut t = TextInput::new("");
        t.insert("и");
        t.insert("\u{306}");
        assert_eq!((t.len(), t.cursor()), (1, 1));
    }

    #[test]
    fn wide_characters_take_two_cells() {
        let mut t = TextInput::new("日本");
        assert_eq!(t.cursor_cells(), 4);
        t.home();
        t.right();
        assert_eq!(t.cursor_cells(), 2);
        assert!(t.delete());
        assert_eq!(t.value(), "日");
    }

    #[test]
    fn word_jumps_skip_spaces_and_words() {
        let mut t = TextInput::new("ул. Абая  12");
        t.word_left();
        assert_eq!(t.cursor(), 10);
        t.word_left();
        assert_eq!(t.cursor(), 4);
        t.word_right();
        assert_eq!(t.cursor(), 8);
        t.home();
        assert!(!t.backspace());
        t.end();
        assert!(!t.delete());
    }
}
