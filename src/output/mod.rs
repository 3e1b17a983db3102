//! Writing the rendered files: a plan first (create / overwrite / unchanged, and files an
//! earlier run wrote that this one does not), then staged writes renamed into place, so a
//! failure leaves the output folder as it was.

pub mod manifest;

use std::fs;
use std::io::{self, Write};
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
    /// The file there is exactly what an earlier run recorded writing: replacing it loses no
    /// edit. `--force` is still needed; this only tells the user so.
    pub as_written: bool,
}

impl Planned {
    /// Replacing it needs `--force`. The record is the tool's own bookkeeping, changed
    /// whenever the set of files changes, so it never does.
    pub fn needs_force(&self) -> bool {
        self.action == Action::Overwrite && self.file.path != manifest::PATH
    }
}

/// A file an earlier run wrote here that this run does not write.
#[derive(Debug)]
pub struct Leftover {
    pub target: PathBuf,
    pub fate: Fate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Still as written; named, and removed with `--prune`.
    Keep,
    /// Still as written, and `--prune` was given: removed when the plan is written.
    Remove,
    /// Changed since it was written: named, never removed.
    Edited,
}

#[derive(Debug)]
pub struct Plan {
    pub out: PathBuf,
    pub files: Vec<Planned>,
    pub leftovers: Vec<Leftover>,
}

/// Works out what writing `files` under `out` would do, `prune` included. Reads, never writes.
/// The record of written files (`manifest::PATH`) is added as the last file.
pub fn plan(out: &Path, files: Vec<File>, prune: bool) -> Result<Plan> {
    if fs::symlink_metadata(out).is_ok() && !out.is_dir() {
        return Err(Error::Usage(format!(
            "--out {} is a file, not a folder; pass a folder to write the templates into",
            out.display()
        )));
    }
    let earlier = manifest::Manifest::read(out)?;
    let mut record = manifest::Manifest::default();
    let mut planned = Vec::new();
    for file in files {
        record.insert(&file.path, manifest::fingerprint(file.content.as_bytes()));
        planned.push(plan_file(out, file, &earlier)?);
    }
    // On a case-insensitive file system `Vnet-Ops.bicep` and `vnet-ops.bicep` are one file:
    // a leftover spelled like a file written now, up to case, may be that file.
    let written_now: Vec<String> = record.files.keys().map(|p| p.to_lowercase()).collect();
    let mut leftovers = Vec::new();
    for (path, written) in &earlier.files {
        if written_now.contains(&path.to_lowercase()) {
            continue;
        }
        let target = out.join(path);
        // Never act through a link, nor on a folder, whatever the record says.
        if refuse_links(out, &target).is_err() || target.is_dir() {
            continue;
        }
        let fate = match fs::read(&target) {
            Ok(bytes) if &manifest::fingerprint(&bytes) != written => Fate::Edited,
            Ok(_) if prune => Fate::Remove,
            Ok(_) => Fate::Keep,
            // Deleted by hand, or a folder on its path replaced by a file: it is not there.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                continue
            }
            Err(e) => return Err(Error::io(format!("cannot read {}", target.display()), e)),
        };
        // Still named by the next run, until it is removed or deleted by hand.
        if fate != Fate::Remove {
            record.insert(path, written.clone());
        }
        leftovers.push(Leftover { target, fate });
    }
    planned.push(plan_file(
        out,
        File {
            path: manifest::PATH.into(),
            content: record.to_json()?,
        },
        &earlier,
    )?);
    Ok(Plan {
        out: out.to_path_buf(),
        files: planned,
        leftovers,
    })
}

fn plan_file(out: &Path, file: File, earlier: &manifest::Manifest) -> Result<Planned> {
    // Paths are generated, but a name derived from input must never climb out of --out.
    if !manifest::is_plain_relative(&file.path) {
        return Err(Error::Internal(format!(
            "refusing to write outside the output folder: {}",
            file.path
        )));
    }
    let target = out.join(&file.path);
    refuse_links(out, &target)?;
    refuse_files_in_the_way(&target)?;
    let (action, as_written) = match fs::read(&target) {
        Ok(existing) if existing == file.content.as_bytes() => (Action::Unchanged, true),
        Ok(existing) => (
            Action::Overwrite,
            earlier.files.get(&file.path) == Some(&manifest::fingerprint(&existing)),
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Action::Create, false),
        Err(e) => return Err(Error::io(format!("cannot read {}", target.display()), e)),
    };
    Ok(Planned {
        file,
        target,
        action,
        as_written,
    })
}

