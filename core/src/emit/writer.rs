//! Writing a run's artifacts as one unit: every new file and every backup is first written in
//! full to a temp file beside its target (0600, 0700 for scripts), then all are renamed into
//! place. A failure while staging leaves the old files untouched and no temp file behind;
//! interrupts wait until the files are consistent. Every path is reached through [`OutDir`],
//! without following links.

use super::Artifact;
use super::out_dir::{OutDir, cannot, is_regular, not_followed};
use super::signals::DeferredInterrupts;
use gwscript_plugin::Diagnostic;
use gwscript_plugin::render::limits::MAX_RENDER_BYTES;
use rustix::fs::{AtFlags, Mode, OFlags, fchmod, openat, renameat, unlinkat};
use rustix::io::Errno;
use serde::Serialize;
use std::ffi::OsString;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WriteOutcome {
    Created,
    Replaced,
    Unchanged,
}

/// Existing files larger than this were not written by gwscript, which never renders a larger
/// file; they are refused, not read.
const MAX_EXISTING_BYTES: u64 = MAX_RENDER_BYTES as u64;

/// One artifact, staged: its directory, its name, and the temp files to rename into place.
#[derive(Debug)]
struct Staged {
    dir: OwnedFd,
    name: OsString,
    shown: PathBuf,
    outcome: WriteOutcome,
    /// The new contents, when they differ from what is there.
    temp: Option<OsString>,
    /// The replaced contents, for `NAME.bak`.
    backup: Option<OsString>,
}

/// Writes every artifact under `out_dir`, all or none.
pub fn write_all(out_dir: &Path, artifacts: &[Artifact]) -> Result<Vec<WriteOutcome>, Diagnostic> {
    let _deferred = DeferredInterrupts::new();
    let root = OutDir::open(out_dir)?;
    let mut staged: Vec<Staged> = Vec::with_capacity(artifacts.len());
    for artifact in artifacts {
        match stage(&root, artifact) {
            Ok(one) => staged.push(one),
            Err(d) => {
                staged.iter().for_each(discard);
                return Err(d);
            }
        }
    }
    commit(&staged)?;
    Ok(staged.iter().map(|s| s.outcome).collect())
}

fn stage(root: &OutDir, artifact: &Artifact) -> Result<Staged, Diagnostic> {
    let relative = Path::new(&artifact.path);
    let shown = root.path().join(relative);
    let name = relative
        .file_name()
        .ok_or_else(|| not_followed(&shown))?
        .to_os_string();
    let dir = root.parent_of(relative)?;
    let mut staged = Staged {
        dir,
        name,
        shown,
        outcome: WriteOutcome::Created,
        temp: None,
        backup: None,
    };
    let result = (|| {
        match read_existing(&staged)? {
            Some((file, existing)) if existing == artifact.contents.as_bytes() => {
                fchmod(&file, Mode::from_raw_mode(mode(artifact.executable)))
                    .map_err(|e| cannot(&staged.shown, "set permissions on", e))?;
                staged.outcome = WriteOutcome::Unchanged;
                return Ok(());
            }
            Some((_, existing)) => {
                staged.outcome = WriteOutcome::Replaced;
                staged.backup = Some(write_temp(&staged, "bak", &existing, false)?);
            }
            None => {}
        }
        let contents = artifact.contents.as_bytes();
        staged.temp = Some(write_temp(&staged, "new", contents, artifact.executable)?);
        Ok(())
    })();
    match result {
        Ok(()) => Ok(staged),
        Err(d) => {
            discard(&staged);
            Err(d)
        }
    }
}

