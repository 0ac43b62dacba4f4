//! The other files of an app (resources, assets, native libraries), for the
//! passes that read them, without those passes touching ZIPs or paths.

use std::borrow::Cow;
use std::path::PathBuf;

use leakscope_zip::{Archive, Entry};

use crate::{App, InputKind};

/// One file of the app, readable on demand.
pub struct AppFile<'a> {
    /// Its name as shown in reports: the entry name (`assets/config.json`),
    /// prefixed with the split's name in a bundle (`base.apk!res/xml/a.xml`).
    pub path: String,
    /// The name inside its container (`assets/config.json`).
    pub name: Cow<'a, str>,
    /// Uncompressed size in bytes, as declared.
    pub size: u64,
    source: Source<'a>,
}

enum Source<'a> {
    Zip(&'a Archive<'a>, &'a Entry<'a>),
    Disk(PathBuf),
}

impl AppFile<'_> {
    /// Reads the file (bounded by the app's ZIP limits).
    pub fn read(&self) -> Result<Cow<'_, [u8]>, String> {
        match &self.source {
            Source::Zip(archive, entry) => archive.read(entry).map_err(|e| e.to_string()),
            Source::Disk(path) => std::fs::read(path)
                .map(Cow::Owned)
                .map_err(|e| e.to_string()),
        }
    }
}

impl App {
    /// Calls `f` for every file of the app: each entry of each container (the
    /// APK, or each APK of a bundle), or each file of an unpacked directory.
    pub fn visit_files(&self, mut f: impl FnMut(&AppFile<'_>)) {
        if self.kind == InputKind::Directory {
            let mut ignored = Vec::new();
            for (path, rel) in crate::directory::walk(&self.path, &mut ignored) {
                let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                f(&AppFile {
                    path: rel.clone(),
                    name: Cow::Owned(rel),
                    size,
                    source: Source::Disk(path),
                });
            }
            return;
        }
        let prefix = self.containers.len() > 1;
        for container in &self.containers {
            let Ok(archive) =
                Archive::parse(container.bytes.as_slice(), leakscope_zip::Limits::default())
            else {
                continue;
            };
            for entry in archive.entries() {
                let name = entry.name_lossy();
                let path = if prefix {
                    format!("{}!{name}", container.name)
                } else {
                    name.to_string()
                };
                f(&AppFile {
                    path,
                    name,
                    size: entry.uncompressed_size,
                    source: Source::Zip(&archive, entry),
                });
            }
        }
    }
}