/// A file where the output needs a folder (or a folder where it writes a file) is a usage
/// error with the path named, not a raw OS error at write time.
fn refuse_files_in_the_way(target: &Path) -> Result<()> {
    if target.is_dir() {
        return Err(Error::Usage(format!(
            "{} is a folder where the tool writes a file; move it away, or choose another --out",
            target.display()
        )));
    }
    for folder in target.ancestors().skip(1) {
        match fs::metadata(folder) {
            Ok(meta) if meta.is_dir() => break,
            Ok(_) => {
                return Err(Error::Usage(format!(
                    "{} is a file where the output needs a folder; move it away, or choose another --out",
                    folder.display()
                )))
            }
            Err(_) => {}
        }
    }
    Ok(())
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

/// The file operations a write needs. Everything goes through here so tests can make any
/// one of them fail (disk full, permission denied) and check that nothing changed.
pub trait Disk {
    fn create_dir(&mut self, path: &Path) -> io::Result<()>;
    fn write_new(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()>;
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()>;
    fn remove_file(&mut self, path: &Path) -> io::Result<()>;
    fn remove_dir(&mut self, path: &Path) -> io::Result<()>;
}

/// The real file system.
pub struct RealDisk;

impl Disk for RealDisk {
    fn create_dir(&mut self, path: &Path) -> io::Result<()> {
        fs::create_dir(path)
    }
    fn write_new(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)?;
        f.write_all(bytes)?;
        f.sync_all()
    }
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }
    fn remove_file(&mut self, path: &Path) -> io::Result<()> {
        fs::remove_file(path)
    }
    fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
        fs::remove_dir(path)
    }
}

/// Writes the plan. Differing files are only replaced with `force`.
pub fn write(plan: &Plan, force: bool) -> Result<()> {
    write_to(&mut RealDisk, plan, force)
}

/// Every file is first written to a temporary sibling; only when all are staged are they
/// moved into place, each replaced or pruned file first moved aside. Any failure undoes what
/// was done, so the output folder is left exactly as it was.
pub fn write_to(disk: &mut dyn Disk, plan: &Plan, force: bool) -> Result<()> {
    let planned = &plan.files;
    let blocked: Vec<&Planned> = planned.iter().filter(|p| p.needs_force()).collect();
    if !force && !blocked.is_empty() {
        return Err(Error::WouldOverwrite(
            blocked
                .iter()
                .map(|p| (p.target.clone(), p.as_written))
                .collect(),
        ));
    }
    let changing: Vec<&Planned> = planned
        .iter()
        .filter(|p| p.action != Action::Unchanged)
        .collect();
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let mut staged: Vec<PathBuf> = Vec::new();
    let undo_staging = |disk: &mut dyn Disk, staged: &[PathBuf], dirs: &[PathBuf]| {
        for temp in staged {
            let _ = disk.remove_file(temp);
        }
        for dir in dirs.iter().rev() {
            let _ = disk.remove_dir(dir);
        }
    };
    for p in &changing {
        let dir = p.target.parent().unwrap_or(Path::new("."));
        let temp = temp_path(&p.target, "new");
        let step = create_dirs(disk, dir, &mut created_dirs).and_then(|()| {
            disk.write_new(&temp, p.file.content.as_bytes())
                .map_err(|e| Error::io(format!("cannot write {}", p.target.display()), e))
        });
        if let Err(e) = step {
            undo_staging(disk, &staged, &created_dirs);
            return Err(e);
        }
        staged.push(temp);
    }
    // Move into place, then move pruned files aside; remember each step so a failure can be
    // rolled back.
    let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    let undo = |disk: &mut dyn Disk, done: &[(PathBuf, Option<PathBuf>)]| {
        for (target, backup) in done.iter().rev() {
            match backup {
                Some(b) => {
                    let _ = disk.rename(b, target);
                }
                None => {
                    let _ = disk.remove_file(target);
                }
            }
        }
    };
    for (p, temp) in changing.iter().zip(&staged) {
        let backup = (p.action == Action::Overwrite).then(|| temp_path(&p.target, "old"));
        let step = match &backup {
            Some(b) => disk.rename(&p.target, b),
            None => Ok(()),
        }
        .and_then(|()| {
            disk.rename(temp, &p.target).inspect_err(|_| {
                if let Some(b) = &backup {
                    let _ = disk.rename(b, &p.target);
                }
            })
        });
        if let Err(e) = step {
            undo(disk, &done);
            let remaining: Vec<PathBuf> = staged[done.len()..].to_vec();
            undo_staging(disk, &remaining, &created_dirs);
            return Err(Error::io(
                format!("cannot move {} into place", p.target.display()),
                e,
            ));
        }
        done.push((p.target.clone(), backup));
    }
    for leftover in plan.leftovers.iter().filter(|l| l.fate == Fate::Remove) {
        let aside = temp_path(&leftover.target, "old");
        if let Err(e) = disk.rename(&leftover.target, &aside) {
            undo(disk, &done);
            undo_staging(disk, &[], &created_dirs);
            return Err(Error::io(
                format!("cannot remove {}", leftover.target.display()),
                e,
            ));
        }
        done.push((leftover.target.clone(), Some(aside)));
    }
    for (_, backup) in &done {
        if let Some(b) = backup {
            let _ = disk.remove_file(b);
        }
    }
    remove_emptied_folders(disk, plan);
    Ok(())
}

