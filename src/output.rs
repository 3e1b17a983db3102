//! Writing the rendered files: a plan first (create / overwrite / unchanged), then staged
//! writes renamed into place, so a failure leaves the output folder as it was.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::render::File;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Overwrite,
    Unchanged,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Overwrite => "overwrite",
            Action::Unchanged => "unchanged",
        }
    }
}

#[derive(Debug)]
pub struct Planned {
    pub file: File,
    pub target: PathBuf,
    pub action: Action,
}

/// Works out what writing `files` under `out` would do. Reads, never writes.
pub fn plan(out: &Path, files: Vec<File>) -> Result<Vec<Planned>> {
    if fs::symlink_metadata(out).is_ok() && !out.is_dir() {
        return Err(Error::Usage(format!(
            "--out {} is a file, not a folder; pass a folder to write the templates into",
            out.display()
        )));
    }
    let mut planned = Vec::new();
    for file in files {
        let target = out.join(&file.path);
        refuse_links(out, &target)?;
        let action = match fs::read(&target) {
            Ok(existing) if existing == file.content.as_bytes() => Action::Unchanged,
            Ok(_) => Action::Overwrite,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Action::Create,
            Err(e) => return Err(Error::io(format!("cannot read {}", target.display()), e)),
        };
        planned.push(Planned {
            file,
            target,
            action,
        });
    }
    Ok(planned)
}

/// A symlink planted inside the output folder could redirect a write elsewhere; refuse it.
fn refuse_links(out: &Path, target: &Path) -> Result<()> {
    let Ok(relative) = target.strip_prefix(out) else {
        return Err(Error::Internal(format!(
            "{} is outside the output folder",
            target.display()
        )));
    };
    let mut current = out.to_path_buf();
    for part in relative.components() {
        current.push(part);
        if let Ok(meta) = fs::symlink_metadata(&current) {
            if meta.file_type().is_symlink() {
                return Err(Error::Usage(format!(
                    "{} is a symbolic link; refusing to write through it (remove it, or choose another --out)",
                    current.display()
                )));
            }
        }
    }
    Ok(())
}

/// Writes the plan. Differing files are only replaced with `force`. Every file is first
/// written to a temporary sibling; only when all are staged are they renamed into place.
pub fn write(planned: &[Planned], force: bool) -> Result<()> {
    let blocked: Vec<PathBuf> = planned
        .iter()
        .filter(|p| p.action == Action::Overwrite)
        .map(|p| p.target.clone())
        .collect();
    if !force && !blocked.is_empty() {
        return Err(Error::WouldOverwrite(blocked));
    }
    let mut staged: Vec<(PathBuf, &Planned)> = Vec::new();
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for p in planned.iter().filter(|p| p.action != Action::Unchanged) {
            let dir = p.target.parent().unwrap_or(Path::new("."));
            create_dirs(dir, &mut created_dirs)?;
            let temp = temp_path(&p.target);
            write_new(&temp, p.file.content.as_bytes())?;
            staged.push((temp, p));
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (temp, _) in &staged {
            let _ = fs::remove_file(temp);
        }
        for dir in created_dirs.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
        return Err(e);
    }
    for (temp, p) in &staged {
        fs::rename(temp, &p.target)
            .map_err(|e| Error::io(format!("cannot move {} into place", p.target.display()), e))?;
    }
    Ok(())
}

fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> Result<()> {
    let mut missing = Vec::new();
    let mut current = dir;
    while !current.as_os_str().is_empty() && !current.exists() {
        missing.push(current.to_path_buf());
        match current.parent() {
            Some(parent) => current = parent,
            None => break,
        }
    }
    for d in missing.into_iter().rev() {
        fs::create_dir(&d).map_err(|e| Error::io(format!("cannot create {}", d.display()), e))?;
        created.push(d);
    }
    Ok(())
}

fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let context = || format!("cannot write {}", path.display());
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(context(), e))?;
    f.write_all(bytes).map_err(|e| Error::io(context(), e))?;
    f.sync_all().map_err(|e| Error::io(context(), e))
}
