//! A YAML render read again while it is written: the template writes on the caller's thread and
//! the reparse walks the text on another, a chunk behind, so a config of many megabytes costs
//! about the longer of the two instead of their sum.

use super::limits::BoundedOutput;
use crate::yaml::all_printable;
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

/// The characters of the chunks a [`Teed`] hands over, in order, until it is dropped.
pub(super) struct Chunks {
    from: Receiver<String>,
    chunk: String,
    at: usize,
}

impl Chunks {
    pub fn new(from: Receiver<String>) -> Chunks {
        Chunks {
            from,
            chunk: String::new(),
            at: 0,
        }
    }
}

impl Iterator for Chunks {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        loop {
            // The parser takes one character per call, so ASCII skips decoding: on the reader's
            // thread, the longer half of the work, decoding every character showed in profiles.
            match self.chunk.as_bytes().get(self.at) {
                Some(&byte) if byte.is_ascii() => {
                    self.at += 1;
                    return Some(char::from(byte));
                }
                Some(_) => {
                    // `at` only ever steps over whole characters, so it is a boundary.
                    let c = self.chunk[self.at..].chars().next()?;
                    self.at += c.len_utf8();
                    return Some(c);
                }
                None => {
                    self.chunk = self.from.recv().ok()?;
                    self.at = 0;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_characters_come_out_in_order_across_chunks_of_any_script() {
        let (to_reader, from_writer) = std::sync::mpsc::sync_channel(4);
        for chunk in ["a: é", "", "€\u{2028}", "😀b\n"] {
            to_reader.send(chunk.to_owned()).unwrap();
        }
        drop(to_reader);
        let read: String = Chunks::new(from_writer).collect();
        assert_eq!(read, "a: é€\u{2028}😀b\n");
    }
}
