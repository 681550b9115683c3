/** The bearer token for writes (the server's O3S_TOKEN), kept in this browser's local storage. */

const KEY = 'o3s.token'

export function accessToken(): string | null {
  try {
    return localStorage.getItem(KEY)
  } catch {
    return null
  }
}

export function setAccessToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(KEY, token)
    else localStorage.removeItem(KEY)
  } catch {
    // storage disabled: the token lasts until the page reloads at best; writes will ask again
  }
}