/// The target's current contents, read without following a link: `None` if it does not exist.
fn read_existing(staged: &Staged) -> Result<Option<(OwnedFd, Vec<u8>)>, Diagnostic> {
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = match openat(&staged.dir, &staged.name, flags, Mode::empty()) {
        Ok(fd) => fd,
        Err(Errno::NOENT) => return Ok(None),
        Err(Errno::LOOP) => return Err(not_followed(&staged.shown)),
        Err(e) => return Err(cannot(&staged.shown, "read", e)),
    };
    if !is_regular(&fd) {
        return Err(not_followed(&staged.shown));
    }
    let mut existing = Vec::new();
    fd.try_clone()
        .map(File::from)
        .and_then(|file| file.take(MAX_EXISTING_BYTES + 1).read_to_end(&mut existing))
        .map_err(|e| cannot(&staged.shown, "read", e))?;
    if existing.len() as u64 > MAX_EXISTING_BYTES {
        return Err(Diagnostic::error(
            "GW3003",
            format!(
                "{} is larger than {} MiB, so gwscript did not write it",
                staged.shown.display(),
                MAX_EXISTING_BYTES / (1024 * 1024)
            ),
            "move it away, or pass another directory with --out",
        ));
    }
    Ok(Some((fd, existing)))
}

/// Writes `contents` to a new temp file beside the target, with its final mode from the start so
/// it is never readable by others; returns its name.
fn write_temp(
    staged: &Staged,
    tag: &str,
    contents: &[u8],
    executable: bool,
) -> Result<OsString, Diagnostic> {
    let mut name = OsString::from(".");
    name.push(&staged.name);
    name.push(format!(".gwscript-{}.{tag}.tmp", std::process::id()));
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let fd = openat(
        &staged.dir,
        &name,
        flags,
        Mode::from_raw_mode(mode(executable)),
    )
    .map_err(|e| cannot(&staged.shown, "write", e))?;
    let written = (|| -> std::io::Result<()> {
        // The umask may have narrowed the mode; never let it widen or strip the exec bit.
        fchmod(&fd, Mode::from_raw_mode(mode(executable)))?;
        let mut file = File::from(fd);
        file.write_all(contents)?;
        file.sync_all()
    })();
    if let Err(e) = written {
        let _ = unlinkat(&staged.dir, &name, AtFlags::empty());
        return Err(cannot(&staged.shown, "write", e));
    }
    Ok(name)
}

/// Renames every staged file into place. If a rename fails, the targets already replaced are put
/// back from their backups and created ones removed, so the run changes nothing.
fn commit(staged: &[Staged]) -> Result<(), Diagnostic> {
    for (index, one) in staged.iter().enumerate() {
        if let Err(e) = rename_into_place(one) {
            staged[..index].iter().rev().for_each(undo);
            staged[index..].iter().for_each(discard);
            return Err(cannot(&one.shown, "replace", e));
        }
    }
    Ok(())
}

fn rename_into_place(one: &Staged) -> Result<(), Errno> {
    if let Some(backup) = &one.backup {
        // renameat replaces a planted `NAME.bak` link itself, never what it points at.
        renameat(&one.dir, backup, &one.dir, backup_name(&one.name))?;
    }
    if let Some(temp) = &one.temp {
        renameat(&one.dir, temp, &one.dir, &one.name)?;
    }
    Ok(())
}

fn undo(one: &Staged) {
    match one.outcome {
        WriteOutcome::Replaced => {
            let _ = renameat(&one.dir, backup_name(&one.name), &one.dir, &one.name);
        }
        WriteOutcome::Created => {
            let _ = unlinkat(&one.dir, &one.name, AtFlags::empty());
        }
        WriteOutcome::Unchanged => {}
    }
}

/// Removes a staged artifact's temp files.
fn discard(one: &Staged) {
    for temp in one.temp.iter().chain(&one.backup) {
        let _ = unlinkat(&one.dir, temp, AtFlags::empty());
    }
}

fn backup_name(name: &OsString) -> OsString {
    let mut backup = name.clone();
    backup.push(".bak");
    backup
}

