/**
 * Unicode NFKC normalisation (NIST SP 800-63B rev. 4): the same password typed on different
 * keyboards or input methods (fullwidth letters, ligatures, composed or decomposed accents)
 * becomes the same string. Case is kept. Every check and every hash starts from this form.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}
