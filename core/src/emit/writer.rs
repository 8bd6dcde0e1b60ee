//! Writing artifacts: atomically (temp file + rename), 0600 (0700 for scripts), and with a
//! `.bak` copy of any different file it replaces.

use super::Artifact;
use gwscript_plugin::Diagnostic;
use serde::Serialize;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WriteOutcome {
    Created,
    Replaced,
    Unchanged,
}

/// Writes every artifact under `out_dir`; the first failure stops the run.
pub fn write_all(out_dir: &Path, artifacts: &[Artifact]) -> Result<Vec<WriteOutcome>, Diagnostic> {
    artifacts.iter().map(|a| write_one(out_dir, a)).collect()
}

fn write_one(out_dir: &Path, artifact: &Artifact) -> Result<WriteOutcome, Diagnostic> {
    let target = out_dir.join(&artifact.path);
    let failed = |what: &str, e: std::io::Error| {
        Diagnostic::error(
            "GW3003",
            format!("cannot {what} {}: {e}", target.display()),
            "check that the output directory is writable, or pass another one with --out",
        )
    };
    let dir = target.parent().unwrap_or(out_dir);
    fs::create_dir_all(dir).map_err(|e| failed("create the directory for", e))?;
    let outcome = match fs::read(&target) {
        Ok(existing) if existing == artifact.contents.as_bytes() => {
            set_mode(&target, artifact.executable).map_err(|e| failed("set permissions on", e))?;
            return Ok(WriteOutcome::Unchanged);
        }
        Ok(_) => {
            fs::copy(&target, backup_path(&target)).map_err(|e| failed("back up", e))?;
            WriteOutcome::Replaced
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => WriteOutcome::Created,
        Err(e) => return Err(failed("read", e)),
    };
    let temp = dir.join(format!(
        ".{}.gwscript-{}.tmp",
        target
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("artifact"),
        std::process::id()
    ));
    let written = write_private(&temp, artifact).and_then(|()| fs::rename(&temp, &target));
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(failed("write", e));
    }
    Ok(outcome)
}

/// The temp file is created with its final mode, so the contents are never readable by others.
fn write_private(path: &Path, artifact: &Artifact) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode(artifact.executable));
    }
    let mut file = options.open(path)?;
    file.write_all(artifact.contents.as_bytes())?;
    file.sync_all()?;
    // The umask may have narrowed the mode further; never let it widen or strip the exec bit.
    set_mode(path, artifact.executable)
}

fn mode(executable: bool) -> u32 {
    if executable { 0o700 } else { 0o600 }
}

fn set_mode(path: &Path, executable: bool) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode(executable)))?;
    }
    #[cfg(not(unix))]
    let _ = (path, executable);
    Ok(())
}

fn backup_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    target.with_file_name(name)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn artifact(path: &str, contents: &str, executable: bool) -> Artifact {
        Artifact {
            path: path.into(),
            purpose: "test".into(),
            contents: contents.into(),
            executable,
        }
    }

    fn mode_of(path: &Path) -> u32 {
        fs::metadata(path).expect("exists").permissions().mode() & 0o777
    }

    #[test]
    fn creates_private_files_and_backs_up_what_it_replaces() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = [
            artifact("a/config.yaml", "one\n", false),
            artifact("a/run.sh", "#!/bin/sh\n", true),
        ];
        assert_eq!(
            write_all(dir.path(), &first).expect("writes"),
            [WriteOutcome::Created; 2]
        );
        let config = dir.path().join("a/config.yaml");
        assert_eq!(mode_of(&config), 0o600);
        assert_eq!(mode_of(&dir.path().join("a/run.sh")), 0o700);

        let same = [artifact("a/config.yaml", "one\n", false)];
        assert_eq!(
            write_all(dir.path(), &same).expect("writes"),
            [WriteOutcome::Unchanged]
        );
        assert!(!dir.path().join("a/config.yaml.bak").exists());

        let changed = [artifact("a/config.yaml", "two\n", false)];
        assert_eq!(
            write_all(dir.path(), &changed).expect("writes"),
            [WriteOutcome::Replaced]
        );
        assert_eq!(fs::read_to_string(&config).expect("read"), "two\n");
        let backup = dir.path().join("a/config.yaml.bak");
        assert_eq!(fs::read_to_string(&backup).expect("backup"), "one\n");
        assert_eq!(mode_of(&backup), 0o600);
        let leftovers: Vec<_> = fs::read_dir(dir.path().join("a"))
            .expect("list")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "temp files left behind: {leftovers:?}"
        );
    }

    #[test]
    fn unwritable_directory_is_a_diagnostic() {
        let dir = tempfile::tempdir().expect("temp dir");
        let blocker = dir.path().join("file");
        fs::write(&blocker, "x").expect("write");
        let err = write_all(&blocker, &[artifact("a.yaml", "x", false)]).expect_err("not a dir");
        assert_eq!(err.code, "GW3003");
    }
}
