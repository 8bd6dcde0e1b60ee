//! Whether a plugin's location is one only trusted users can change, checked before the library
//! is opened, the way `ssh` checks a key file: a plugin runs with the user's rights, so a library
//! someone else could have written or swapped is refused (GW2018), not loaded.
//!
//! Refused: a search directory given as a relative path (it would be looked up in whatever
//! directory gwscript runs in, like `.` in `$PATH`); on Unix, a library that every user may write,
//! or one under a directory every user may write (unless the directory has the sticky bit, as
//! `/tmp` does, which stops others from renaming or deleting what they do not own); and a library,
//! a link to it, or a directory above it owned by anyone but root, the user running gwscript, or
//! the owner of the gwscript binary (who can change gwscript itself anyway). Group-writable
//! locations are accepted: a group is a deliberate grant, often a team's shared install.

use super::discovery::SearchDir;
use gwscript_plugin::Diagnostic;
use std::path::Path;

#[cfg(unix)]
fn refused(message: String) -> Diagnostic {
    Diagnostic::error(
        "GW2018",
        message,
        "make it writable only by you or root (chmod o-w PATH; chown to you or root), or install the plugin somewhere that is: gwscript does not load a plugin others could have changed",
    )
}

/// Refuses a search directory that names no fixed place.
pub fn check_dir(dir: &SearchDir) -> Result<(), Diagnostic> {
    if dir.path.is_relative() {
        return Err(Diagnostic::error(
            "GW2018",
            format!(
                "the plugin directory {} ({}) is a relative path: it would load plugins from whatever directory gwscript runs in",
                dir.path.display(),
                dir.origin.describe()
            ),
            "give the directory as an absolute path",
        ));
    }
    Ok(())
}

/// Refuses the library at `path` if someone untrusted could have changed it, or the link or a
/// directory leading to it.
#[cfg(unix)]
pub fn check_library(path: &Path) -> Result<(), Diagnostic> {
    use std::os::unix::fs::MetadataExt;
    let owners = Owners::current();
    let shown = path.display();
    // A path that cannot be read is left to the loader, which names the error (GW2001).
    let Ok(link) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    let Ok(real) = path.canonicalize() else {
        return Ok(());
    };
    if link.file_type().is_symlink() && !owners.trust(link.uid()) {
        return Err(refused(format!(
            "the link {shown} is owned by user {}, {}",
            link.uid(),
            Owners::TRUSTED
        )));
    }
    if let Ok(file) = std::fs::metadata(&real)
        && let Some(why) = owners.loose(file.mode(), file.uid(), false)
    {
        return Err(refused(format!("{shown} {why}")));
    }
    // Every directory above the library, as found and where it really is (they differ when a
    // link leads there), from the root down, so the first one named is the one to fix first.
    let mut dirs: Vec<&Path> = path.ancestors().skip(1).collect();
    dirs.extend(real.ancestors().skip(1));
    dirs.sort_unstable();
    dirs.dedup();
    for dir in dirs.into_iter().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(meta) = std::fs::metadata(dir)
            && let Some(why) = owners.loose(meta.mode(), meta.uid(), true)
        {
            return Err(refused(format!(
                "{}, a directory above {shown}, {why}",
                dir.display()
            )));
        }
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn check_library(_path: &Path) -> Result<(), Diagnostic> {
    Ok(())
}

/// Who may own a plugin and the directories above it, besides root.
#[cfg(unix)]
#[derive(Debug)]
struct Owners {
    me: u32,
    binary: Option<u32>,
}

#[cfg(unix)]
impl Owners {
    const TRUSTED: &'static str = "not by you, root or the owner of the gwscript binary";

    fn current() -> Owners {
        use std::os::unix::fs::MetadataExt;
        Owners {
            me: rustix::process::geteuid().as_raw(),
            binary: std::env::current_exe()
                .and_then(std::fs::metadata)
                .ok()
                .map(|m| m.uid()),
        }
    }

    fn trust(&self, uid: u32) -> bool {
        uid == 0 || uid == self.me || Some(uid) == self.binary
    }

    /// Why a file or directory with `mode` owned by `uid` could be changed by someone untrusted,
    /// if it could.
    fn loose(&self, mode: u32, uid: u32, is_dir: bool) -> Option<String> {
        const WORLD_WRITABLE: u32 = 0o002;
        const STICKY: u32 = 0o1000;
        if !self.trust(uid) {
            return Some(format!("is owned by user {uid}, {}", Owners::TRUSTED));
        }
        let sticky = is_dir && mode & STICKY != 0;
        (mode & WORLD_WRITABLE != 0 && !sticky).then(|| {
            format!(
                "is writable by every user (mode {:o}), so anyone could have replaced the plugin",
                mode & 0o7777
            )
        })
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    const ME: u32 = 1000;
    const GWSCRIPT_OWNER: u32 = 1001;
    const STRANGER: u32 = 1002;

    fn owners() -> Owners {
        Owners {
            me: ME,
            binary: Some(GWSCRIPT_OWNER),
        }
    }

    #[test]
    fn root_you_and_the_binary_owner_may_own_plugins_others_may_not() {
        for uid in [0, ME, GWSCRIPT_OWNER] {
            assert_eq!(owners().loose(0o755, uid, false), None, "uid {uid}");
            assert_eq!(owners().loose(0o755, uid, true), None, "uid {uid}");
        }
        let why = owners()
            .loose(0o755, STRANGER, false)
            .expect("a stranger's library");
        assert!(why.contains("owned by user 1002"), "{why}");
        assert!(owners().loose(0o700, STRANGER, true).is_some());
        let no_binary = Owners {
            me: ME,
            binary: None,
        };
        assert!(no_binary.loose(0o755, GWSCRIPT_OWNER, false).is_some());
    }

    #[test]
    fn world_writable_is_refused_unless_a_sticky_directory() {
        assert!(owners().loose(0o757, ME, false).is_some());
        assert!(owners().loose(0o777, ME, true).is_some());
        // The sticky bit means nothing on a file.
        assert!(owners().loose(0o1777, ME, false).is_some());
        assert_eq!(owners().loose(0o1777, 0, true), None, "/tmp");
        // Group-writable is a deliberate grant.
        assert_eq!(owners().loose(0o775, ME, true), None);
        assert_eq!(owners().loose(0o664, ME, false), None);
        let why = owners().loose(0o40777, ME, true).expect("loose");
        assert!(why.contains("mode 777"), "{why}");
    }

    #[test]
    fn a_relative_search_directory_is_refused() {
        let relative = SearchDir {
            path: "plugins".into(),
            origin: super::super::Origin::PluginPath,
        };
        let refused = check_dir(&relative).expect_err("relative");
        assert_eq!(refused.code, "GW2018");
        assert!(
            refused
                .message
                .contains("plugins (from $GWSCRIPT_PLUGIN_PATH) is a relative path"),
            "{}",
            refused.message
        );
        let absolute = SearchDir {
            path: "/usr/lib/gwscript".into(),
            origin: super::super::Origin::PluginPath,
        };
        assert!(check_dir(&absolute).is_ok());
    }
}
