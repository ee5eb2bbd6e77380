//! The one atomic write of the workspace: every file FuiteCheck writes
//! (publications, downloads, letters, keys, the case file) goes through
//! [`atomic_write`] or [`atomic_write_private`], so a crash or a full disk
//! never leaves a half-written file where a whole one was.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// A file system operation failed on `path`.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct FsError {
    /// The file or directory concerned.
    pub path: String,
    /// The underlying error.
    #[source]
    pub source: std::io::Error,
}

impl FsError {
    /// Wrap an I/O error about `path`.
    pub fn new(path: &Path, source: std::io::Error) -> Self {
        Self {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Write `bytes` to `path` atomically: a temporary file in the same
/// directory, flushed to disk, renamed over `path`, then the directory
/// itself flushed so the rename survives a power cut. The file is
/// world-readable (0644 on Unix), as publications are served by web
/// servers; use [`atomic_write_private`] for anything personal or secret.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    atomic_write_mode(path, bytes, 0o644)
}

/// [`atomic_write`] for personal or secret files (letters, secret keys):
/// readable by the owner only (0600 on Unix) from the moment it exists.
pub fn atomic_write_private(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    atomic_write_mode(path, bytes, 0o600)
}

fn atomic_write_mode(path: &Path, bytes: &[u8], mode: u32) -> Result<(), FsError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    // tempfile creates the file 0600; a public file is widened below, a
    // private one never is.
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| FsError::new(&dir, e))?;
    let err = |e| FsError::new(path, e);
    tmp.write_all(bytes).map_err(err)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(err)?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| FsError::new(path, e.error))?;
    sync_dir(&dir)
}

/// Flush a directory's entries to disk (Unix; elsewhere the rename is
/// already durable or cannot be made so from user space).
pub fn sync_dir(dir: &Path) -> Result<(), FsError> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| FsError::new(dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    #[test]
    fn public_and_private_modes() {
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("manifest.json");
        let private = dir.path().join("lettre.pdf");
        atomic_write(&public, b"x").unwrap();
        atomic_write_private(&private, b"y").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&public), 0o644);
        assert_eq!(mode(&private), 0o600);
        // Replacing keeps the rule, and leaves no temporary file behind.
        atomic_write_private(&private, b"z").unwrap();
        assert_eq!(std::fs::read(&private).unwrap(), b"z");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("absent").join("f");
        let e = atomic_write(&path, b"x").unwrap_err();
        assert!(e.path.ends_with("absent"), "{e}");
    }
}
