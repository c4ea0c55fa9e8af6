import { AppError } from '../../platform/errors.js';
import { COMMON_PASSWORDS } from './common-passwords.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

const common = new Set(COMMON_PASSWORDS);
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };

/** Folds case, surrounding digits and symbols, and leetspeak: `P@ssw0rd2024!` → `password`. */
function core(password: string): string[] {
  const lower = password.toLowerCase().normalize('NFKC');
  const strip = (s: string) => s.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const trimmed = strip(lower);
  // Leetspeak inside the word only, once the surrounding digits and symbols are gone.
  const inner = lower.replace(/^[^a-z@$]+|[^a-z]+$/g, '');
  const unleet = strip(inner.replace(/[013457@$!]/g, (c) => LEET[c] ?? c));
  return [lower, trimmed, unleet, lower.replace(/\s+/g, '')];
}

/** Why a password is refused, or null. Context: the person's email and names (never allowed inside it). */
export function passwordProblem(password: string, context: { email?: string; firstName?: string; lastName?: string } = {}): string | null {
  // Security: ASVS counts characters after folding runs of spaces; we count code points as typed.
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const forms = core(password);
  if (forms.some((f) => f === '' || common.has(f))) return 'is too common; choose a longer phrase of unrelated words';
  if (new Set(password.toLowerCase()).size <= 3) return 'repeats too few characters';
  const lower = password.toLowerCase();
  const personal = [context.email?.split('@')[0], context.firstName, context.lastName].filter((w): w is string => !!w && w.length >= 4);
  if (personal.some((w) => lower.includes(w.toLowerCase()))) return 'must not contain your name or email';
  return null;
}

/** Throws a field-level 400 when the password is refused. */
export function assertPasswordAllowed(password: string, context: Parameters<typeof passwordProblem>[1] = {}, field = 'password'): void {
  const problem = passwordProblem(password, context);
  if (problem) throw new AppError('validation', 'Some fields are not valid', { [field]: problem });
}
