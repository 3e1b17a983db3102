//! The record of what this tool wrote into an output folder: each path with a fingerprint of
//! the bytes written. A later run uses it to name files it no longer writes, and `--prune`
//! removes only those still holding exactly those bytes. A file the tool did not write, or
//! one edited since, is never removed.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Beside the answers file, hidden like it.
pub const PATH: &str = ".ams-private-link-files.json";

const NOTE: &str = "Files ams-private-link wrote into this folder. A later run names the ones it \
no longer writes, and --prune removes them if they still hold what was written. Edit nothing here.";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    #[serde(rename = "$comment", default)]
    note: String,
    /// Relative path → fingerprint of the content written there.
    pub files: BTreeMap<String, String>,
}

impl Manifest {
    /// The manifest of an earlier run, or an empty one when the folder has none (older
    /// versions of the tool kept no record, so nothing of theirs is claimed).
    pub fn read(out: &Path) -> Result<Manifest> {
        let path = out.join(PATH);
        if !out.is_dir() {
            return Ok(Manifest::default()); // a new folder, or a path the plan refuses
        }
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Manifest::default()),
            Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
        };
        let mut manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
            Error::Usage(format!(
                "{} is not a record this tool wrote ({e}); remove it, and the files it named \
                 will no longer be reported or pruned",
                path.display()
            ))
        })?;
        // The record lives inside the folder anyone may edit: an entry that could climb out
        // of it, or names the record itself, is never acted on.
        manifest
            .files
            .retain(|p, _| p != PATH && is_plain_relative(p));
        Ok(manifest)
    }

    pub fn insert(&mut self, path: &str, fingerprint: String) {
        self.files.insert(path.to_string(), fingerprint);
    }

    pub fn to_json(&self) -> Result<String> {
        let shown = Manifest {
            note: NOTE.into(),
            files: self.files.clone(),
        };
        let mut text = serde_json::to_string_pretty(&shown)
            .map_err(|e| Error::Internal(format!("serialising the file record: {e}")))?;
        text.push('\n');
        Ok(text)
    }
}

pub fn is_plain_relative(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// FNV-1a, 64 bits: stable across Rust versions and machines (unlike `DefaultHasher`). It
/// tells an edited file from the one written; it is no defence against someone who can write
/// the folder, who could as well delete the files.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("fnv1a64:{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_the_published_fnv1a_values() {
        // Test vectors from the FNV reference (isthe.com/chongo/tech/comp/fnv).
        assert_eq!(fingerprint(b""), "fnv1a64:cbf29ce484222325");
        assert_eq!(fingerprint(b"a"), "fnv1a64:af63dc4c8601ec8c");
        assert_eq!(fingerprint(b"foobar"), "fnv1a64:85944171f73967e8");
    }

    #[test]
    fn entries_that_leave_the_folder_or_name_the_record_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join(PATH),
            r#"{"files": {"../x": "a", "/etc/passwd": "b", "a/../b": "c", ".ams-private-link-files.json": "d", "bicep/main.bicep": "e", "": "f"}}"#,
        )
        .unwrap();
        let m = Manifest::read(dir.path()).unwrap();
        assert_eq!(m.files.keys().collect::<Vec<_>>(), ["bicep/main.bicep"]);
    }

    /// Only a missing record means "none"; one that cannot be read is an error, not a licence
    /// to forget what was written.
    #[test]
    fn an_unreadable_record_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(PATH)).unwrap();
        let e = Manifest::read(dir.path()).unwrap_err();
        assert!(matches!(&e, Error::Io { .. }), "{e:?}");
    }

    #[test]
    fn a_damaged_record_is_a_usage_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(PATH), "not json").unwrap();
        let e = Manifest::read(dir.path()).unwrap_err();
        assert!(matches!(&e, Error::Usage(m) if m.contains(PATH)), "{e:?}");
    }
}
