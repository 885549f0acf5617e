// Small HTTP helpers for provisioning (plain fetch). Errors name the status and the problem's
// `code` or OAuth `error` only: response bodies may hold tokens and are never printed.

/** `Authorization: Basic` for client_secret_basic: RFC 6749 §2.3.1 encodes id and secret first. */
export function basicAuth(clientId, clientSecret) {
  const pair = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

export async function call(
  baseUrl,
  path,
  { method = 'GET', token, json, form, authorization } = {},
) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (authorization) headers.authorization = authorization;
  let body;
  if (json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed };
}

/** The answer's body when its status is `expected`, else an error that reveals nothing secret. */
export async function expect(expected, what, pending) {
  const { status, body } = await pending;
  if (status !== expected) {
    const reason = body?.code ?? body?.error ?? 'no code';
    throw new Error(`${what}: expected ${expected}, got ${status} (${reason})`);
  }
  return body;
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of the results. */
export async function mapLimit(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  async function lane() {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
