// The operator API as the console calls it. Every console action is one of these calls, so an
// operator can script the same thing with curl (see docs/console.md).

/** The application's context root, e.g. "" when deployed at "/". */
export const contextRoot = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');

/** The header every console request carries (cross-site request forgery check). */
export const CSRF_HEADER = 'X-Sealsync-Request';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function send(path, { method = 'GET', body, accept = 'application/json' } = {}) {
  // On every call: writes need it (cross-site request forgery check), and a console session of
  // OpenID Connect is an operator credential only together with it.
  const headers = { Accept: accept, [CSRF_HEADER]: 'console' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(contextRoot + '/admin' + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network_error', 'The server could not be reached (' + e.message + ').');
  }
  return res;
}

async function failure(res) {
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  const code = data && data.error ? data.error : 'http_' + res.status;
  let message = data && data.message ? data.message : 'HTTP ' + res.status + ' ' + res.statusText;
  if (res.status === 401) {
    message = 'Not signed in (401): reload the page to sign in again.';
  } else if (res.status === 403 && !data) {
    message = 'Refused (403): your account lacks the role sealsync-admin.';
  }
  return new ApiError(res.status, code, message);
}

/** Calls the operator API; resolves to the parsed JSON, or rejects with an ApiError. */
export async function api(path, options) {
  const res = await send(path, options);
  if (!res.ok) {
    throw await failure(res);
  }
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/**
 * Calls a streamed route that answers newline-delimited JSON, handing each object to onLine as it
 * arrives.
 */
export async function stream(path, onLine) {
  const res = await send(path, { accept: 'application/x-ndjson' });
  if (!res.ok) {
    throw await failure(res);
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      break;
    }
    buffered += decoder.decode(value, { stream: true });
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) {
        onLine(JSON.parse(line));
      }
    }
  }
  if (buffered.trim()) {
    onLine(JSON.parse(buffered));
  }
}

/** A query string of the defined, non-empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, String(v));
    }
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
