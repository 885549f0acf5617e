import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AuditRecord } from '../audit/audit.service';

/** Label values taken from records only when they are one of these: labels stay bounded. */
const GRANTS = new Set(['password', 'mfa', 'refresh_token', 'client_credentials']);
const LIMITS = new Set(['login_ip', 'login_account', 'api']);

function bounded(value: unknown, allowed: Set<string>): string {
  return typeof value === 'string' && allowed.has(value) ? value : 'other';
}

/**
 * The service's Prometheus metrics, one registry per app (so several apps in one process, as in
 * the tests, do not mix). Labels never hold an IP, an email or an id. Most counters are fed from
 * the audit records, which already mark every outcome worth counting.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly auditEvents = new Counter({
    name: 'tessera_audit_events_total',
    help: 'Security events recorded, by type and outcome',
    labelNames: ['type', 'outcome'],
    registers: [this.registry],
  });
  private readonly logins = new Counter({
    name: 'tessera_logins_total',
    help: 'Login attempts, by outcome and the factors a success used',
    labelNames: ['outcome', 'factors'],
    registers: [this.registry],
  });
  private readonly mfaVerifications = new Counter({
    name: 'tessera_mfa_verifications_total',
    help: 'Second-factor codes checked at login, by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly tokensIssued = new Counter({
    name: 'tessera_tokens_issued_total',
    help: 'Access tokens issued, by the grant that led to them',
    labelNames: ['grant'],
    registers: [this.registry],
  });
  private readonly refreshReuse = new Counter({
    name: 'tessera_refresh_token_reuse_total',
    help: 'Retired refresh tokens presented again (each revoked its session)',
    registers: [this.registry],
  });
  private readonly rateLimited = new Counter({
    name: 'tessera_rate_limited_total',
    help: 'Requests refused by a rate limit, by limit',
    labelNames: ['limit'],
    registers: [this.registry],
  });
  private readonly permissionChecks = new Counter({
    name: 'tessera_permission_checks_total',
    help: 'Permission decisions, by where they were asked and their outcome',
    labelNames: ['source', 'outcome'],
    registers: [this.registry],
  });
  private readonly blockedRequests = new Counter({
    name: 'tessera_blocked_requests_total',
    help: 'Requests refused because their address is on the IP block list',
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: 'tessera_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route template and status class',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Sets how the active-sessions gauge is read at scrape time. */
  trackActiveSessions(count: () => Promise<number | undefined>): void {
    new Gauge({
      name: 'tessera_active_sessions',
      help: 'Sessions that are neither revoked nor expired',
      registers: [this.registry],
      async collect() {
        const value = await count();
        if (value !== undefined) this.set(value);
      },
    });
  }

  countBlockedRequest(): void {
    this.blockedRequests.inc();
  }

  /** Counts a permission decision: `check` for /v1/authz/check, `route` for guarded routes. */
  countPermissionCheck(source: 'check' | 'route', allowed: boolean): void {
    this.permissionChecks.inc({ source, outcome: allowed ? 'allowed' : 'denied' });
  }

  /** Counts one refused request; the audit trail records only the first refusal of a window. */
  countRateLimited(limit: string): void {
    this.rateLimited.inc({ limit: bounded(limit, LIMITS) });
  }

  /** Feeds the counters from one audit record. */
  countAudit(record: AuditRecord): void {
    this.auditEvents.inc({ type: record.type, outcome: record.outcome });
    const details = record.details ?? {};
    switch (record.type) {
      case 'login.succeeded': {
        const viaMfa = details.mfa !== undefined;
        this.logins.inc({ outcome: 'success', factors: viaMfa ? 'pwd+otp' : 'pwd' });
        if (viaMfa) this.mfaVerifications.inc({ outcome: 'success' });
        this.tokensIssued.inc({ grant: viaMfa ? 'mfa' : 'password' });
        break;
      }
      case 'login.failed':
        this.logins.inc({ outcome: 'failure', factors: 'pwd' });
        break;
      case 'mfa.failed':
        this.mfaVerifications.inc({ outcome: 'failure' });
        break;
      case 'token.refreshed':
        this.tokensIssued.inc({ grant: 'refresh_token' });
        break;
      case 'token.issued':
        this.tokensIssued.inc({ grant: bounded(details.grant, GRANTS) });
        break;
      case 'token.reuse_detected':
        this.refreshReuse.inc();
        break;
      case 'authz.denied':
        this.countPermissionCheck('route', false);
        break;
    }
  }
}
