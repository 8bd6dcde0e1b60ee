//! Bounds on one template's render, so a template bug (a loop that never ends, loops nested too
//! deep, a value printed millions of times) stops with `GW3001` within about a second instead of
//! holding the CPU or filling memory.

use std::io;

/// Template instructions one render may run (minijinja's fuel: about one per tag, print,
/// variable lookup or filter). The largest render gwscript is built for, LiteLLM's
/// `config.yaml` for a gateway at the 20,000-deployment cap (GW1025: `tests/bench/scale.rhai`
/// with 10,000 groups) runs 1,620,069; this is over 12 times that.
pub const RENDER_FUEL: u64 = 20_000_000;

/// Bytes one template may produce. That same `config.yaml` is 5.6 MB.
pub const MAX_RENDER_BYTES: usize = 64 * 1024 * 1024;

/// The render's output, refused as soon as it would pass its limit: one length check per write,
/// so a runaway template stops before it has used more memory than the limit.
#[derive(Debug)]
pub(super) struct BoundedOutput {
    pub bytes: Vec<u8>,
    limit: usize,
}

impl BoundedOutput {
    pub fn new(limit: usize) -> BoundedOutput {
        BoundedOutput {
            bytes: Vec::new(),
            limit,
        }
    }
}

impl io::Write for BoundedOutput {
    fn write(&mut self, chunk: &[u8]) -> io::Result<usize> {
        if self.bytes.len() + chunk.len() > self.limit {
            return Err(io::Error::other(too_long()));
        }
        self.bytes.extend_from_slice(chunk);
        Ok(chunk.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Why a render stopped, in words a plugin author can act on; `None` for an ordinary template
/// error, which minijinja explains itself.
pub(super) fn exceeded(error: &minijinja::Error) -> Option<String> {
    match error.kind() {
        minijinja::ErrorKind::OutOfFuel => Some(format!(
            "the template ran more than {RENDER_FUEL} instructions{} (a loop that does not end, or loops nested too deep)",
            error
                .line()
                .map(|n| format!(", stopped at line {n}"))
                .unwrap_or_default()
        )),
        // The only writer is `BoundedOutput`, which fails only at the cap.
        minijinja::ErrorKind::WriteFailure => Some(too_long()),
        _ => None,
    }
}

fn too_long() -> String {
    format!(
        "the output passed {} MiB (a loop that prints far more than intended)",
        MAX_RENDER_BYTES >> 20
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn the_output_holds_up_to_its_limit_and_refuses_the_byte_after() {
        let mut output = BoundedOutput::new(10);
        output.write_all(b"0123").expect("under the limit");
        output.write_all(b"456789").expect("exactly at the limit");
        let refused = output.write_all(b"x").expect_err("past the limit");
        assert!(refused.to_string().contains("passed"), "{refused}");
        assert_eq!(
            output.bytes, b"0123456789",
            "nothing past the limit is kept"
        );
    }
}
