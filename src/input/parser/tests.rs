use super::*;
use proptest::prelude::*;

fn parse(bytes: &[u8]) -> Vec<Input> {
    let mut parser = Parser::new();
    let mut out = Vec::new();
    parser.feed(bytes, &mut out);
    out
}

fn k(code: KeyCode, modifiers: KeyModifiers) -> Input {
    key(code, modifiers)
}

const NONE: KeyModifiers = KeyModifiers::NONE;

#[test]
fn function_keys_in_every_encoding() {
    assert_eq!(parse(b"\x1bOP"), vec![k(KeyCode::F(1), NONE)]);
    assert_eq!(parse(b"\x1b[11~"), vec![k(KeyCode::F(1), NONE)]);
    assert_eq!(parse(b"\x1b[[A"), vec![k(KeyCode::F(1), NONE)]);
    assert_eq!(parse(b"\x1b[15~"), vec![k(KeyCode::F(5), NONE)]);
    assert_eq!(parse(b"\x1b[20~"), vec![k(KeyCode::F(9), NONE)]);
    assert_eq!(parse(b"\x1b[21~"), vec![k(KeyCode::F(10), NONE)]);
    assert_eq!(parse(b"\x1b[24~"), vec![k(KeyCode::F(12), NONE)]);
    assert_eq!(
        parse(b"\x1b[1;2P"),
        vec![k(KeyCode::F(1), KeyModifiers::SHIFT)]
    );
}

#[test]
fn cursor_and_editing_keys_with_modifiers() {
    assert_eq!(parse(b"\x1b[A"), vec![k(KeyCode::Up, NONE)]);
    assert_eq!(parse(b"\x1bOB"), vec![k(KeyCode::Down, NONE)]);
    assert_eq!(
        parse(b"\x1b[1;5C"),
        vec![k(KeyCode::Right, KeyModifiers::CONTROL)]
    );
    assert_eq!(parse(b"\x1b[H"), vec![k(KeyCode::Home, NONE)]);
    assert_eq!(parse(b"\x1b[7~"), vec![k(KeyCode::Home, NONE)]);
    assert_eq!(parse(b"\x1b[4~"), vec![k(KeyCode::End, NONE)]);
    assert_eq!(parse(b"\x1b[3~"), vec![k(KeyCode::Delete, NONE)]);
    assert_eq!(
        parse(b"\x1b[5~\x1b[6~"),
        vec![k(KeyCode::PageUp, NONE), k(KeyCode::PageDown, NONE)]
    );
    assert_eq!(
        parse(b"\x1b[Z"),
        vec![k(KeyCode::BackTab, KeyModifiers::SHIFT)]
    );
}

#[test]
fn control_characters_and_text() {
    assert_eq!(parse(b"\r"), vec![k(KeyCode::Enter, NONE)]);
    assert_eq!(parse(b"\t"), vec![k(KeyCode::Tab, NONE)]);
    assert_eq!(parse(b"\x7f"), vec![k(KeyCode::Backspace, NONE)]);
    assert_eq!(
        parse(b"\x11"),
        vec![k(KeyCode::Char('q'), KeyModifiers::CONTROL)]
    );
    assert_eq!(
        parse("Жә?".as_bytes()),
        vec![
            k(KeyCode::Char('Ж'), KeyModifiers::SHIFT),
            k(KeyCode::Char('ә'), NONE),
            k(KeyCode::Char('?'), NONE)
        ]
    );
    assert_eq!(
        parse(b"\x1bx"),
        vec![k(KeyCode::Char('x'), KeyModifiers::ALT)]
    );
}

#[test]
fn a_lone_escape_is_the_esc_key_after_the_wait() {
    let mut parser = Parser::new();
    let mut out = Vec::new();
    parser.feed(b"\x1b", &mut out);
    assert!(out.is_empty());
    assert_eq!(parser.deadline(), Some(ESCAPE_WAIT));
    parser.timeout(&mut out);
    assert_eq!(out, vec![k(KeyCode::Esc, NONE)]);
    assert_eq!(parser.deadline(), None, "nothing waits: block on input");
}

#[test]
fn a_sequence_split_across_reads_is_joined() {
    let mut parser = Parser::new();
    let mut out = Vec::new();
    parser.feed(b"\x1b[2", &mut out);
    parser.feed(b"1~", &mut out);
    assert_eq!(out, vec![k(KeyCode::F(10), NONE)]);
    let mut out = Vec::new();
    parser.feed(&"ә".as_bytes()[..1], &mut out);
    parser.feed(&"ә".as_bytes()[1..], &mut out);
    assert_eq!(out, vec![k(KeyCode::Char('ә'), NONE)]);
}

