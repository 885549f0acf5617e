import type { AppConfig } from '../config/config';
import { Problem } from '../common/problem';
import type { RequestContext } from '../common/request-context';
import { AccountAttempts, accountKey } from './account-attempts';
import { MetricsService } from '../metrics/metrics.service';
import { MemoryCounters } from './memory-counters';
import { RateLimitRefusal } from './rate-limit-refusal';

const CONTEXT: RequestContext = { requestId: 'r1', ip: '192.0.2.1', userAgent: null };

function setup(limit = 3) {
  const audit = { record: jest.fn().mockResolvedValue(undefined) };
  const config = { loginAccountLimit: { limit, windowSeconds: 900 } } as AppConfig;
  const refusal = new RateLimitRefusal(audit as never, new MetricsService());
  return { audit, attempts: new AccountAttempts(new MemoryCounters(), config, refusal) };
}

async function refusalOf(promise: Promise<unknown>): Promise<Problem> {
  try {
    await promise;
  } catch (error) {
    return error as Problem;
  }
  throw new Error('the attempt was allowed');
}

describe('accountKey', () => {
  it('is one key for every spelling of one email, and holds no address', () => {
    const key = accountKey('alice@example.com');
    expect(accountKey('  Alice@EXAMPLE.com ')).toBe(key);
    expect(accountKey('ａｌｉｃｅ@example.com')).toBe(key);
    expect(accountKey('bob@example.com')).not.toBe(key);
    expect(key).toMatch(/^login_account:[0-9a-f]{64}$/);
  });
});

describe('AccountAttempts', () => {
  it('allows an email until its failures reach the limit, then answers 429', async () => {
    const { attempts } = setup(3);
    for (let i = 0; i < 3; i++) {
      await attempts.assertAllowed('alice@example.com', CONTEXT);
      await attempts.recordFailure('Alice@example.com');
    }

    const problem = await refusalOf(attempts.assertAllowed('alice@example.com', CONTEXT));
    expect(problem).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(problem.extras.headers?.['retry-after'])).toBeGreaterThan(890);
    await expect(attempts.assertAllowed('bob@example.com', CONTEXT)).resolves.toBeUndefined();
  });

  it('audits a refusal with the limit name and without the email', async () => {
    const { attempts, audit } = setup(1);
    await attempts.recordFailure('alice@example.com');
    await refusalOf(attempts.assertAllowed('alice@example.com', CONTEXT));

    expect(audit.record).toHaveBeenCalledWith(
      { type: 'rate_limited', outcome: 'failure', details: { limit: 'login_account' } },
      CONTEXT,
    );
    expect(JSON.stringify(audit.record.mock.calls)).not.toContain('alice');
  });
});
