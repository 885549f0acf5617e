import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { MfaProofDto, TotpCodeDto } from './mfa.dto';

async function errorsOf(type: new () => object, body: object): Promise<string[]> {
  const errors = await validate(plainToInstance(type, body), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  return errors.map((error) => error.property);
}

describe('TotpCodeDto', () => {
  it('takes exactly six digits', async () => {
    expect(await errorsOf(TotpCodeDto, { code: '123456' })).toEqual([]);
    for (const code of ['12345', '1234567', 'abcdef', 123456, null, ' 123456']) {
      expect(await errorsOf(TotpCodeDto, { code })).toEqual(['code']);
    }
  });
});

describe('MfaProofDto', () => {
  it('takes a six-digit code or a password', async () => {
    expect(await errorsOf(MfaProofDto, { code: '123456' })).toEqual([]);
    expect(await errorsOf(MfaProofDto, { password: 'correct horse battery staple' })).toEqual([]);
  });

  it('refuses neither, both, or a malformed code', async () => {
    expect(await errorsOf(MfaProofDto, {})).not.toEqual([]);
    expect(await errorsOf(MfaProofDto, { code: '123456', password: 'pw' })).toContain('code');
    expect(await errorsOf(MfaProofDto, { code: '12345' })).toEqual(['code']);
    expect(await errorsOf(MfaProofDto, { code: null })).toEqual(['code']);
    expect(await errorsOf(MfaProofDto, { password: 7 })).toEqual(['password']);
  });
});
