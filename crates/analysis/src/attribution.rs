//! Whose code a class is: the app's own ([`Attribution::FirstParty`]), a
//! named SDK ([`Attribution::Sdk`]) or an unknown third party.
//!
//! [`Attributor::attribute`] decides from the class name alone, in this
//! order:
//!
//! 1. **The app's package** (the manifest's `package`) and the package of
//!    its `<application android:name>` class: first party.
//! 2. **Tracker code signatures** (Exodus, from `kb.trackers`), applied the
//!    way exodus-core applies them: an unanchored regex search over the
//!    class name in slash form (`com/foo/Bar`; Exodus patterns use `.`,
//!    which matches the `/`). The tracker with the lowest Exodus id wins.
//! 3. **Library prefixes** (`data/sdk_prefixes.toml`, [`SdkPrefixes`]):
//!    the longest package prefix that the class lies under.
//! 4. **Component packages**: the packages of the activities, services,
//!    receivers and providers the manifest declares. They come after the
//!    SDK checks because merged manifests declare SDK components too
//!    (`com.google.android.gms.ads.AdActivity`).
//! 5. Otherwise an unknown third party, named by its first two package
//!    segments, or three when the first is a short top-level name such as
//!    `com`, `org` or `io` (`com.example.lib`).
//!
//! **Obfuscated code.** R8/ProGuard move app and library code alike into
//! short packages (`a/b/c`) or the default package, so such a name says
//! nothing about who wrote it. A class whose package is empty or made only
//! of one- and two-letter segments, and that matched nothing above, is
//! reported as [`Attribution::UnknownThirdParty`] with the package
//! `(obfuscated) a.b` (or `(obfuscated)` for the default package): we do
//! not claim it is the app's own code.
//!
//! The attribution is a pure function of the class name; the scan calls it
//! once per class (not per instruction) and reuses the result.

mod prefixes;

pub use prefixes::{EMBEDDED as EMBEDDED_SDK_PREFIXES, SdkPrefixError, SdkPrefixes};

use leakscope_app::App;
use leakscope_kb::Kb;
use leakscope_model::Attribution;

/// Attributes classes to the app, an SDK or an unknown third party.
#[derive(Clone, Debug)]
pub struct Attributor<'kb> {
    /// First-party packages from the package name and application class,
    /// in slash form with a trailing `/`.
    own: Vec<String>,
    /// Packages of the manifest's components, slash form, trailing `/`.
    components: Vec<String>,
    kb: &'kb Kb,
    prefixes: SdkPrefixes,
}

impl<'kb> Attributor<'kb> {
    /// An attributor for `app`, with the embedded library-prefix table.
    pub fn new(app: &App, kb: &'kb Kb) -> Result<Attributor<'kb>, SdkPrefixError> {
        Ok(Attributor::with_prefixes(app, kb, SdkPrefixes::embedded()?))
    }

    /// An attributor for `app` with a given library-prefix table.
    pub fn with_prefixes(app: &App, kb: &'kb Kb, prefixes: SdkPrefixes) -> Attributor<'kb> {
        let package = app.package().unwrap_or_default();
        let mut own = Vec::new();
        let mut components = Vec::new();
        if let Some(m) = &app.manifest {
            push_package(&mut own, package);
            if let Some(name) = m.application.as_ref().and_then(|a| a.name.as_deref()) {
                push_package(&mut own, &class_package(package, name));
            }
            for c in m.components() {
                if let Some(name) = c.name.as_deref() {
                    push_package(&mut components, &class_package(package, name));
                }
            }
        }
        Attributor::from_parts(own, components, kb, prefixes)
    }

    /// An attributor from explicit package lists (dotted Java packages):
    /// `own` are first-party packages, `components` the packages of the
    /// manifest's components.
    pub fn from_packages(
        own: &[&str],
        components: &[&str],
        kb: &'kb Kb,
        prefixes: SdkPrefixes,
    ) -> Attributor<'kb> {
        let mut o = Vec::new();
        let mut c = Vec::new();
        for p in own {
            push_package(&mut o, p);
        }
        for p in components {
            push_package(&mut c, p);
        }
        Attributor::from_parts(o, c, kb, prefixes)
    }

    fn from_parts(
        own: Vec<String>,
        components: Vec<String>,
        kb: &'kb Kb,
        prefixes: SdkPrefixes,
    ) -> Attributor<'kb> {
        Attributor {
            own,
            components,
            kb,
            prefixes,
        }
    }

    /// Whose code the class with this descriptor (`Lcom/foo/Bar;`) is.
    /// Also accepts a slash-form name without `L` and `;`.
    pub fn attribute(&self, class_descriptor: &str) -> Attribution {
        let name = class_descriptor
            .strip_prefix('L')
            .and_then(|s| s.strip_suffix(';'))
            .unwrap_or(class_descriptor);
        if self.own.iter().any(|p| name.starts_with(p.as_str())) {
            return Attribution::FirstParty;
        }
        if let Some(t) = self.kb.trackers.match_class(name).min_by_key(|t| t.id) {
            return Attribution::Sdk {
                name: t.name.clone(),
            };
        }
        if let Some(sdk) = self.prefixes.lookup(name) {
            return Attribution::Sdk { name: sdk.into() };
        }
        if self.components.iter().any(|p| name.starts_with(p.as_str())) {
            return Attribution::FirstParty;
        }
        let segments: Vec<&str> = name.split('/').collect();
        let package = segments.split_last().map_or(&[][..], |(_, p)| p);
        if package.iter().all(|s| s.len() <= 2) {
            let shown = package.join(".");
            return Attribution::UnknownThirdParty {
                package: if shown.is_empty() {
                    "(obfuscated)".into()
                } else {
                    format!("(obfuscated) {shown}")
                },
            };
        }
        let keep = match package.first() {
            Some(first) if first.len() <= 3 => 3,
            _ => 2,
        };
        Attribution::UnknownThirdParty {
            package: package
                .iter()
                .take(keep)
                .copied()
                .collect::<Vec<_>>()
                .join("."),
        }
    }
}

