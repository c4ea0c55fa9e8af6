/**
 * The stable code (and its values) of one zod issue, shared by the server (a 400's `fieldCodes`) and
 * the web forms (a field's message before anything is sent), so that one rule reads the same words
 * wherever it is broken.
 */
import type { FieldErrorCode, FieldParams } from './api.js';
import { FIELD_MESSAGES, type FieldMessageCode } from './field-messages.js';

/** One zod issue: its kind (`code`), its message when written, and the values zod reports beside it. */
export interface IssueLike {
  code: string;
  message?: string | undefined;
  [param: string]: unknown;
}

/** One field's problem: a stable code (none for a message to show as written), its text and values. */
export interface IssueProblem {
  code: FieldErrorCode | undefined;
  message: string;
  params?: FieldParams;
}

/** The code of each message a schema writes (the type checks every one is a field error code). */
const CODE_OF_MESSAGE = new Map<string, FieldErrorCode>(
  (Object.entries(FIELD_MESSAGES) as [FieldMessageCode, string][]).map(([code, message]) => [message, code]),
);

/**
 * The stable code (and its values) of one zod issue, by its kind and what it applies to. A message
 * the schema wrote itself gets its own code (FIELD_MESSAGES), or none if it has none, so that no
 * client swaps a precise message for a generic one.
 */
export function problemOfIssue(issue: IssueLike): IssueProblem {
  const message = issue.message ?? 'is not valid';
  const origin = issue.origin === 'string' ? 'string' : issue.origin === 'array' || issue.origin === 'set' ? 'array' : 'number';
  const bound = (key: 'minimum' | 'maximum') => {
    const value = issue[key];
    return typeof value === 'number' ? { [key]: value } : typeof value === 'bigint' ? { [key]: Number(value) } : undefined;
  };
  switch (issue.code) {
    case 'too_small':
      if (origin === 'string')
        return Number(issue.minimum) === 1 ? { code: 'required', message } : { code: 'too_short', message, params: bound('minimum')! };
      return { code: origin === 'array' ? 'too_few' : 'too_small', message, params: bound('minimum')! };
    case 'too_big':
      return { code: origin === 'string' ? 'too_long' : origin === 'array' ? 'too_many' : 'too_large', message, params: bound('maximum')! };
    case 'invalid_type':
      // A missing field: zod names what it received in its message (the server does not pass the input on).
      return {
        code: /received undefined$/.test(message) || ('input' in issue && issue.input === undefined) ? 'required' : 'invalid_type',
        message,
      };
    case 'invalid_format':
      return { code: CODE_OF_MESSAGE.get(message) ?? (issue.format === 'regex' ? undefined : 'invalid_format'), message };
    case 'invalid_value':
      return { code: 'invalid_choice', message };
    case 'custom':
      return { code: CODE_OF_MESSAGE.get(message) ?? (message === 'Invalid input' ? 'invalid' : undefined), message };
    default:
      return { code: 'invalid', message };
  }
}
