//! The app model: everything leakscope reads from one app, before any
//! analysis.
//!
//! [`load`] takes a path (APK, split bundle, bare DEX, unpacked directory)
//! and returns an [`App`]: its typed manifest, label, signers, the DEX files
//! of its own code, the DEX files it carries in `assets/` or `res/raw/` for
//! loading at run time, and the warnings that say what was odd or skipped.
//! Parsing is lazy where it pays: DEX files are kept as bytes and parsed by
//! whoever walks them.
//!
//! ```no_run
//! let app = leakscope_app::load("app.apk".as_ref(), &leakscope_app::Options::default())?;
//! println!("{:?} has {} DEX files", app.package(), app.code.len());
//! # Ok::<(), leakscope_app::LoadError>(())
//! ```

#![deny(missing_docs)]

mod apk;
mod blob;
mod bundle;
mod directory;
mod files;
mod kind;
mod load;
mod manifest;
mod mapped;
mod warning;

pub use blob::{Backing, Blob};
pub use files::AppFile;
pub use kind::{InputKind, Magic, multidex_index};
pub use load::{LoadError, Options, load};
pub use warning::Warning;

pub use leakscope_axml::Manifest;
pub use leakscope_signing::Signer;

/// One DEX image's bytes and where it came from.
#[derive(Clone, Debug)]
pub struct DexBlob {
    /// Where in the app: `classes2.dex`, `split_feature.apk!classes.dex`,
    /// `assets/plugin.jar!classes.dex`.
    pub origin: String,
    /// The bytes (a DEX file, possibly a 041 container of several images).
    pub bytes: Blob,
}

/// Code the app carries outside its main DEX files, which it can only run by
/// loading it itself (DexClassLoader and friends).
#[derive(Clone, Debug)]
pub struct DynamicCode {
    /// The file that holds it: `assets/payload.dex`, `res/raw/plugin.jar`.
    pub container: String,
    /// What the file is.
    pub kind: DynamicCodeKind,
    /// The DEX images found in it (none when it could not be read).
    pub dex: Vec<DexBlob>,
}

/// What kind of file holds dynamically loaded code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DynamicCodeKind {
    /// A bare DEX file.
    Dex,
    /// A JAR or ZIP holding `classes*.dex`.
    Jar,
    /// A whole APK.
    Apk,
}

/// One APK of a split bundle (or the single APK of a plain app).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Split {
    /// Entry name in the bundle, or the file name.
    pub name: String,
    /// The `split` attribute of its manifest; `None` for the base APK.
    pub split_name: Option<String>,
    /// Number of DEX files of its own code.
    pub dex_count: usize,
}

/// A file inside the app that later passes may want (resources, assets,
/// native libraries): its name and bytes, read on demand.
#[derive(Clone, Debug)]
pub struct Container {
    /// Name of the container (`base.apk` in a bundle; the file name otherwise).
    pub name: String,
    /// Its bytes.
    pub bytes: Blob,
}

/// Everything leakscope read from one app.
#[derive(Debug)]
pub struct App {
    /// The path given.
    pub path: std::path::PathBuf,
    /// What the input was.
    pub kind: InputKind,
    /// SHA-256 of the input file (of the manifest for a directory), lowercase hex.
    pub sha256: String,
    /// Size of the input in bytes.
    pub size: u64,
    /// The typed manifest of the base APK, when there is one and it could be read.
    pub manifest: Option<Manifest>,
    /// The app's label, resolved through resources when it is a reference.
    pub label: Option<String>,
    /// Signers of the base APK.
    pub signers: Vec<Signer>,
    /// The APKs of the app (one for a plain APK).
    pub splits: Vec<Split>,
    /// The app's own code: `classes*.dex` of every APK, in load order.
    pub code: Vec<DexBlob>,
    /// DEX, JAR and APK files found in `assets/` and `res/raw/`.
    pub dynamic_code: Vec<DynamicCode>,
    /// The ZIP containers of the app, for passes that read other files.
    pub containers: Vec<Container>,
    /// What was odd or skipped while reading.
    pub warnings: Vec<Warning>,
}

impl App {
    /// The package name, when the manifest gives one.
    pub fn package(&self) -> Option<&str> {
        self.manifest.as_ref().and_then(|m| m.package.as_deref())
    }
}
