import { AlertableEvent, alertKindOf } from './alert-rules';

function event(type: string, details: AlertableEvent['details'] = {}, outcome = 'success') {
  return {
    id: 'e1',
    type,
    outcome,
    actorId: null,
    subjectId: null,
    ip: null,
    requestId: null,
    details,
  };
}

describe('which audit events raise an alert', () => {
  it.each([
    [event('token.reuse_detected', {}, 'failure'), 'refresh_token_reuse'],
    [event('rate_limited', { limit: 'login_account' }, 'failure'), 'account_locked'],
    [event('role.changed', { added: ['admin'], removed: [] }), 'admin_role_granted'],
    [event('user.created', { roles: ['user', 'admin'] }), 'admin_role_granted'],
    [event('client.created', { roles: ['admin'] }), 'admin_role_granted'],
  ])('raises %o as %s', (audit, kind) => {
    expect(alertKindOf(audit)).toBe(kind);
  });

  it.each([
    event('rate_limited', { limit: 'login_ip' }, 'failure'),
    event('role.changed', { added: ['viewer'], removed: ['admin'] }),
    event('role.changed', { added: ['admin'] }, 'failure'),
    event('login.failed', { reason: 'wrong_password' }, 'failure'),
    event('login.succeeded'),
  ])('lets %o pass without an alert', (audit) => {
    expect(alertKindOf(audit)).toBeUndefined();
  });
});
