import { accessToken, userManager } from './auth';
import { parseJson } from './json';

/** A problem detail from a service (platform ApiProblem): stable code, field, violations. */
export interface Violation { field: string; rule?: string; message: string; value?: unknown }
export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string, public body: Record<string, unknown>) {
    super(message);
  }
  get field(): string | undefined { return this.body.field as string | undefined; }
  get violations(): Violation[] { return (this.body.violations as Violation[] | undefined) ?? []; }
}

async function send(path: string, init: RequestInit, retried = false): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = accessToken();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  const res = await fetch(`/api${path}`, { ...init, headers });
  if (res.status === 401 && !retried) {
    // The access token may have expired between renewals: renew once, then try again.
    const u = await userManager.signinSilent().catch(() => null);
    if (u) return send(path, init, true);
  }
  if (!res.ok) {
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try { body = parseJson(text) as Record<string, unknown>; } catch { body = { detail: text }; }
    throw new ApiError(res.status, String(body.code ?? res.status), String(body.detail ?? body.title ?? res.statusText), body);
  }
  return res;
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await send(path, init);
  const text = await res.text();
  return (text ? parseJson(text) : null) as T;
}

export const postJson = <T,>(path: string, body: unknown, headers: Record<string, string> = {}) =>
  api<T>(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } });
export const putJson = <T,>(path: string, body: unknown) =>
  api<T>(path, { method: 'PUT', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

/** Downloads an authenticated file (template, result) under the name the server gives. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await send(path, {});
  const blob = await res.blob();
  const cd = res.headers.get('Content-Disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(cd)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