#[test]
fn a_bracketed_paste_is_one_event_and_keys_follow() {
    assert_eq!(
        parse(b"\x1b[200~\xd0\x90\xd0\x91\r\nline\x1b[201~\x1b[21~"),
        vec![
            Input::Event(Event::Paste("АБ\nline".into())),
            k(KeyCode::F(10), NONE)
        ]
    );
    // The end marker split across reads.
    let mut parser = Parser::new();
    let mut out = Vec::new();
    parser.feed(b"\x1b[200~abc\x1b[20", &mut out);
    parser.feed(b"1~x", &mut out);
    assert_eq!(
        out,
        vec![
            Input::Event(Event::Paste("abc".into())),
            k(KeyCode::Char('x'), NONE)
        ]
    );
}

#[test]
fn a_paste_that_never_ends_is_closed_after_the_silence_and_keys_work_again() {
    let mut parser = Parser::new();
    let mut out = Vec::new();
    parser.feed(b"\x1b[200~half a paste", &mut out);
    assert!(out.is_empty());
    assert_eq!(parser.deadline(), Some(PASTE_SILENCE));
    parser.timeout(&mut out);
    assert_eq!(
        out,
        vec![
            Input::Event(Event::Paste("half a paste".into())),
            Input::PasteCut(PasteCut::Unfinished)
        ]
    );
    let mut out = Vec::new();
    parser.feed(b"\x1b[21~", &mut out);
    assert_eq!(
        out,
        vec![k(KeyCode::F(10), NONE)],
        "F10 works after the cut"
    );
}

#[test]
fn a_paste_past_the_limit_is_cut_and_reported() {
    let mut parser = Parser::new();
    let mut out = Vec::new();
    parser.feed(b"\x1b[200~", &mut out);
    let chunk = vec![b'a'; 4096];
    for _ in 0..(3 * MAX_PASTE_BYTES / chunk.len()) {
        parser.feed(&chunk, &mut out);
    }
    parser.feed(b"\x1b[201~", &mut out);
    assert_eq!(out.len(), 2, "{:?}", out.get(1));
    let Input::Event(Event::Paste(text)) = &out[0] else {
        panic!("{:?}", out[0]);
    };
    assert_eq!(text.len(), MAX_PASTE_BYTES);
    assert_eq!(out[1], Input::PasteCut(PasteCut::TooLong));
}

#[test]
fn noise_is_dropped_and_what_follows_is_read() {
    assert_eq!(
        parse(b"\x1b[\x01q"),
        vec![
            k(KeyCode::Char('a'), KeyModifiers::CONTROL),
            k(KeyCode::Char('q'), NONE)
        ]
    );
    assert_eq!(parse(b"\xff\xfeq"), vec![k(KeyCode::Char('q'), NONE)]);
    let long: Vec<u8> = b"\x1b["
        .iter()
        .copied()
        .chain(std::iter::repeat_n(b'1', 100))
        .collect();
    let mut out = Vec::new();
    let mut parser = Parser::new();
    parser.feed(&long, &mut out);
    parser.feed(b"q", &mut out);
    assert_eq!(out.last(), Some(&k(KeyCode::Char('q'), NONE)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any bytes, fed in any pieces, with timeouts between: no panic, and afterwards the
    /// parser is back to reading keys (F10 still quits).
    #[test]
    fn any_bytes_leave_the_keyboard_usable(
        pieces in proptest::collection::vec(
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..40),
                Just(b"\x1b[200~".to_vec()),
                Just(b"\x1b[201~".to_vec()),
                Just(b"\x1b".to_vec()),
                Just(b"\x1b[".to_vec()),
            ],
            0..20,
        ),
        timeouts in proptest::collection::vec(any::<bool>(), 20),
    ) {
        let mut parser = Parser::new();
        let mut out = Vec::new();
        for (piece, wait) in pieces.iter().zip(timeouts) {
            parser.feed(piece, &mut out);
            if wait && parser.deadline().is_some() {
                parser.timeout(&mut out);
            }
        }
        // Silence until nothing waits any more.
        for _ in 0..3 {
            if parser.deadline().is_some() {
                parser.timeout(&mut out);
            }
        }
        prop_assert_eq!(parser.deadline(), None);
        let mut out = Vec::new();
        parser.feed(b"\x1b[21~", &mut out);
        prop_assert_eq!(out, vec![k(KeyCode::F(10), NONE)]);
    }
}
