import { STUFFING_ACCOUNTS, STUFFING_WINDOW_MS, StuffingDetector } from './stuffing-detector';

describe('the credential-stuffing detector', () => {
  it('reports an address once, when it has failed on enough different accounts', () => {
    const detector = new StuffingDetector(() => 0);
    const verdicts = Array.from({ length: STUFFING_ACCOUNTS + 3 }, (_, i) =>
      detector.failedLogin('192.0.2.1', `account-${i}`),
    );

    expect(verdicts.filter(Boolean)).toHaveLength(1);
    expect(verdicts[STUFFING_ACCOUNTS - 1]).toBe(true);
  });

  it('does not count the same account twice', () => {
    const detector = new StuffingDetector(() => 0);
    for (let i = 0; i < STUFFING_ACCOUNTS * 3; i += 1) {
      expect(detector.failedLogin('192.0.2.1', 'one-account')).toBe(false);
    }
  });

  it('counts each failure for an unknown email as another account', () => {
    const detector = new StuffingDetector(() => 0);
    const verdicts = Array.from({ length: STUFFING_ACCOUNTS }, () =>
      detector.failedLogin('192.0.2.1', null),
    );

    expect(verdicts.at(-1)).toBe(true);
  });

  it('keeps addresses apart and starts over when the window ends', () => {
    let now = 0;
    const detector = new StuffingDetector(() => now);
    for (let i = 0; i < STUFFING_ACCOUNTS - 1; i += 1) detector.failedLogin('192.0.2.1', `a${i}`);

    expect(detector.failedLogin('192.0.2.2', 'a-last')).toBe(false);
    now = STUFFING_WINDOW_MS;
    expect(detector.failedLogin('192.0.2.1', 'a-last')).toBe(false);
  });
});
