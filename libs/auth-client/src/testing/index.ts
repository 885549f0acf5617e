export {
  createTestIssuer,
  issueTestToken,
  type TestIssuer,
  type TestIssuerOptions,
  type TestTokenClaims,
  type TestTokenShape,
} from './test-issuer';
