/** A response as a test sees it. */
export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded instead of JSON. */
  form?: Record<string, string>;
  /** Sent as is, with the given headers (for malformed bodies). */
  raw?: string | Buffer;
}

/** A tiny HTTP client over fetch against one running app. */
export function client(baseUrl: string) {
  async function request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | Buffer | undefined;
    if (options.raw !== undefined) {
      payload = options.raw;
    } else if (options.form) {
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(options.form).toString();
    } else if (body !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(baseUrl + path, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON; tests read `text`
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  return {
    request,
    get: <T = any>(path: string, options?: RequestOptions) =>
      request<T>('GET', path, undefined, options),
    post: <T = any>(path: string, body?: unknown, options?: RequestOptions) =>
      request<T>('POST', path, body, options),
    patch: <T = any>(path: string, body?: unknown, options?: RequestOptions) =>
      request<T>('PATCH', path, body, options),
    delete: <T = any>(path: string, body?: unknown, options?: RequestOptions) =>
      request<T>('DELETE', path, body, options),
  };
}

export type Client = ReturnType<typeof client>;

/**
 * Asks `probe` again every 100 ms until it answers `status`, for changes that other instances or
 * services see after a documented delay; the last reply either way.
 */
export async function untilStatus(
  probe: () => Promise<Reply>,
  status: number,
  ms = 10_000,
): Promise<Reply> {
  const deadline = Date.now() + ms;
  let reply = await probe();
  while (reply.status !== status && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    reply = await probe();
  }
  return reply;
}