/// A folder that held only pruned files goes with them (`bicep/modules/` after the last
/// module). `remove_dir` refuses a folder that still holds anything, the user's files included.
fn remove_emptied_folders(disk: &mut dyn Disk, plan: &Plan) {
    let out = plan.out.as_path();
    let mut folders: Vec<&Path> = plan
        .leftovers
        .iter()
        .filter(|l| l.fate == Fate::Remove)
        // Every folder between the file and the output folder, which itself stays.
        .flat_map(|l| l.target.ancestors().skip(1).take_while(move |f| *f != out))
        .collect();
    // Deepest first, so a parent is tried after its children.
    folders.sort_by_key(|f| (std::cmp::Reverse(f.components().count()), *f));
    folders.dedup();
    for folder in folders {
        let _ = disk.remove_dir(folder);
    }
}

fn create_dirs(disk: &mut dyn Disk, dir: &Path, created: &mut Vec<PathBuf>) -> Result<()> {
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
        disk.create_dir(&d)
            .map_err(|e| Error::io(format!("cannot create {}", d.display()), e))?;
        created.push(d);
    }
    Ok(())
}

fn temp_path(target: &Path, what: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.{}.{what}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::File;

    /// A file name longer than any file system allows (255 bytes): reading it fails with
    /// neither NotFound nor NotADirectory, so it stands for every other read error (a root
    /// user reads files whatever their permissions).
    fn too_long() -> String {
        format!("{}.json", "n".repeat(300))
    }

    /// A file that cannot be read is an error naming it, not a file to create.
    #[test]
    fn a_target_that_cannot_be_read_is_an_error_not_a_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = File {
            path: too_long(),
            content: "{}\n".into(),
        };
        let err = plan(dir.path(), vec![file], false).unwrap_err().to_string();
        assert!(err.starts_with("cannot read "), "{err}");
        // A file that is not there is one to create.
        let file = File {
            path: "new.json".into(),
            content: "{}\n".into(),
        };
        let planned = plan(dir.path(), vec![file], false).unwrap();
        assert_eq!(planned.files[0].action, Action::Create);
    }

    /// A file the record names that cannot be read is an error; one deleted by hand, or
    /// behind a file where its folder was, is simply no longer there.
    #[test]
    fn a_recorded_file_that_cannot_be_read_is_an_error_not_a_missing_one() {
        let dir = tempfile::tempdir().unwrap();
        let record = |path: &str| {
            let mut m = manifest::Manifest::default();
            m.insert(path, manifest::fingerprint(b"x"));
            fs::write(dir.path().join(manifest::PATH), m.to_json().unwrap()).unwrap();
        };
        record(&too_long());
        let err = plan(dir.path(), Vec::new(), true).unwrap_err().to_string();
        assert!(err.starts_with("cannot read "), "{err}");
        record("gone.json");
        assert!(plan(dir.path(), Vec::new(), true)
            .unwrap()
            .leftovers
            .is_empty());
        fs::write(dir.path().join("arm"), "a file where the folder was").unwrap();
        record("arm/azuredeploy.json");
        assert!(plan(dir.path(), Vec::new(), true)
            .unwrap()
            .leftovers
            .is_empty());
    }

    /// Fails the n-th call of one operation with the given error kind.
    struct Faulty {
        op: &'static str,
        nth: usize,
        seen: usize,
        error: fn() -> io::Error,
    }

    impl Faulty {
        fn hit(&mut self, op: &str) -> io::Result<()> {
            if op == self.op {
                self.seen += 1;
                if self.seen == self.nth {
                    return Err((self.error)());
                }
            }
            Ok(())
        }
    }

    impl Disk for Faulty {
        fn create_dir(&mut self, path: &Path) -> io::Result<()> {
            self.hit("create_dir")?;
            RealDisk.create_dir(path)
        }
        fn write_new(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()> {
            self.hit("write_new")?;
            RealDisk.write_new(path, bytes)
        }
        fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
            self.hit("rename")?;
            RealDisk.rename(from, to)
        }
        fn remove_file(&mut self, path: &Path) -> io::Result<()> {
            RealDisk.remove_file(path)
        }
        fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
            RealDisk.remove_dir(path)
        }
    }

    fn disk_full() -> io::Error {
        io::Error::from_raw_os_error(28) // ENOSPC
    }
    fn denied() -> io::Error {
        io::Error::from(io::ErrorKind::PermissionDenied)
    }

    fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    out.push((
                        p.strip_prefix(dir).unwrap().display().to_string() + "/",
                        Vec::new(),
                    ));
                    stack.push(p);
                } else {
                    out.push((
                        p.strip_prefix(dir).unwrap().display().to_string(),
                        fs::read(&p).unwrap(),
                    ));
                }
            }
        }
        out.sort();
        out
    }

    fn files(version: &str) -> Vec<File> {
        ["a.txt", "sub/b.txt", "sub/deeper/c.txt", "d.txt"]
            .iter()
            .map(|p| File {
                path: (*p).into(),
                content: format!("{p} {version}\n"),
            })
            .collect()
    }

    /// An earlier run's files: two the next run rewrites, one it no longer writes.
    fn earlier_run(out: &Path) {
        let mut v1 = files("v1")[..2].to_vec();
        v1.push(File {
            path: "old/x.txt".into(),
            content: "x v1\n".into(),
        });
        write(&plan(out, v1, false).unwrap(), false).unwrap();
    }

    #[test]
    fn any_single_fault_leaves_the_folder_as_it_was() {
        let mut injected = 0;
        for (op, count) in [("create_dir", 2), ("write_new", 5), ("rename", 9)] {
            for nth in 1..=count {
                for error in [disk_full as fn() -> io::Error, denied] {
                    let dir = tempfile::tempdir().unwrap();
                    let out = dir.path().join("out");
                    earlier_run(&out);
                    fs::write(out.join("mine.txt"), "keep").unwrap();
                    let before = tree(&out);
                    let planned = plan(&out, files("v2"), true).unwrap();
                    let mut disk = Faulty {
                        op,
                        nth,
                        seen: 0,
                        error,
                    };
                    let result = write_to(&mut disk, &planned, true);
                    if disk.seen < nth {
                        continue; // this run needed fewer calls of `op`
                    }
                    assert!(
                        matches!(result, Err(Error::Io { .. })),
                        "{op} #{nth}: {result:?}"
                    );
                    assert_eq!(tree(&out), before, "{op} #{nth} changed the folder");
                    injected += 1;
                }
            }
        }
        // 1 directory creation; 5 staged writes (4 files and the record); 9 renames: the 2
        // replaced files and the record take two each, the 2 new files one, the pruned file one.
        // Two error kinds each.
        assert_eq!(injected, 30);
    }

    #[test]
    fn without_faults_everything_lands_and_no_temporary_file_remains() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write(&plan(&out, files("v1"), false).unwrap(), false).unwrap();
        write(&plan(&out, files("v2"), false).unwrap(), true).unwrap();
        let names: Vec<String> = tree(&out).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                manifest::PATH,
                "a.txt",
                "d.txt",
                "sub/",
                "sub/b.txt",
                "sub/deeper/",
                "sub/deeper/c.txt"
            ]
        );
        assert_eq!(
            fs::read_to_string(out.join("sub/deeper/c.txt")).unwrap(),
            "sub/deeper/c.txt v2\n"
        );
    }

    fn fates(plan: &Plan) -> Vec<(String, Fate)> {
        plan.leftovers
            .iter()
            .map(|l| (l.target.display().to_string(), l.fate))
            .collect()
    }

    #[test]
    fn files_an_earlier_run_wrote_are_named_and_only_pruned_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        earlier_run(&out);
        let x = out.join("old/x.txt").display().to_string();

        // Without --prune: named, kept, and still on the record for the next run.
        let kept = plan(&out, files("v2"), false).unwrap();
        assert_eq!(fates(&kept), [(x.clone(), Fate::Keep)]);
        write(&kept, true).unwrap();
        assert!(out.join("old/x.txt").exists());
        let again = plan(&out, files("v2"), false).unwrap();
        assert_eq!(fates(&again), [(x.clone(), Fate::Keep)]);
        assert!(again.files.iter().all(|p| p.action == Action::Unchanged));

        // With --prune: removed, with the folder it emptied; the record forgets it.
        let pruned = plan(&out, files("v2"), true).unwrap();
        assert_eq!(fates(&pruned), [(x, Fate::Remove)]);
        write(&pruned, false).unwrap();
        assert!(!out.join("old").exists());
        assert!(plan(&out, files("v2"), true).unwrap().leftovers.is_empty());
    }

    #[test]
    fn an_edited_file_or_one_the_tool_never_wrote_is_never_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        earlier_run(&out);
        fs::write(out.join("old/x.txt"), "my notes\n").unwrap();
        fs::write(out.join("old/mine.txt"), "mine\n").unwrap();
        let planned = plan(&out, files("v2"), true).unwrap();
        let x = out.join("old/x.txt").display().to_string();
        assert_eq!(fates(&planned), [(x, Fate::Edited)]);
        write(&planned, true).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("old/x.txt")).unwrap(),
            "my notes\n"
        );
        assert!(out.join("old/mine.txt").exists());
    }

    #[test]
    fn a_pruned_file_beside_a_users_file_leaves_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        earlier_run(&out);
        fs::write(out.join("old/mine.txt"), "mine\n").unwrap();
        write(&plan(&out, files("v2"), true).unwrap(), true).unwrap();
        assert!(!out.join("old/x.txt").exists());
        assert!(out.join("old/mine.txt").exists());
    }

    /// On a case-insensitive file system the old spelling is the new file: never prune it.
    #[test]
    fn a_leftover_spelled_like_a_written_file_up_to_case_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let file = |path: &str| File {
            path: path.into(),
            content: "same\n".into(),
        };
        write(
            &plan(&out, vec![file("bicep/Vnet-Ops.bicep")], false).unwrap(),
            false,
        )
        .unwrap();
        let renamed = plan(&out, vec![file("bicep/vnet-ops.bicep")], true).unwrap();
        assert!(renamed.leftovers.is_empty(), "{:?}", renamed.leftovers);
        write(&renamed, false).unwrap();
        assert!(out.join("bicep/vnet-ops.bicep").exists());
    }

    #[test]
    fn a_changed_record_alone_needs_no_force() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write(
            &plan(&out, files("v1")[..2].to_vec(), false).unwrap(),
            false,
        )
        .unwrap();
        // Two more files change the record; nothing of the user's is replaced.
        let more = plan(&out, files("v1"), false).unwrap();
        let record = more.files.last().unwrap();
        assert_eq!(
            (record.file.path.as_str(), record.action),
            (manifest::PATH, Action::Overwrite)
        );
        write(&more, false).unwrap();
    }

    #[test]
    fn generated_paths_never_leave_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../escape.txt", "/etc/passwd", "a/../../b"] {
            let f = File {
                path: bad.into(),
                content: String::new(),
            };
            assert!(
                matches!(plan(dir.path(), vec![f], false), Err(Error::Internal(_))),
                "{bad}"
            );
        }
    }
}
