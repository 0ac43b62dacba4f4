//! Requested permissions: protection level, data category, and whether any
//! code uses an API that needs them.

use std::collections::BTreeSet;

use leakscope_app::App;
use leakscope_kb::{ApiEntry, Kb, Role};
use leakscope_model::{Evidence, EvidenceKind, PermissionFinding};

/// The catalog entries behind a piece of evidence.
fn entries<'k>(kb: &'k Kb, evidence: &'k Evidence) -> Vec<&'k ApiEntry> {
    let api = evidence.api.as_str();
    match evidence.kind {
        EvidenceKind::Call => {
            let Some((class, rest)) = api.split_once("->") else {
                return Vec::new();
            };
            let (name, proto) = rest.split_at(rest.find('(').unwrap_or(rest.len()));
            kb.apis.methods(class, name, proto).collect()
        }
        EvidenceKind::Field => api
            .split_once("->")
            .and_then(|(class, name)| kb.apis.field(class, name))
            .into_iter()
            .collect(),
        EvidenceKind::ContentUri => kb.apis.content_uri(api).into_iter().collect(),
        EvidenceKind::IntentAction => kb.apis.intent_action(api).into_iter().collect(),
        EvidenceKind::SystemService => kb.apis.system_service(api).into_iter().collect(),
    }
}

/// Permissions that the APIs behind `evidence` need (any one of each entry's
/// list is enough, so all of them count as used).
pub fn used_permissions(kb: &Kb, evidence: &[Evidence]) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for e in evidence {
        if !seen.insert((e.kind, e.api.as_str())) {
            continue;
        }
        for entry in entries(kb, e) {
            used.extend(entry.permissions.iter().cloned());
        }
    }
    used
}

/// One finding per requested permission, sorted by name.
pub fn findings(app: &App, kb: &Kb, evidence: &[Evidence]) -> Vec<PermissionFinding> {
    let Some(manifest) = &app.manifest else {
        return Vec::new();
    };
    let used = used_permissions(kb, evidence);
    // Only source APIs are reported as evidence, so only their permissions
    // can be judged used or unused (INTERNET, needed by network sinks, is
    // left unknown until sinks are reported).
    let known: BTreeSet<&str> = kb
        .apis
        .entries()
        .iter()
        .filter(|e| e.role == Role::Source)
        .flat_map(|e| e.permissions.iter().map(String::as_str))
        .collect();
    let mut out: Vec<PermissionFinding> = Vec::new();
    for p in &manifest.uses_permissions {
        if out.iter().any(|f| f.name == p.name) {
            continue;
        }
        let info = kb.permissions.get(&p.name);
        out.push(PermissionFinding {
            name: p.name.clone(),
            protection_level: info.map(|i| i.protection_level.clone()),
            category: kb.permissions.category(&p.name),
            sdk23: p.sdk23,
            max_sdk: p.max_sdk_version,
            used: if used.contains(&p.name) {
                Some(true)
            } else if known.contains(p.name.as_str()) {
                Some(false)
            } else {
                None
            },
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}
