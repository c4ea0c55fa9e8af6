/**
 * The web's one form system: react-hook-form with the zod resolver on the API's own contract, so a
 * field's rule lives once. A rule broken before sending and the same rule refused by the server (a
 * 400's `fields`) read the same words under the same field, in the reader's language (`errors.field`).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import i18n from 'i18next';
import {
  get,
  useForm,
  type FieldErrors,
  type FieldPath,
  type FieldValues,
  type Resolver,
  type UseFormProps,
  type UseFormReturn,
} from 'react-hook-form';
import type { z } from 'zod';
import type { FieldErrorCode, FieldParams } from '../../contracts/api.js';
import { codeOfMessage, problemOfIssue, type IssueLike } from '../../contracts/field-problems.js';
import { ApiError } from './api.js';
import { fieldsOf } from './errors.js';
import { translateFields } from './field-messages.js';

type Schema = z.ZodType<FieldValues, FieldValues>;

/** A field message in the current language, through the same mapping as a 400's `fields`. */
function translated(message: string, code: FieldErrorCode | undefined, params?: FieldParams): string {
  if (!code) return message;
  const error = new ApiError(400, {
    code: 'validation',
    fields: { field: message },
    fieldCodes: { field: code },
    ...(params ? { fieldParams: { field: params } } : {}),
  });
  return translateFields(i18n, error).field ?? message;
}

/** The message of one zod issue the schema left unwritten, in the reader's language. */
export function issueMessage(issue: IssueLike): string {
  const { code, message, params } = problemOfIssue(issue);
  return translated(message, code, params);
}

/** Messages a schema wrote itself (FIELD_MESSAGES) are translated by their code; others stay as written. */
function translateWritten(errors: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(errors)) {
    if (key === 'ref' || !value || typeof value !== 'object') continue;
    const error = value as { message?: unknown };
    if (typeof error.message === 'string') {
      const code = codeOfMessage(error.message);
      if (code) error.message = translated(error.message, code);
    }
    translateWritten(value as Record<string, unknown>);
  }
}

/** The zod resolver on a contract, its messages in the reader's language. */
export function contractResolver<S extends Schema>(schema: S): Resolver<z.input<S>, unknown, z.output<S>> {
  const resolve = zodResolver(schema, {
    // The message of an issue the schema did not write: by its code, as the server's `fieldCodes`.
    error: (issue) => issueMessage({ ...(issue as unknown as IssueLike), message: undefined }),
  }) as unknown as Resolver<z.input<S>, unknown, z.output<S>>;
  return async (values, context, options) => {
    const result = await resolve(values, context, options);
    translateWritten(result.errors as Record<string, unknown>);
    return result;
  };
}

/**
 * A form on a contract (or a part of one: `.pick`, `.extend`, `.omit`): checked on submit, then
 * again as the person corrects a field; the first invalid field takes the focus.
 */
export function useContractForm<S extends Schema>(
  schema: S,
  options: Omit<UseFormProps<z.input<S>, unknown, z.output<S>>, 'resolver'> = {},
): UseFormReturn<z.input<S>, unknown, z.output<S>> {
  return useForm<z.input<S>, unknown, z.output<S>>({
    mode: 'onSubmit',
    reValidateMode: 'onChange',
    shouldFocusError: true,
    ...options,
    resolver: contractResolver(schema),
  });
}

/** The narrow part of a form `setServerErrors` needs (so a test can give a plain form). */
type ErrorTarget<T extends FieldValues> = Pick<UseFormReturn<T, unknown, never>, 'setError'>;

/**
 * Puts a 400's field errors into the form, each under its field in the reader's language, and
 * moves the focus to the first. Returns whether there were any (a refusal without fields, a rate
 * limit, is for the form's alert).
 */
export function setServerErrors<T extends FieldValues>(form: ErrorTarget<T>, error: unknown, map: (path: string) => string = (p) => p): boolean {
  const fields = Object.entries(fieldsOf(error));
  fields.forEach(([path, message], index) => {
    form.setError(map(path) as FieldPath<T>, { type: 'server', message }, { shouldFocus: index === 0 });
  });
  return fields.length > 0;
}

/** The message of a field and of anything under it (an array's items), for the field's `error`. */
export function errorOf<T extends FieldValues>(errors: FieldErrors<T>, path: string): string | undefined {
  const messages: string[] = [];
  const collect = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const { message } = node as { message?: unknown };
    if (typeof message === 'string' && message) messages.push(message);
    for (const [key, value] of Object.entries(node)) if (key !== 'ref' && key !== 'message' && key !== 'type') collect(value);
  };
  collect(get(errors, path));
  return messages.length > 0 ? [...new Set(messages)].join('; ') : undefined;
}
