//! Reading recipe and module files: regular files only, and no more than a documented cap, so a
//! FIFO, a device or a huge file can neither stall a run nor exhaust its memory.

use std::fs::OpenOptions;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// The largest recipe or module gwscript reads. Real recipes are a few KiB.
pub const MAX_SOURCE_BYTES: u64 = 1024 * 1024;

/// The file's text, or why it cannot be a recipe (in words for a diagnostic, without its content).
pub fn read_bounded(path: &Path) -> Result<String, String> {
    let bytes = read_regular_file(path, MAX_SOURCE_BYTES, "recipes and modules")?;
    String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_owned())
}

/// The bytes of `path` if it is a regular file of at most `limit` bytes, else why not, naming the
/// limit as the one for `what`.
pub fn read_regular_file(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, String> {
    // Non-blocking, so opening a FIFO with no writer returns at once instead of waiting.
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| e.to_string())?;
    let metadata = file.metadata().map_err(|e| e.to_string())?;
    if !metadata.is_file() {
        return Err("it is not a regular file (a directory, FIFO or device)".into());
    }
    let too_big = || {
        format!(
            "it is larger than the {} MiB limit for {what}",
            limit / (1024 * 1024)
        )
    };
    if metadata.len() > limit {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // The file may grow after the size check: read one byte past the cap to notice.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(too_big());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_small_regular_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let small = dir.path().join("ok.rhai");
        std::fs::write(&small, "emit(1);").expect("write");
        assert_eq!(read_bounded(&small).as_deref(), Ok("emit(1);"));

        let big = dir.path().join("big.rhai");
        std::fs::write(&big, vec![b' '; MAX_SOURCE_BYTES as usize + 1]).expect("write");
        assert!(read_bounded(&big).unwrap_err().contains("1 MiB limit"));

        assert!(
            read_bounded(dir.path())
                .unwrap_err()
                .contains("not a regular file")
        );
        assert!(
            read_bounded(Path::new("/dev/zero"))
                .unwrap_err()
                .contains("not a regular file")
        );

        let binary = dir.path().join("bin.rhai");
        std::fs::write(&binary, [0xff, 0xfe, 0x00]).expect("write");
        assert!(read_bounded(&binary).is_err());
    }

    #[test]
    fn a_fifo_without_a_writer_is_refused_at_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("fifo.rhai");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
        let started = std::time::Instant::now();
        assert!(
            read_bounded(&fifo)
                .unwrap_err()
                .contains("not a regular file")
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}
