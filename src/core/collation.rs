//! Alphabetical order of names in the Kazakh alphabet, which holds the Russian one with its
//! own letters in their places (Ә after А, Ғ after Г, І after Ы ...), not after Я as Unicode
//! puts them; and the prefix search that finds names in that order although queries are typed
//! folded (`search_key`: "абд" for "Әбд", "семен" for "Семён").
//!
//! A [`sort_key`] maps each letter to a code point in alphabet order, so a plain byte-wise
//! comparison (SQLite's BINARY collation on an index) sorts names alphabetically, and the key
//! of a prefix is a prefix of the key. A folded query stands for several spellings ("ах" for
//! "ах", "әх", "аһ" ...); each spelling is one contiguous range of keys, and the ranges of
//! equal-length spellings are disjoint and ordered, so walking them in order gives the matches
//! in alphabetical order without sorting. [`spelling_ranges`] finds the spellings that exist,
//! letter by letter, so that a long query does not multiply out.

use super::search_key;

/// The Kazakh Cyrillic alphabet in its order (the Russian alphabet is a subset, in the same order).
pub const ALPHABET: &str = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя";

/// Where letters of [`ALPHABET`] go in a key: U+0400 onward, the block of capital Cyrillic
/// letters, which lower-cased text never holds, so no other character lands among them.
const FIRST: u32 = 0x400;

/// The sort key of a name: lower case, each letter of the alphabet replaced by its rank, runs
/// of white space as one space (which sorts before every letter: "Ахмет Болат" before
/// "Ахметов"). Other characters (Latin letters, digits, hyphens) keep their code points.
pub fn sort_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let mut space = false;
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            key.push(' ');
            space = false;
        }
        key.push(rank_char(c));
    }
    key
}

fn rank_char(c: char) -> char {
    match ALPHABET.chars().position(|a| a == c) {
        Some(rank) => char::from_u32(FIRST + rank as u32).unwrap_or(c),
        None => c,
    }
}

/// The lower-case letters a folded letter may stand for, in alphabet order: `а` for а and ә,
/// `и` for и, й and і; any other character for itself.
pub fn spellings(folded: char) -> Vec<char> {
    let mut found: Vec<char> = ALPHABET
        .chars()
        .filter(|&c| search_key(&c.to_string()) == folded.to_string())
        .collect();
    if folded == '\'' {
        found.push('’');
    }
    if !found.contains(&folded) {
        found.insert(0, folded);
    }
    found
}

/// The query as a name prefix: folded, white space collapsed, trimmed at the start only (a
/// trailing space means "the surname is complete").
pub fn normalise_query(query: &str) -> String {
    collapse(&search_key(query.trim_start()))
}

/// The query as typed, in lower case, white space collapsed as in [`normalise_query`]: the
/// letters the operator typed precisely (ә, і, ё ...) are kept, for [`spelling_ranges`].
pub fn normalise_typed(query: &str) -> String {
    collapse(&query.trim_start().to_lowercase())
}

/// The spellings a letter typed stands for. A letter that search folds (ә, ғ, і, ё ...) was
/// typed on purpose, on a keyboard that has it: it stands for itself only ("Әбд" finds Әбд…,
/// not Абд…). A plain letter stands for every letter folded into it ("абд" finds both), and a
/// Latin i, typed where a layout lacks і, for и, й and і.
fn typed_spellings(c: char) -> Vec<char> {
    if c == 'i' {
        return spellings('и');
    }
    let folded = search_key(&c.to_string());
    if folded != c.to_string() {
        return vec![c];
    }
    spellings(c)
}

/// White space collapsed to single spaces, none at the start, one kept at the end.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    if space && !out.is_empty() {
        out.push(' ');
    }
    out
}

/// A range of sort keys: every key that starts with `prefix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRange {
    pub prefix: String,
}

impl KeyRange {
    /// The first key after the range (for `key >= prefix AND key < end`).
    pub fn end(&self) -> String {
        let mut end = self.prefix.clone();
        end.push(char::MAX);
        end
    }
}

/// Most spellings followed at once; past it the rarest are dropped (real names leave one to
/// three at every letter).
pub const MAX_SPELLINGS: usize = 64;

