/**
 * The web's one form system: react-hook-form with the zod resolver on the API's own contract, so a
 * field's rule lives once. A rule broken before sending and the same rule refused by the server (a
 * 400's `fields`) read the same words under the same field, in the reader's language (`errors.field`).
 */
import { toNestErrors, validateFieldsNatively } from '@hookform/resolvers';
import i18n from 'i18next';
import {
  get,
  useForm,
  type FieldError,
  type FieldErrors,
  type FieldPath,
  type FieldValues,
  type PathValue,
  type Resolver,
  type UseFormProps,
  type UseFormReturn,
} from 'react-hook-form';
import { z } from 'zod';
import type { FieldErrorCode, FieldParams } from '../../contracts/api.js';
import { problemOfIssue, type IssueLike } from '../../contracts/field-problems.js';
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

/**
 * The zod resolver on a contract, its messages in the reader's language: each issue's code (and
 * values) found as the server finds them for a 400, including a message the schema wrote itself,
 * then nested under its field as react-hook-form's resolvers do. An issue of the whole form (a rule
 * across fields) goes to `root`.
 */
export function contractResolver<S extends Schema>(schema: S): Resolver<z.input<S>, unknown, z.output<S>> {
  return async (values, _context, options) => {
    const result = await schema.safeParseAsync(values);
    if (result.success) {
      if (options.shouldUseNativeValidation) validateFieldsNatively({}, options);
      return { values: result.data, errors: {} };
    }
    const flat: Record<string, FieldError> = {};
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join('.') || 'root';
      flat[path] ??= { type: issue.code, message: issueMessage(issue as unknown as IssueLike) };
    }
    return { values: {}, errors: toNestErrors(flat, options) };
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
export function setServerErrors<T extends FieldValues>(
  form: ErrorTarget<T>,
  error: unknown,
  map: (path: string) => string = (p) => p,
): boolean {
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

/**
 * A contract read through the form's own shape: a form whose fields are held as people type them
 * (a blank link as '', an app picked as a whole) turns them into the request body, which the
 * contract then checks, so the rule still lives once and its issues land on the body's paths.
 */
export function draftOn<D extends FieldValues, S extends Schema>(contract: S, toBody: (draft: D) => unknown): z.ZodType<z.output<S>, D> {
  const body: z.ZodType<FieldValues, unknown> = contract;
  return z
    .custom<D>()
    .transform((draft) => toBody(draft))
    .pipe(body) as unknown as z.ZodType<z.output<S>, D>;
}

/**
 * The form's errors as flat field messages by dotted path (`custom.name`), the shape the shared
 * field groups read (`fieldError(fields, path)`), whether the browser or the server found them.
 */
export function flatErrors<T extends FieldValues>(errors: FieldErrors<T>): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = (node: unknown, path: string): void => {
    if (!node || typeof node !== 'object') return;
    const { message } = node as { message?: unknown };
    if (typeof message === 'string' && message && path) out[path] ??= message;
    for (const [key, value] of Object.entries(node))
      if (key !== 'ref' && key !== 'message' && key !== 'type' && key !== 'types') walk(value, path ? `${path}.${key}` : key);
  };
  walk(errors, '');
  return out;
}

/**
 * Sets the fields a shared field group changed (`onChange(patch)`), marked as edited; once the form
 * was submitted, each is checked again as it changes, as a registered field is.
 */
export function patchValues<T extends FieldValues, O>(form: UseFormReturn<T, unknown, O>, patch: NoInfer<Partial<T>>): void {
  const shouldValidate = form.formState.isSubmitted;
  for (const [key, value] of Object.entries(patch))
    form.setValue(key as FieldPath<T>, value as PathValue<T, FieldPath<T>>, { shouldDirty: true, shouldValidate });
}
