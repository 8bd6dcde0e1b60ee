//! A YAML render read again while it is written: the template writes on the caller's thread and
//! the reparse walks the text on another, a chunk behind, so a config of many megabytes costs
//! about the longer of the two instead of their sum.

use super::limits::BoundedOutput;
use crate::yaml::all_printable;
use saphyr_parser::Input;
use saphyr_parser::input::is_breakz;
use std::io;
use std::sync::mpsc::{Receiver, SyncSender};

/// Text handed to the reader at a time.
pub(super) const CHUNK_BYTES: usize = 64 * 1024;
/// Chunks written ahead of the reader before the writer waits: the memory the handover may hold.
pub(super) const CHUNKS_AHEAD: usize = 8;

/// The render's output, also handed to a reader in chunks of at least [`CHUNK_BYTES`].
pub(super) struct Teed<'a> {
    pub output: &'a mut BoundedOutput,
    /// Bytes of `output` already handed over.
    sent: usize,
    /// `None` once the reader has stopped (it found an error, or is done).
    reader: Option<SyncSender<String>>,
    /// Whether every character handed over is one YAML allows. The writer checks them, since the
    /// reader has the slower half of the work.
    printable: bool,
}

impl<'a> Teed<'a> {
    pub fn new(output: &'a mut BoundedOutput, reader: SyncSender<String>) -> Teed<'a> {
        Teed {
            output,
            sent: 0,
            reader: Some(reader),
            printable: true,
        }
    }

    /// Hands over what is not yet sent (the reader sees the end of the text when this is dropped),
    /// and says whether the whole text was handed over and is made of characters YAML allows.
    pub fn finish(mut self) -> bool {
        self.hand_over();
        self.printable && self.sent == self.output.bytes.len()
    }

    fn hand_over(&mut self) {
        let Some(reader) = &self.reader else {
            return;
        };
        // minijinja writes whole `str`s, so a write's end is always a character boundary.
        let Ok(unsent) = std::str::from_utf8(&self.output.bytes[self.sent..]) else {
            return;
        };
        self.printable &= all_printable(unsent);
        if reader.send(unsent.to_owned()).is_err() {
            self.reader = None;
        }
        self.sent = self.output.bytes.len();
    }
}

impl io::Write for Teed<'_> {
    fn write(&mut self, chunk: &[u8]) -> io::Result<usize> {
        let written = self.output.write(chunk)?;
        if self.output.bytes.len() - self.sent >= CHUNK_BYTES {
            self.hand_over();
        }
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What the parser may ask to look ahead at once, as saphyr's own inputs allow (at least 8).
const LOOKAHEAD_CHARS: usize = 16;

/// The chunks a [`Teed`] hands over, read by the YAML parser as one text: a window over the
/// unread characters that takes in the next chunk when the parser needs characters past its end.
/// The parser reads a character at a time, so this reads ASCII straight from the bytes.
pub(super) struct ChunkInput {
    from: Receiver<String>,
    /// Unread text: `window[at..]`.
    window: String,
    at: usize,
    /// Whether the writer is done: past the window there is nothing more.
    ended: bool,
}

impl ChunkInput {
    pub fn new(from: Receiver<String>) -> ChunkInput {
        ChunkInput {
            from,
            window: String::new(),
            at: 0,
            ended: false,
        }
    }

    /// Takes in chunks until `chars` characters are unread (four bytes each at most) or the
    /// writer is done. The parser asks before nearly every character, so the check stays inline
    /// and the waiting, once a chunk, out of the way.
    #[inline]
    fn take_in(&mut self, chars: usize) {
        if !self.ended && self.window.len() - self.at < 4 * chars {
            self.receive(chars);
        }
    }

    #[cold]
    #[inline(never)]
    fn receive(&mut self, chars: usize) {
        while !self.ended && self.window.len() - self.at < 4 * chars {
            match self.from.recv() {
                Ok(chunk) if self.at == self.window.len() => {
                    self.window = chunk;
                    self.at = 0;
                }
                Ok(chunk) => {
                    self.window.drain(..self.at);
                    self.window.push_str(&chunk);
                    self.at = 0;
                }
                Err(_) => self.ended = true,
            }
        }
    }

    /// The character `at` bytes into the window, and its length; `None` past the end.
    #[inline]
    fn char_at(&self, at: usize) -> Option<(char, usize)> {
        match *self.window.as_bytes().get(at)? {
            byte if byte.is_ascii() => Some((char::from(byte), 1)),
            // `at` only ever steps over whole characters, so it is a boundary.
            _ => self.window[at..].chars().next().map(|c| (c, c.len_utf8())),
        }
    }

    /// Steps over the next character, if there is one.
    #[inline]
    fn advance(&mut self) {
        if let Some((_, len)) = self.char_at(self.at) {
            self.at += len;
        }
    }
}

/// Past the end, the parser reads `\0`, as from saphyr's own inputs.
impl Input for ChunkInput {
    #[inline]
    fn lookahead(&mut self, count: usize) {
        self.take_in(count);
    }

    /// Only whether it is zero matters to the parser (and that a finished text is never empty,
    /// as its padding never is): the unread bytes bound the unread characters from above.
    #[inline]
    fn buflen(&self) -> usize {
        let unread = self.window.len() - self.at;
        if self.ended {
            unread.max(LOOKAHEAD_CHARS)
        } else {
            unread
        }
    }

    #[inline]
    fn bufmaxlen(&self) -> usize {
        LOOKAHEAD_CHARS
    }

    #[inline]
    fn raw_read_ch(&mut self) -> char {
        self.take_in(1);
        let c = self.peek();
        self.advance();
        c
    }

    #[inline]
    fn raw_read_non_breakz_ch(&mut self) -> Option<char> {
        self.take_in(1);
        let c = self
            .peek_opt()
            .filter(|&c| !is_breakz(c) && c != BYTE_ORDER_MARK)?;
        self.advance();
        Some(c)
    }

    /// Like the skips below, steps only over what a lookahead brought in, as saphyr's own
    /// buffered input does.
    #[inline]
    fn skip(&mut self) {
        self.advance();
    }

    #[inline]
    fn skip_n(&mut self, count: usize) {
        for _ in 0..count {
            self.advance();
        }
    }

    #[inline]
    fn peek(&self) -> char {
        self.peek_opt().unwrap_or('\0')
    }

    #[inline]
    fn peek_nth(&self, n: usize) -> char {
        let mut at = self.at;
        for _ in 0..n {
            match self.char_at(at) {
                Some((_, len)) => at += len,
                None => return '\0',
            }
        }
        self.char_at(at).map_or('\0', |(c, _)| c)
    }

    #[inline]
    fn peek_opt(&self) -> Option<char> {
        self.char_at(self.at).map(|(c, _)| c)
    }
}

const BYTE_ORDER_MARK: char = '\u{FEFF}';

#[cfg(test)]
mod tests {
    use super::*;
    use saphyr_parser::Parser;
    use std::sync::mpsc::sync_channel;

    /// A reader of `chunks`, all handed over and the writer done.
    fn reading(chunks: &[&str]) -> ChunkInput {
        let (to_reader, from_writer) = sync_channel(chunks.len());
        for chunk in chunks {
            to_reader.send((*chunk).to_owned()).expect("room for each");
        }
        ChunkInput::new(from_writer)
    }

    #[test]
    fn the_characters_come_out_in_order_across_chunks_of_any_script() {
        let mut input = reading(&["a: é", "", "€\u{2028}", "😀b\n"]);
        let mut read = String::new();
        loop {
            input.lookahead(1);
            let Some(c) = input.peek_opt() else { break };
            read.push(c);
            input.skip();
        }
        assert_eq!(read, "a: é€\u{2028}😀b\n");
        assert_eq!(input.peek(), '\0', "past the end reads NUL");
        assert!(
            !input.buf_is_empty(),
            "a finished text is padded, never empty"
        );
    }

    /// Every event the parser reads, with its span, up to the error it stops at.
    fn events<T: Input>(parser: Parser<'_, T>) -> Vec<String> {
        let mut read = Vec::new();
        for event in parser.take(1000) {
            match event {
                Ok((event, span)) => read.push(format!("{event:?} {span:?}")),
                Err(error) => {
                    read.push(format!("error {error}"));
                    break;
                }
            }
        }
        read
    }

    /// YAML of every shape the scanner treats on its own: block and flow collections, every
    /// scalar style, long lines and deep indents (past the parser's lookahead), comments,
    /// documents, anchors, tags, other scripts, and broken text.
    const TEXTS: &[&str] = &[
        "# c\nmodel_list:\n  - model_name: \"a\"\n    litellm_params: {model: \"x/y\", \"order\": 1}\n",
        "key: |\n  line one\n    indented more\n  line three\nnext: >-\n  folded\n  text\n\n  para\n",
        "deep:\n                    inner: |\n                      block at twenty\n                      two\n",
        "plain: this is a plain\n  scalar over lines\nquoted: \"esc \\u00e9 \\n \\\"q\\\" and a long long long long line\"\nsingle: 'it''s'\n",
        "---\na: &x [1, 2, {b: c}]\nd: *x\n...\n--- !tag\ne: !!str 3\n? complex\n: value\n",
        "list:\n- é\n- 😀 ünïcödé\n- \"\\u2028\"\nlast: ~\n",
        "a: [1, 2\n",
        "a: \"unclosed\n",
        "a: b\n c: d\n",
    ];

    /// The reader is what saphyr's own string input reads, event for event and error for error,
    /// wherever the writer's chunks happen to end.
    #[test]
    fn chunked_text_parses_as_the_whole_text_wherever_the_chunks_end() {
        for text in TEXTS {
            let whole = events(Parser::new_from_str(text));
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&at| text.is_char_boundary(at))
                .collect();
            for &at in &boundaries {
                let chunked = events(Parser::new(reading(&[&text[..at], &text[at..]])));
                assert_eq!(chunked, whole, "{text:?} split at byte {at}");
            }
            let one_by_one: Vec<&str> = boundaries
                .windows(2)
                .map(|pair| &text[pair[0]..pair[1]])
                .collect();
            let chunked = events(Parser::new(reading(&one_by_one)));
            assert_eq!(chunked, whole, "{text:?} a character at a time");
        }
    }
}
