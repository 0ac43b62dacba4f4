//! Words shared by the renderers: verdicts, decisions, rule lookups.

use leakscope_model::{Decision, Report, Verdict};

/// A verdict as people read it.
pub(crate) fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::NoLeakFound => "No leak found",
        Verdict::NeedsReview => "Needs review",
        Verdict::Leakware => "Leakware",
    }
}

/// The id of a verdict, as in the JSON report.
pub(crate) fn verdict_id(v: Verdict) -> &'static str {
    match v {
        Verdict::NoLeakFound => "no_leak_found",
        Verdict::NeedsReview => "needs_review",
        Verdict::Leakware => "leakware",
    }
}

/// The id of a policy decision.
pub(crate) fn decision_id(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "allow",
        Decision::Warn => "warn",
        Decision::Block => "block",
    }
}

/// The app's name for titles: label, else package, else path.
pub(crate) fn app_name(report: &Report) -> &str {
    let app = &report.app;
    app.label
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .or(app.package.as_deref())
        .unwrap_or(&app.path)
}

/// `Lcom/example/Foo$Bar;` → `Foo$Bar`.
pub(crate) fn short_class(descriptor: &str) -> &str {
    let inner = descriptor
        .strip_prefix('L')
        .and_then(|s| s.strip_suffix(';'))
        .unwrap_or(descriptor);
    inner.rsplit('/').next().unwrap_or(inner)
}

/// `Lpkg/Foo;->bar(I)V` → `Foo.bar()`; anything else unchanged.
pub(crate) fn short_method(descriptor: &str) -> String {
    match descriptor.split_once("->") {
        Some((class, member)) => {
            let name = member.split_once('(').map_or(member, |(n, _)| n);
            let call = if member.contains('(') { "()" } else { "" };
            format!("{}.{name}{call}", short_class(class))
        }
        None => descriptor.to_owned(),
    }
}

/// An API for display: methods and fields shortened, URIs and names as is.
pub(crate) fn short_api(api: &str) -> String {
    if api.starts_with('L') && api.contains(";->") {
        short_method(api)
    } else {
        api.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_descriptors() {
        assert_eq!(
            short_method("Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;"),
            "TelephonyManager.getDeviceId()"
        );
        assert_eq!(short_api("Landroid/os/Build;->SERIAL"), "Build.SERIAL");
        assert_eq!(
            short_api("content://contacts/people"),
            "content://contacts/people"
        );
        assert_eq!(short_method("->"), ".");
        assert_eq!(short_class("Lcom/example/Foo$Bar;"), "Foo$Bar");
        assert_eq!(short_class("odd"), "odd");
    }
}
