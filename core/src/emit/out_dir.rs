//! The output directory, held open: every file is reached from it by `openat` without following
//! symbolic links, so a link planted inside `--out` (a subdirectory, a target, a `.bak`) cannot
//! send a write elsewhere, and the directory itself must be the user's and closed to others.

use gwscript_plugin::Diagnostic;
use rustix::fs::{FileType, Mode, OFlags, fstat, mkdirat, openat};
use std::os::fd::OwnedFd;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Component, Path};

/// Subdirectories gwscript creates are the user's alone, like the files in them.
const DIR_MODE: u32 = 0o700;

#[derive(Debug)]
pub struct OutDir {
    fd: OwnedFd,
    path: std::path::PathBuf,
}

impl OutDir {
    /// Opens `path`, creating it (0700) if missing. Refuses a directory owned by another user or
    /// writable by group or others: anyone who can write there can plant links and swap files.
    pub fn open(path: &Path) -> Result<OutDir, Diagnostic> {
        if !path.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(DIR_MODE)
                .create(path)
                .map_err(|e| cannot(path, "create the output directory", e))?;
        }
        let fd = openat(
            rustix::fs::CWD,
            path,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| cannot(path, "open the output directory", e))?;
        let stat = fstat(&fd).map_err(|e| cannot(path, "inspect the output directory", e))?;
        let owner = rustix::process::geteuid().as_raw();
        let open_to_others = stat.st_mode as u32 & 0o022 != 0;
        if stat.st_uid != owner || open_to_others {
            let why = if stat.st_uid != owner {
                "belongs to another user"
            } else {
                "is writable by its group or by everyone"
            };
            return Err(Diagnostic::error(
                "GW3004",
                format!("the output directory {} {why}", path.display()),
                "write to a directory only you can write to (chmod go-w DIR), or pass another one with --out",
            ));
        }
        Ok(OutDir {
            fd,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The directory that holds `relative` (an artifact path the host has validated: relative,
    /// no `..`), opened and created component by component without following links.
    pub fn parent_of(&self, relative: &Path) -> Result<OwnedFd, Diagnostic> {
        let mut dir = rustix::io::dup(&self.fd)
            .map_err(|e| cannot(&self.path, "open the output directory", e))?;
        let mut walked = self.path.clone();
        let parent = relative.parent().unwrap_or(Path::new(""));
        for component in parent.components() {
            let Component::Normal(name) = component else {
                continue;
            };
            walked.push(name);
            match mkdirat(&dir, name, Mode::from_raw_mode(DIR_MODE)) {
                Ok(()) => {}
                Err(e) if e == rustix::io::Errno::EXIST => {}
                Err(e) => return Err(cannot(&walked, "create the directory", e)),
            }
            dir = openat(
                &dir,
                name,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(|e| match e {
                rustix::io::Errno::LOOP | rustix::io::Errno::NOTDIR => not_followed(&walked),
                e => cannot(&walked, "open the directory", e),
            })?;
        }
        Ok(dir)
    }
}

/// Whether `fd` is a regular file (not a FIFO, a device or a directory).
pub fn is_regular(fd: &OwnedFd) -> bool {
    fstat(fd).is_ok_and(|s| FileType::from_raw_mode(s.st_mode) == FileType::RegularFile)
}

pub fn cannot(path: &Path, what: &str, e: impl Into<std::io::Error>) -> Diagnostic {
    Diagnostic::error(
        "GW3003",
        format!("cannot {what} {}: {}", path.display(), e.into()),
        "check that the output directory is writable, or pass another one with --out",
    )
}

/// A symbolic link, or something other than a regular file or directory, where gwscript writes.
pub fn not_followed(path: &Path) -> Diagnostic {
    Diagnostic::error(
        "GW3005",
        format!(
            "{} is a symbolic link or not a regular file; gwscript does not write through it",
            path.display()
        ),
        "remove it (or pass an empty directory with --out); gwscript writes plain files and directories only",
    )
}
