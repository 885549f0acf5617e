import { looksLikeEmail, normalizeEmail } from './email';

describe('email normalisation', () => {
  it('trims, lowercases and applies NFKC so that one person holds one account', () => {
    expect(normalizeEmail('  Alice@Example.COM ')).toBe('alice@example.com');
    expect(normalizeEmail('ａｌｉｃｅ@example.com')).toBe('alice@example.com');
  });

  it('accepts ordinary and international addresses', () => {
    expect(looksLikeEmail('alice@example.com')).toBe(true);
    expect(looksLikeEmail('zoë@exämple.de')).toBe(true);
  });

  it('refuses strings that are not addresses', () => {
    for (const bad of ['alice', 'a@b', 'a b@example.com', 'a@@example.com', 'a@exa\nmple.com']) {
      expect(looksLikeEmail(bad)).toBe(false);
    }
  });
});