/// The package of a manifest class name, resolved against the app's
/// package the way Android does (`.Main` and `Main` are relative).
fn class_package(package: &str, name: &str) -> String {
    let full = if let Some(rest) = name.strip_prefix('.') {
        format!("{package}.{rest}")
    } else if !name.contains('.') {
        format!("{package}.{name}")
    } else {
        name.to_owned()
    };
    match full.rsplit_once('.') {
        Some((pkg, _)) => pkg.to_owned(),
        None => String::new(),
    }
}

/// Adds a dotted package as `a/b/c/`, skipping empty, duplicate and
/// obfuscation-like packages (all segments of one or two letters would make
/// every `a/b/X` class first party).
fn push_package(out: &mut Vec<String>, package: &str) {
    let package = package.trim();
    if package.is_empty() || package.split('.').all(|s| s.len() <= 2) {
        return;
    }
    let mut slash = package.replace('.', "/");
    slash.push('/');
    if !out.contains(&slash) {
        out.push(slash);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn attributor() -> Attributor<'static> {
        let kb = Kb::embedded().unwrap();
        Attributor::from_packages(
            &["com.example.app"],
            &[
                "com.example.app.ui",
                "org.thirdparty.widget",
                "com.google.android.gms.ads",
            ],
            kb,
            SdkPrefixes::embedded().unwrap(),
        )
    }

    #[test]
    fn order_of_decisions() {
        let a = attributor();
        assert_eq!(
            a.attribute("Lcom/example/app/Main;"),
            Attribution::FirstParty
        );
        assert_eq!(
            a.attribute("Lcom/example/app/x/Y;"),
            Attribution::FirstParty
        );
        // Not under the package: `com/example/application` is another one.
        assert_ne!(
            a.attribute("Lcom/example/application/Y;"),
            Attribution::FirstParty
        );
        // Component packages are first party unless an SDK claims them.
        assert_eq!(
            a.attribute("Lorg/thirdparty/widget/W;"),
            Attribution::FirstParty
        );
        assert!(matches!(
            a.attribute("Lcom/google/android/gms/ads/AdActivity;"),
            Attribution::Sdk { .. }
        ));
        assert_eq!(
            a.attribute("Lokhttp3/OkHttpClient;"),
            Attribution::Sdk {
                name: "OkHttp".into()
            }
        );
        assert_eq!(
            a.attribute("Lcom/unknown/vendor/lib/Thing;"),
            Attribution::UnknownThirdParty {
                package: "com.unknown.vendor".into()
            }
        );
        assert_eq!(
            a.attribute("Lsomevendor/lib/Thing;"),
            Attribution::UnknownThirdParty {
                package: "somevendor.lib".into()
            }
        );
        assert_eq!(
            a.attribute("La/b/c;"),
            Attribution::UnknownThirdParty {
                package: "(obfuscated) a.b".into()
            }
        );
        assert_eq!(
            a.attribute("La;"),
            Attribution::UnknownThirdParty {
                package: "(obfuscated)".into()
            }
        );
    }

    #[test]
    fn tracker_signatures_name_the_sdk() {
        let a = attributor();
        let kb = Kb::embedded().unwrap();
        // Pick a tracker whose code signature is a plain package, check that
        // a class under it is attributed to that tracker (or to another
        // tracker matching the same class with a lower id).
        let t = kb
            .trackers
            .iter()
            .find(|t| t.name.contains("Firebase Analytics"))
            .unwrap();
        let class = "Lcom/google/firebase/analytics/FirebaseAnalytics;";
        match a.attribute(class) {
            Attribution::Sdk { name } => {
                let first = kb
                    .trackers
                    .match_class("com/google/firebase/analytics/FirebaseAnalytics")
                    .min_by_key(|t| t.id)
                    .unwrap();
                assert_eq!(name, first.name);
                assert!(
                    kb.trackers
                        .match_class("com/google/firebase/analytics/FirebaseAnalytics")
                        .any(|x| x.id == t.id)
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn manifest_names_resolve_relative_to_the_package() {
        assert_eq!(class_package("com.a.b", ".ui.Main"), "com.a.b.ui");
        assert_eq!(class_package("com.a.b", "Main"), "com.a.b");
        assert_eq!(class_package("com.a.b", "org.x.Main"), "org.x");
        let mut v = Vec::new();
        push_package(&mut v, "a.b");
        push_package(&mut v, "");
        push_package(&mut v, "com.x");
        push_package(&mut v, "com.x");
        assert_eq!(v, ["com/x/"]);
    }
}
