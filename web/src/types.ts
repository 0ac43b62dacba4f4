// The JSON shapes of the leakscope fleet API (see the API contract and
// /api/openapi.json). Only the fields the dashboard reads are typed.

/** A policy decision for an app. */
export type Decision = "allow" | "warn" | "block";
/** leakscope's own assessment of an app. */
export type Verdict = "leakware" | "needs_review" | "no_leak_found";
/** Analysis state of an uploaded or inventoried app. */
export type AppStatus = "queued" | "analysing" | "done" | "failed";
/** Compliance of a device with its organization's policy. */
export type Compliance = "compliant" | "warn" | "non_compliant" | "pending";

/** `GET /api/v1/me`. */
export interface Me {
  org: { id: number; name: string };
  role: "admin" | "analyst" | "device";
  device_id: string | null;
}

/** One row of `GET /api/v1/apps`. */
export interface AppSummary {
  sha256: string;
  package: string | null;
  label: string | null;
  version_name: string | null;
  version_code: number | null;
  status: AppStatus;
  error: string | null;
  decision: Decision | null;
  verdict: Verdict | null;
  score: number | null;
  categories_accessed: string[];
  categories_transmitted: string[];
  trackers: string[];
  counterfeit: boolean;
  devices: number;
  analysed_at: string | null;
  /** The upload's `?filename=`, when the server reports it (an addition to the contract). */
  filename?: string | null;
}

/** A policy rule that matched an app. */
export interface PolicyMatch {
  rule: string;
  decision: Decision;
  message: string;
  [extra: string]: unknown;
}

/** Counterfeit check of an app (its signer against the trusted one). */
export interface Counterfeit {
  suspected: boolean;
  package: string | null;
  expected_signers: string[];
  actual_signers: string[];
  source: "fleet" | "knowledge_base" | null;
}

/** `GET /api/v1/apps/{sha256}`. */
export interface AppDetail {
  sha256: string;
  status: AppStatus;
  error: string | null;
  summary: AppSummary;
  report: unknown;
  policy: { decision: Decision; policy_version: number; matches: PolicyMatch[] } | null;
  counterfeit: Counterfeit | null;
}

/** One row of `GET /api/v1/devices`. */
export interface DeviceRow {
  device_id: string;
  compliance: Compliance;
  last_seen: string;
  apps: number;
  blocked: number;
  warned: number;
  unknown: number;
}

/** The verdict of one inventoried app on a device. */
export interface InventoryVerdict {
  package: string;
  version_code: number | null;
  sha256: string | null;
  decision: Decision | "unknown";
  reasons: string[];
  upload_requested: boolean;
  counterfeit: boolean;
}

/** `GET /api/v1/devices/{id}/compliance`. */
export interface DeviceCompliance {
  device_id: string;
  compliance: Compliance;
  last_seen: string | null;
  apps: InventoryVerdict[];
}

/** `GET /api/v1/overview`. */
export interface Overview {
  devices: { total: number; compliant: number; warn: number; non_compliant: number; pending: number };
  apps: { total: number; analysed: number; pending: number; failed: number };
  most_blocked: Array<{ sha256: string; package: string; label: string | null; devices: number }>;
  categories_leaving: Array<{ category: string; apps: number; devices: number }>;
  countries: Array<{ country: string; apps: number; hosts: number }>;
  trackers: Array<{ name: string; apps: number }>;
}

/** `GET /api/v1/policy`. */
export interface PolicyVersion {
  version: number;
  pack: string | null;
  rego: string | null;
  data: unknown;
  created_at: string | null;
  created_by: string | null;
}

/** A compile error of a policy, at its position. */
export interface PolicyError {
  file: string | null;
  line: number | null;
  column: number | null;
  message: string;
}

/** `POST /api/v1/policy/validate`. */
export interface ValidationResult {
  valid: boolean;
  errors: PolicyError[];
  results: Array<{
    sha256: string;
    package: string | null;
    label: string | null;
    current: Decision | null;
    proposed: Decision | null;
  }>;
}