/// The key ranges, in alphabetical order, of the spellings of `query` that some name has
/// (`exists` answers for a key prefix): each letter as [`typed_spellings`] says. Built letter
/// by letter: a spelling that no name starts with is not extended. Empty when nothing matches.
pub fn spelling_ranges(query: &str, mut exists: impl FnMut(&str) -> bool) -> Vec<KeyRange> {
    let query = normalise_typed(query);
    let mut prefixes = vec![String::new()];
    for c in query.chars() {
        let mut next = Vec::new();
        for prefix in &prefixes {
            for spelling in typed_spellings(c) {
                let mut candidate = prefix.clone();
                candidate.push(if spelling == ' ' {
                    ' '
                } else {
                    rank_char(spelling)
                });
                if next.len() < MAX_SPELLINGS && exists(&candidate) {
                    next.push(candidate);
                }
            }
        }
        if next.is_empty() {
            return Vec::new();
        }
        next.sort();
        prefixes = next;
    }
    if query.is_empty() {
        return Vec::new();
    }
    prefixes
        .into_iter()
        .map(|prefix| KeyRange { prefix })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by_key(|n| sort_key(n));
        v
    }

    #[test]
    fn kazakh_letters_sort_after_their_russian_neighbours_not_after_ya() {
        assert_eq!(
            sorted(&[
                "Яковлев",
                "Әбдірахманов",
                "Ахметов",
                "Ғабит",
                "Гусев",
                "Абаев",
                "Іскаков",
                "Ыбыраев",
                "Ищенко",
                "Бекова"
            ]),
            [
                "Абаев",
                "Ахметов",
                "Әбдірахманов",
                "Бекова",
                "Гусев",
                "Ғабит",
                "Ищенко",
                "Ыбыраев",
                "Іскаков",
                "Яковлев"
            ]
        );
    }

    #[test]
    fn a_shorter_name_and_a_space_sort_first_and_case_does_not_matter() {
        assert_eq!(
            sorted(&["АХМЕТОВА", "ахметов нұрлан", "Ахметов Болат", "Ахмет"]),
            ["Ахмет", "Ахметов Болат", "ахметов нұрлан", "АХМЕТОВА"]
        );
        assert_eq!(sort_key("  Ахмет   Болат "), sort_key("ахмет болат"));
    }

    #[test]
    fn the_key_of_a_prefix_is_a_prefix_of_the_key() {
        let full = sort_key("Әбдірахманов Нұрлан");
        assert!(full.starts_with(&sort_key("Әбді")));
        let range = KeyRange {
            prefix: sort_key("Әбді"),
        };
        assert!(full < range.end());
    }

    #[test]
    fn folded_letters_stand_for_each_spelling() {
        assert_eq!(spellings('а'), ['а', 'ә']);
        assert_eq!(spellings('и'), ['и', 'й', 'і']);
        assert_eq!(spellings('е'), ['е', 'ё']);
        assert_eq!(spellings('у'), ['у', 'ұ', 'ү']);
        assert_eq!(spellings('б'), ['б']);
        assert_eq!(spellings('s'), ['s']);
    }

    fn matches(names: &[&str], query: &str) -> Vec<String> {
        let keys: Vec<String> = names.iter().map(|n| sort_key(n)).collect();
        let ranges = spelling_ranges(query, |p| keys.iter().any(|k| k.starts_with(p)));
        let mut out = Vec::new();
        for range in ranges {
            let mut found: Vec<&str> = names
                .iter()
                .copied()
                .filter(|n| sort_key(n).starts_with(&range.prefix))
                .collect();
            found.sort_by_key(|n| sort_key(n));
            out.extend(found.into_iter().map(String::from));
        }
        out
    }

    #[test]
    fn prefix_search_is_case_insensitive_and_folds_kazakh_letters_and_yo() {
        let names = [
            "Әбдірахманов Нұрлан",
            "Абдуллаев Марат",
            "Елена Петрова",
            "Семёнов Иван",
            "Ахметов Нұрсұлтан",
            "Ахметова Айгүл",
        ];
        // A plain letter stands for its Kazakh letters; a Kazakh letter typed for itself.
        assert_eq!(
            matches(&names, "абд"),
            ["Абдуллаев Марат", "Әбдірахманов Нұрлан"]
        );
        assert_eq!(matches(&names, "әбд"), ["Әбдірахманов Нұрлан"]);
        assert_eq!(matches(&names, "ӘБД"), ["Әбдірахманов Нұрлан"]);
        assert_eq!(matches(&names, "абди"), ["Әбдірахманов Нұрлан"]);
        // A Latin i typed where the layout has no і.
        assert_eq!(matches(&names, "абдiр"), ["Әбдірахманов Нұрлан"]);
        assert_eq!(matches(&names, "семён"), ["Семёнов Иван"]);
        assert_eq!(matches(&names, "ЕЛЕНА"), ["Елена Петрова"]);
        assert_eq!(matches(&names, "семен"), ["Семёнов Иван"]);
        assert_eq!(matches(&names, "ахметов нұр"), ["Ахметов Нұрсұлтан"]);
        assert_eq!(matches(&names, "ахметов  нур"), ["Ахметов Нұрсұлтан"]);
        assert_eq!(matches(&names, "ахметов "), ["Ахметов Нұрсұлтан"]);
        assert_eq!(
            matches(&names, "ахмет"),
            ["Ахметов Нұрсұлтан", "Ахметова Айгүл"]
        );
        assert!(matches(&names, "жж").is_empty());
        assert!(matches(&names, "   ").is_empty());
    }

    #[test]
    fn spellings_that_no_name_has_are_not_extended() {
        let mut asked = 0;
        let keys = [sort_key("ааааааааааааааааааааа")];
        let ranges = spelling_ranges("ааааааааааааааааааааа", |p| {
            asked += 1;
            keys.iter().any(|k| k.starts_with(p))
        });
        assert_eq!(ranges.len(), 1);
        assert!(asked <= 2 * 21, "{asked} questions");
    }
}