fn mode(executable: bool) -> u32 {
    if executable { 0o700 } else { 0o600 }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::{PermissionsExt, symlink};

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

    /// A private output directory and a file outside it that a planted link points at.
    fn planted() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let root = tempfile::tempdir().expect("temp dir");
        let out = root.path().join("out");
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&out)
            .expect("out dir");
        let victim = root.path().join("victim.txt");
        fs::write(&victim, "precious\n").expect("victim");
        (root, out, victim)
    }

    use std::os::unix::fs::DirBuilderExt;

    #[test]
    fn a_planted_backup_link_is_replaced_not_followed() {
        let (_root, out, victim) = planted();
        fs::write(out.join("config.yaml"), "old\n").expect("existing");
        symlink(&victim, out.join("config.yaml.bak")).expect("link");
        write_all(&out, &[artifact("config.yaml", "new\n", false)]).expect("writes");
        assert_eq!(fs::read_to_string(&victim).expect("victim"), "precious\n");
        assert_eq!(
            fs::read_to_string(out.join("config.yaml.bak")).expect("bak"),
            "old\n"
        );
        assert!(
            !fs::symlink_metadata(out.join("config.yaml.bak"))
                .expect("bak")
                .is_symlink()
        );
    }

    #[test]
    fn links_and_special_files_inside_out_are_refused() {
        let (root, out, victim) = planted();
        let elsewhere = root.path().join("elsewhere");
        fs::create_dir(&elsewhere).expect("elsewhere");
        symlink(&elsewhere, out.join("claude")).expect("dir link");
        let err = write_all(&out, &[artifact("claude/settings.json", "{}", false)])
            .expect_err("a linked directory");
        assert_eq!(err.code, "GW3005");
        assert_eq!(fs::read_dir(&elsewhere).expect("list").count(), 0);

        symlink(&victim, out.join("env.sh")).expect("file link");
        let err = write_all(&out, &[artifact("env.sh", "x", false)]).expect_err("a linked file");
        assert_eq!(err.code, "GW3005");
        assert_eq!(fs::read_to_string(&victim).expect("victim"), "precious\n");

        // A target that is a link to /dev/zero must not hang the run.
        symlink("/dev/zero", out.join("zero.yaml")).expect("zero link");
        let err = write_all(&out, &[artifact("zero.yaml", "x", false)]).expect_err("dev zero");
        assert_eq!(err.code, "GW3005");
    }

    #[test]
    fn a_failure_part_way_replaces_nothing_and_leaves_no_temp_file() {
        let (_root, out, _victim) = planted();
        write_all(&out, &[artifact("a.yaml", "one\n", false)]).expect("first run");
        // The second artifact cannot be written: its directory's name is taken by a file.
        fs::write(out.join("blocked"), "x").expect("blocker");
        let err = write_all(
            &out,
            &[
                artifact("a.yaml", "two\n", false),
                artifact("blocked/b.yaml", "b\n", false),
            ],
        )
        .expect_err("refused");
        assert!(err.code.starts_with("GW300"), "{err:?}");
        assert_eq!(fs::read_to_string(out.join("a.yaml")).expect("a"), "one\n");
        assert!(!out.join("a.yaml.bak").exists());
        let names: Vec<String> = fs::read_dir(&out)
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    }

    #[test]
    fn an_output_directory_open_to_others_is_refused() {
        let (_root, out, _victim) = planted();
        fs::set_permissions(&out, fs::Permissions::from_mode(0o777)).expect("chmod");
        let err = write_all(&out, &[artifact("a.yaml", "x", false)]).expect_err("refused");
        assert_eq!(err.code, "GW3004");
        assert!(!out.join("a.yaml").exists());
    }

    #[test]
    fn an_existing_file_is_read_up_to_the_largest_render_and_refused_past_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("out");
        write_all(&out, &[artifact("big.yaml", "x", false)]).expect("first run");
        // Sparse files: sizes without the disk space.
        let big = out.join("big.yaml");
        let file = fs::OpenOptions::new().write(true).open(&big).expect("open");
        file.set_len(MAX_EXISTING_BYTES).expect("grow");
        let outcomes = write_all(&out, &[artifact("big.yaml", "y", false)]).expect("read");
        assert_eq!(outcomes, [WriteOutcome::Replaced]);
        let file = fs::OpenOptions::new().write(true).open(&big).expect("open");
        file.set_len(MAX_EXISTING_BYTES + 1).expect("grow");
        let err = write_all(&out, &[artifact("big.yaml", "z", false)]).expect_err("refused");
        assert_eq!(err.code, "GW3003");
        assert!(
            err.message.contains("larger than 64 MiB"),
            "{}",
            err.message
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
