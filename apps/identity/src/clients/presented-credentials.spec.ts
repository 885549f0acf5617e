import { OAuthError } from '../common/problem';
import { basicCredentials, presentedCredentials } from './presented-credentials';

function basic(userPass: string): string {
  return `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;
}

describe('reading client credentials', () => {
  describe('from an Authorization: Basic header', () => {
    it('returns the id and secret split at the first colon', () => {
      expect(basicCredentials(basic('svc_abc:s3cr:et'))).toEqual({
        clientId: 'svc_abc',
        secret: 's3cr:et',
      });
    });

    it('form-urldecodes the id and the secret, as RFC 6749 §2.3.1 asks', () => {
      const header = basic('svc%5Fab%2Dc:p%25ss+w%3Ard%2B');

      expect(basicCredentials(header)).toEqual({ clientId: 'svc_ab-c', secret: 'p%ss w:rd+' });
    });

    it('reads the scheme in any letter case and base64 without padding', () => {
      const unpadded = Buffer.from('svc_a:bc').toString('base64').replace(/=+$/, '');

      expect(basicCredentials(`bAsIc ${unpadded}`)).toEqual({ clientId: 'svc_a', secret: 'bc' });
    });

    it.each([
      ['base64 with characters outside its alphabet', 'Basic c3ZjX2E6Yg*='],
      ['base64 of an impossible length', 'Basic c3ZjX'],
      ['no colon between id and secret', basic('svc_abc')],
      ['an empty client id', basic(':secret')],
      ['a broken percent escape', basic('svc_%zz:secret')],
      ['bytes that are not UTF-8', `Basic ${Buffer.from([0xff, 0x3a, 0x61]).toString('base64')}`],
      ['another scheme', 'Bearer abc.def.ghi'],
      ['a scheme without credentials', 'Basic '],
      ['an oversized header', basic(`svc_a:${'x'.repeat(4096)}`)],
    ])('refuses %s', (_, header) => {
      expect(basicCredentials(header)).toBeUndefined();
    });
  });

  describe('from a request', () => {
    it('takes client_secret_basic from the header', () => {
      expect(presentedCredentials(basic('svc_a:b'), {})).toEqual({
        method: 'client_secret_basic',
        clientId: 'svc_a',
        secret: 'b',
      });
    });

    it('takes client_secret_post from the body', () => {
      expect(presentedCredentials(undefined, { client_id: 'svc_a', client_secret: 'b' })).toEqual({
        method: 'client_secret_post',
        clientId: 'svc_a',
        secret: 'b',
      });
    });

    it('treats a bare client_id as a public client and nothing as no client', () => {
      expect(presentedCredentials(undefined, { client_id: 'tessera' })).toEqual({
        method: 'none',
        clientId: 'tessera',
      });
      expect(presentedCredentials(undefined, {})).toEqual({ method: 'none' });
    });

    it('reports an unreadable Basic header as a Basic attempt without an id', () => {
      expect(presentedCredentials('Basic !!!', {})).toEqual({ method: 'client_secret_basic' });
    });

    it('accepts a Basic client repeating its own id in the body', () => {
      expect(presentedCredentials(basic('svc_a:b'), { client_id: 'svc_a' })).toMatchObject({
        method: 'client_secret_basic',
        clientId: 'svc_a',
      });
    });

    it.each([
      ['both methods at once', basic('svc_a:b'), { client_id: 'svc_a', client_secret: 'b' }],
      ['a body secret beside a malformed header', 'Basic !!!', { client_secret: 'b' }],
      ['a body client_id that differs from the header', basic('svc_a:b'), { client_id: 'svc_z' }],
      ['a secret without a client_id', undefined, { client_secret: 'b' }],
    ])('refuses %s as invalid_request', (_, header, params) => {
      const attempt = () => presentedCredentials(header, params);

      expect(attempt).toThrow(OAuthError);
      expect(attempt).toThrow(expect.objectContaining({ status: 400, error: 'invalid_request' }));
    });
  });
});
