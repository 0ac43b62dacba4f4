// The HTTP client: every request carries the bearer token; API errors
// (`{"error":{code,message,details}}`) become `ApiError`; a 401 signs out.
import { clearToken, getToken } from "./session";

/** An error answer of the API, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

/** Called on a 401: the session is over (set by main.ts). */
let onUnauthorized: (message: string) => void = () => {};

/** Registers what to do when the API answers 401. */
export function setUnauthorizedHandler(handler: (message: string) => void): void {
  onUnauthorized = handler;
}

/** Sends a request to `/api/v1{path}` and returns the raw response if it is 2xx. */
export async function request(path: string, init: RequestInit = {}, token = getToken()): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set("Authorization", `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { ...init, headers });
  } catch (e) {
    throw new ApiError(0, "network", `The server cannot be reached (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (response.ok) return response;
  const error = await errorOf(response);
  if (response.status === 401 && token === getToken()) {
    clearToken();
    onUnauthorized(error.message);
  }
  throw error;
}

/** Parses an error body, tolerating bodies that are not the API's JSON. */
async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    if (body.error && typeof body.error.message === "string") {
      return new ApiError(
        response.status,
        String(body.error.code ?? "error"),
        body.error.message,
        body.error.details ?? null,
      );
    }
  } catch {
    // not JSON: fall through
  }
  const snippet = text.trim().slice(0, 200);
  return new ApiError(
    response.status,
    "http_" + response.status,
    `HTTP ${response.status} ${response.statusText}${snippet ? `: ${snippet}` : ""}`,
  );
}

/** GET and parse JSON. */
export async function getJson<T>(path: string, token = getToken()): Promise<T> {
  const response = await request(path, {}, token);
  return (await response.json()) as T;
}

/** Sends a JSON body with `method` and parses the JSON answer (or null for 204). */
export async function sendJson<T>(method: string, path: string, body: unknown): Promise<T> {
  const response = await request(path, {
    method,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status === 204) return null as T;
  return (await response.json()) as T;
}

/** A readable one-line description of any thrown value. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) return e.status ? `${e.message} (${e.code}, HTTP ${e.status})` : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
