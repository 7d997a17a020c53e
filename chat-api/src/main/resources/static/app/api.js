// Every request of the dashboard: same-origin fetch with the session cookie (the page never holds
// a token), the CSRF token on every non-GET request, problem+json turned into a readable Error.

let csrf = null;
let unauthorized = () => {};

/** An error from the API: `status`, the problem's `fieldErrors` (field → message) and readable text. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(readable(status, problem));
    this.status = status;
    this.problem = problem || {};
    this.fieldErrors = problem?.field_errors || {};
  }
}

function readable(status, problem) {
  if (problem?.detail) return problem.detail;
  if (problem?.title) return problem.title;
  if (status === 0) return 'Clara could not be reached. Check the connection and try again.';
  if (status === 401) return 'You are signed out. Please sign in again.';
  if (status === 403) return 'This is not allowed.';
  if (status === 404) return 'Not found (it may have been deleted).';
  if (status === 429) return 'Too many attempts. Please wait a moment and try again.';
  if (status >= 500) return 'Something went wrong on the server. Please try again.';
  return `The request failed (HTTP ${status}).`;
}

export const setCsrf = (token) => { csrf = token; };
/** Called when a request finds the session gone (401): the app shows the sign-in screen. */
export const onUnauthorized = (fn) => { unauthorized = fn; };

/**
 * request('PATCH', '/api/owner/workspace/settings', { json: {...} }) → parsed JSON (null for 204).
 * `form` sends FormData (multipart); `query` an object of query parameters (empty ones left out);
 * `quiet401` for the session probe itself.
 */
export async function request(method, path, { json, form, query, quiet401 = false } = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  let res;
  try {
    res = await fetch(url, { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, null);
  }
  const type = res.headers.get('Content-Type') || '';
  const data = res.status === 204 ? null
    : type.includes('json') ? await res.json().catch(() => null) : null;
  if (!res.ok) {
    if (res.status === 401 && !quiet401) unauthorized();
    throw new ApiError(res.status, data);
  }
  return data;
}

export const get = (path, query) => request('GET', path, { query });
export const post = (path, json) => request('POST', path, { json: json ?? {} });
export const patch = (path, json) => request('PATCH', path, { json });
export const put = (path, json) => request('PUT', path, { json });
export const del = (path) => request('DELETE', path);
export const upload = (path, file) => {
  const form = new FormData();
  form.append('file', file);
  return request('POST', path, { form });
};

/**
 * A multipart upload with its progress: onProgress(loaded, total) as the body goes out (fetch
 * cannot report an upload's progress, XMLHttpRequest can). Same cookie, CSRF header and errors as
 * request(); resolves with the parsed JSON answer.
 */
export function uploadWithProgress(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', new URL(path, location.origin));
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.addEventListener('progress', (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : null));
    xhr.addEventListener('load', () => {
      let data = null;
      if ((xhr.getResponseHeader('Content-Type') || '').includes('json')) {
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
      }
      if (xhr.status >= 200 && xhr.status < 300) { resolve(data); return; }
      if (xhr.status === 401) unauthorized();
      reject(new ApiError(xhr.status, data));
    });
    // the server may refuse a too large body (413) before reading it and close the connection:
    // the browser then reports a network error, not the answer
    xhr.addEventListener('error', () => reject(new ApiError(0, null)));
    xhr.addEventListener('abort', () => reject(new ApiError(0, { detail: 'The upload was cancelled.' })));
    xhr.send(form);
  });
}

// ── the browser session (/app/api/session) ──

/** The signed-in session, or null when there is none. */
export async function session() {
  try {
    const s = await request('GET', '/app/api/session', { quiet401: true });
    setCsrf(s.csrf_token);
    return s;
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function signIn(email, password) {
  const s = await request('POST', '/app/api/session', { json: { email, password }, quiet401: true });
  setCsrf(s.csrf_token);
  return s;
}

export async function signOut() {
  try {
    await request('DELETE', '/app/api/session', { quiet401: true });
  } finally {
    setCsrf(null);
  }
}
