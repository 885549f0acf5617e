import { Matches } from 'class-validator';

/**
 * Refuses control characters (NUL, CR/LF, ANSI escapes) in free text: PostgreSQL cannot store
 * NUL, and the others only serve log and header injection.
 */
export const IsPlainText = () =>
  Matches(/^[^\p{Cc}]*$/u, { message: '$property must not contain control characters' });
