import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { institutions } from '../../db/schema/index.js';
import type { AppContext } from '../../platform/context.js';
import { withSystem } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { commonPasswords, PRODUCT_WORDS } from './common-passwords.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };
/** Words of institution names too ordinary to refuse on their own ("Cedar Valley School District" → cedar, valley). */
const GENERIC_NAME_WORDS = new Set([
  'school',
  'schools',
  'district',
  'division',
  'regional',
  'board',
  'public',
  'catholic',
  'county',
  'unified',
  'academy',
  'college',
  'elementary',
  'secondary',
  'high',
  'middle',
  'centre',
  'center',
  'education',
  'scolaire',
  'commission',
  'conseil',
  'ecole',
  'ecoles',
  'the',
  'and',
  'des',
  'de',
  'du',
  'la',
  'le',
  'of',
]);

/** Who a password is for: their names and email, and their institution's name. */
export interface PasswordContext {
  email?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  institutionName?: string | null | undefined;
}

/** Lower case, accents removed: `École Saint-Jean` → `ecole saint-jean`. */
const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
/** Letters only: `Cedar-Valley 2024` → `cedarvalley`. */
const lettersOf = (s: string) => fold(s).replace(/[^a-z]/g, '');

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

/**
 * The context-specific words refused anywhere inside a password (ASVS 6.2.11): the product's name,
 * the person's names and email local part, the institution's full name and its distinctive words.
 */
export function contextWords(context: PasswordContext): string[] {
  const words = new Set<string>(PRODUCT_WORDS);
  const local = context.email?.split('@')[0] ?? '';
  for (const w of [local, lettersOf(local), context.firstName, context.lastName]) if (w && w.length >= 4) words.add(fold(w));
  if (context.institutionName) {
    const name = lettersOf(context.institutionName);
    if (name.length >= 4) words.add(name);
    for (const w of fold(context.institutionName).split(/[^a-z]+/))
      if (w.length >= 4 && !GENERIC_NAME_WORDS.has(w)) words.add(w);
  }
  return [...words];
}

/** Why a password is refused, or null. Context: the person's email and names, their institution's name. */
export function passwordProblem(password: string, context: PasswordContext = {}): string | null {
  // Security: ASVS counts characters after folding runs of spaces; we count code points as typed.
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const common = commonPasswords();
  if (core(password).some((f) => f === '' || common.has(f))) return 'is too common; choose a longer phrase of unrelated words';
  if (new Set(password.toLowerCase()).size <= 3) return 'repeats too few characters';
  const lower = fold(password);
  const letters = lettersOf(password);
  if (contextWords(context).some((w) => lower.includes(w) || letters.includes(w.replace(/[^a-z]/g, '') || w)))
    return 'must not contain your name, your email, your institution’s name or the name of this service';
  return null;
}

/** Throws a field-level 400 when the password is refused by the offline rules. */
export function assertPasswordAllowed(password: string, context: PasswordContext = {}, field = 'password'): void {
  const problem = passwordProblem(password, context);
  if (problem) throw new AppError('validation', 'Some fields are not valid', { [field]: problem });
}

const BREACH_TIMEOUT_MS = 3000;

/**
 * Asks a "Pwned Passwords" range service (k-anonymity: only the first 5 hex characters of the
 * password's SHA-1 leave the server; the answer lists suffixes with counts, padded with zero-count
 * decoys). True when the password appears in a breach, false when not, null when the service could
 * not answer (the caller fails open).
 */
export async function isBreachedPassword(baseUrl: string, password: string): Promise<boolean | null> {
  const sha1 = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
  const prefix = sha1.slice(0, 5);
  const suffix = sha1.slice(5);
  try {
    const res = await fetch(`${baseUrl.replace(/\/?$/, '/')}${prefix}`, {
      headers: { 'add-padding': 'true', 'user-agent': 'Vetted password check' },
      signal: AbortSignal.timeout(BREACH_TIMEOUT_MS),
    });
    if (!res.ok) return null;
    for (const line of (await res.text()).split('\n')) {
      const [s, count] = line.trim().split(':');
      if (s?.toUpperCase() === suffix) return Number(count) > 0;
    }
    return false;
  } catch {
    return null;
  }
}

/**
 * Every new password goes through here: length, the common list, context words and, when
 * `BREACHED_PASSWORDS_URL` is set, the breach corpus.
 */
export function createPasswordPolicy(ctx: Pick<AppContext, 'db' | 'config'>, log: (msg: string) => void = () => {}) {
  const { db, config } = ctx;
  return {
    /** Throws a field-level 400 when refused. `who.tenantId` names the institution whose name is refused. */
    async assertAllowed(password: string, who: PasswordContext & { tenantId?: string | null }, field = 'password'): Promise<void> {
      let institutionName = who.institutionName ?? null;
      if (institutionName === null && who.tenantId) {
        const [row] = await withSystem(db, (tx) =>
          tx.select({ name: institutions.name }).from(institutions).where(eq(institutions.id, who.tenantId!)),
        );
        institutionName = row?.name ?? null;
      }
      assertPasswordAllowed(password, { ...who, institutionName }, field);
      if (!config.breachedPasswordsUrl) return;
      const breached = await isBreachedPassword(config.breachedPasswordsUrl, password);
      // Security: fails open (the offline rules still applied); the line names no password or hash.
      if (breached === null) log('the breached-password service did not answer; the password was checked offline only');
      if (breached)
        throw new AppError('validation', 'Some fields are not valid', {
          [field]: 'appears in known data breaches; choose another one',
        });
    },
  };
}
export type PasswordPolicy = ReturnType<typeof createPasswordPolicy>;
