/** What enrolling answers, once: the secret, its otpauth URI and a PNG QR code of the URI. */
export interface TotpEnrollment {
  secret: string;
  otpauthUri: string;
  qrCode: string;
}

/** What proves the caller may change MFA: a current code or the account password, not both. */
export interface MfaProof {
  code?: string;
  password?: string;
}
