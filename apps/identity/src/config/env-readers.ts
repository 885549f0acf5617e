import { closeSync, openSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import type { RateLimit } from './config';

export type Env = Record<string, string | undefined>;

/** A bad setting. The message names the variable and never repeats its value. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function isAddressOrRange(item: string): boolean {
  const [address, prefix, extra] = item.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/** Typed readers over one environment; each throws a {@link ConfigError} naming the variable. */
export function readers(env: Env) {
  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const fail = (name: string, expected: string): never => {
    throw new ConfigError(`${name} is invalid: expected ${expected}`);
  };

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const value = raw(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value)) return fail(name, `a whole number from ${min} to ${max}`);
    const n = Number(value);
    if (n < min || n > max) return fail(name, `a whole number from ${min} to ${max}`);
    return n;
  };

  return {
    string: raw,
    int,
    optionalInt(name: string, min: number, max: number): number | undefined {
      return raw(name) === undefined ? undefined : int(name, 0, min, max);
    },
    bool(name: string, fallback: boolean): boolean {
      const value = raw(name)?.toLowerCase();
      if (value === undefined) return fallback;
      if (['true', '1', 'yes'].includes(value)) return true;
      if (['false', '0', 'no'].includes(value)) return false;
      return fail(name, 'true or false');
    },
    oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
      const value = raw(name);
      if (value === undefined) return fallback;
      const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
      return match ?? fail(name, `one of ${allowed.join(', ')}`);
    },
    url(name: string, protocols: string[]): string | undefined {
      const value = raw(name);
      if (value === undefined) return undefined;
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        return fail(name, 'a URL');
      }
      if (!protocols.includes(parsed.protocol))
        return fail(name, `a ${protocols.join(' or ')} URL`);
      return value;
    },
    /** The path of a file that exists and opens for reading now, at start (a CA bundle, say). */
    readableFile(name: string): string | undefined {
      const path = raw(name);
      if (path === undefined) return undefined;
      let readable: boolean;
      try {
        readable = statSync(path).isFile();
        if (readable) closeSync(openSync(path, 'r'));
      } catch {
        readable = false;
      }
      return readable ? path : fail(name, 'the path of a readable file');
    },
    list(name: string): string[] | undefined {
      const value = raw(name);
      if (value === undefined) return undefined;
      const items = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return items.length > 0 ? items : fail(name, 'a comma-separated list');
    },
    origins(name: string): string[] {
      const value = raw(name);
      if (value === undefined) return [];
      return value.split(',').map((item) => {
        const origin = item.trim();
        if (origin === '*' || origin === 'null') return fail(name, 'exact origins, not * or null');
        try {
          const url = new URL(origin);
          if (url.origin !== origin.replace(/\/$/, '')) throw new Error('not an origin');
          return url.origin;
        } catch {
          return fail(name, 'comma-separated origins such as https://app.example.com');
        }
      });
    },
    rate(name: string, fallback: RateLimit): RateLimit {
      const value = raw(name);
      if (value === undefined) return fallback;
      const match = /^(\d+)\/(\d+)$/.exec(value);
      const limit = Number(match?.[1]);
      const windowSeconds = Number(match?.[2]);
      if (!match || limit < 1 || windowSeconds < 1) return fail(name, 'LIMIT/SECONDS, e.g. 20/60');
      return { limit, windowSeconds };
    },
    /** `true`, a hop count, or comma-separated IPs and CIDR ranges (what proxy-addr takes). */
    trustProxy(name: string): boolean | number | string[] | undefined {
      const value = raw(name);
      if (value === undefined || value.toLowerCase() === 'false') return undefined;
      if (value.toLowerCase() === 'true') return true;
      if (/^\d+$/.test(value)) return Number(value);
      const items = value.split(',').map((item) => item.trim());
      return items.every(isAddressOrRange) ? items : fail(name, 'true, a hop count, or IPs/CIDRs');
    },
    base64Key(name: string, bytes: number): Buffer | undefined {
      const value = raw(name);
      if (value === undefined) return undefined;
      const key = Buffer.from(value, 'base64');
      if (key.length !== bytes || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
        return fail(name, `${bytes} bytes in base64 (openssl rand -base64 ${bytes})`);
      }
      return key;
    },
  };
}
