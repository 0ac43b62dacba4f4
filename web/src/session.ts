// The signed-in token, kept in sessionStorage (gone when the tab closes).
const KEY = "leakscope.token";

/** The current bearer token, or null when signed out. */
export function getToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** Stores the token for this tab. */
export function setToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

/** Forgets the token. */
export function clearToken(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // storage unavailable: nothing to clear
  }
}
