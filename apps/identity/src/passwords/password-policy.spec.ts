import { dictionary } from '@zxcvbn-ts/language-common';
import { normalizePassword, PasswordPolicy, PolicyViolationCode } from './password-policy';

const policy = new PasswordPolicy({ kind: 'bcrypt', bcryptCost: 10, minLength: 8 });
const codes = (password: string): PolicyViolationCode[] =>
  policy.check(password).map((v) => v.code);

describe('PasswordPolicy', () => {
  it('accepts a long, uncommon passphrase', () => {
    expect(policy.check('correct horse battery staple')).toEqual([]);
  });

  it('needs no digits, symbols or capitals (no composition rules)', () => {
    expect(policy.check('plainlowercaseletters')).toEqual([]);
  });

  it('refuses a password shorter than the minimum length', () => {
    expect(codes('qz7#kpw')).toEqual(['too_short']);
    expect(codes('qz7#kpwm')).toEqual([]);
  });

  it('uses the configured minimum length', () => {
    const strict = new PasswordPolicy({ kind: 'bcrypt', bcryptCost: 10, minLength: 15 });
    expect(strict.check('qz7#kpwm-vb2').map((v) => v.code)).toEqual(['too_short']);
    expect(strict.check('qz7#kpwm-vb2rtx')).toEqual([]);
  });

  it('counts length in code points, so an emoji counts as one character', () => {
    // Seven emoji are 14 UTF-16 units but 7 code points.
    expect(codes('🔑🌵🎲🦊🚲🍋🧭')).toEqual(['too_short']);
    expect(codes('🔑🌵🎲🦊🚲🍋🧭🎻')).toEqual([]);
  });

  it('accepts 128 code points and refuses 129', () => {
    const unit = 'qz7#kpwm-vb2rtx!'; // 16 characters, not a short repeated unit
    expect(codes(unit.repeat(8))).toEqual([]);
    expect(codes(unit.repeat(8) + 'a')).toEqual(['too_long']);
  });

  it('counts the maximum in code points, so 128 emoji are allowed', () => {
    const emoji = ['🔑', '🌵', '🎲', '🦊', '🚲', '🍋', '🧭', '🎻'];
    const password = Array.from({ length: 128 }, (_, i) => emoji[(i * 5 + (i >> 3)) % 8]).join('');
    expect(password.length).toBe(256);
    expect(codes(password)).toEqual([]);
    expect(codes(password + '🔑')).toEqual(['too_long']);
  });

  it('refuses a 10,000-character password as too long, quickly', () => {
    const started = performance.now();
    for (let i = 0; i < 1000; i++) {
      expect(codes('x'.repeat(9_999) + String(i % 10))).toEqual(['too_long']);
    }
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a password containing a NUL character', () => {
    expect(codes('qz7#kpwm\u0000vb2rtx')).toEqual(['nul_byte']);
  });

  it('refuses a password on the common-password list whatever its case', () => {
    const common = dictionary['passwords-common'];
    expect(common).toContain('password1');
    expect(common).toContain('iloveyou');
    expect(codes('password1')).toEqual(['common_password']);
    expect(codes('PassWord1')).toEqual(['common_password']);
    expect(codes('ILOVEYOU')).toEqual(['common_password']);
  });

  it('compares against the common-password list after NFKC normalisation', () => {
    // Fullwidth 'ｐａｓｓｗｏｒｄ１' normalises to 'password1'.
    expect(codes('\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44\uff11')).toEqual([
      'common_password',
    ]);
  });

  it('refuses one character repeated', () => {
    expect(codes('aaaaaaaaaaaaaaaa')).toContain('repetitive');
    expect(codes('🦊🦊🦊🦊🦊🦊🦊🦊')).toEqual(['repetitive']);
  });

  it('refuses a unit of up to four characters repeated, whatever its case', () => {
    expect(codes('abcabcabcabcabcabc')).toEqual(['repetitive']);
    expect(codes('xq7!xq7!xq7!')).toEqual(['repetitive']);
    expect(codes('XyZXyzxYzxyz')).toEqual(['repetitive']);
  });

  it('accepts a repeated unit of five or more characters, or a repetition with a tail', () => {
    expect(codes('kq7!zkq7!zkq7!z')).toEqual([]);
    expect(codes('abcabcabcabcabcab')).toEqual([]);
  });

  it('reports every rule broken at once', () => {
    expect(codes('aaa\u0000')).toEqual(['too_short', 'nul_byte']);
  });

  it('never echoes the password in its messages', () => {
    const password = 'password1';
    for (const violation of policy.check(password)) {
      expect(violation.message).not.toContain(password);
    }
    for (const violation of policy.check('x'.repeat(200))) {
      expect(violation.message).not.toContain('xxx');
    }
  });

  it('refuses options outside the configured ranges', () => {
    expect(() => new PasswordPolicy({ kind: 'bcrypt', bcryptCost: 10, minLength: 7 })).toThrow();
  });
});

describe('normalizePassword', () => {
  it('applies NFKC and keeps case', () => {
    expect(normalizePassword('\uff23orrect')).toBe('Correct');
    expect(normalizePassword('ﬁne')).toBe('fine');
    expect(normalizePassword('e\u0301')).toBe('\u00e9');
    expect(normalizePassword('MiXeD')).toBe('MiXeD');
  });
});
