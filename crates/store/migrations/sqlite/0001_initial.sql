-- leakscope store schema, SQLite dialect. Timestamps are unix milliseconds; JSON is TEXT.
-- Keep in step with ../postgres/0001_initial.sql.

CREATE TABLE orgs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    webhook_url TEXT,
    webhook_secret TEXT
);

CREATE TABLE tokens (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    role TEXT NOT NULL,
    device_id TEXT,
    label TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tokens_org ON tokens(org_id);

-- Global: analysis results hold no organization data.
CREATE TABLE apps (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    filename TEXT,
    status TEXT NOT NULL,
    error TEXT,
    package TEXT,
    version_code INTEGER,
    signers TEXT NOT NULL DEFAULT '[]',
    summary TEXT,
    report TEXT,
    uploaded_at INTEGER NOT NULL,
    analysed_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX apps_package ON apps(package, version_code);
CREATE INDEX apps_status ON apps(status);

-- Which apps an organization has (uploaded, or seen in its inventories).
CREATE TABLE org_apps (
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    sha256 TEXT NOT NULL,
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, sha256)
);
CREATE INDEX org_apps_sha256 ON org_apps(sha256);

CREATE TABLE trusted_signers (
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    package TEXT NOT NULL,
    signer TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, package, signer)
);

CREATE TABLE policies (
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    version INTEGER NOT NULL,
    pack TEXT,
    rego TEXT,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (org_id, version)
);

CREATE TABLE verdicts (
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    sha256 TEXT NOT NULL,
    policy_version INTEGER NOT NULL,
    decision TEXT NOT NULL,
    detail TEXT NOT NULL,
    counterfeit INTEGER NOT NULL,
    evaluated_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, sha256)
);

-- Hot path: one row per device, inventory as JSON plus its SHA-256.
CREATE TABLE devices (
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    device_id TEXT NOT NULL,
    compliance TEXT NOT NULL,
    last_seen INTEGER NOT NULL,
    inventory TEXT NOT NULL,
    inventory_sha256 TEXT NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY (org_id, device_id)
);

-- Webhook outbox.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX webhook_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_org ON webhook_deliveries(org_id, id);
