/**
 * The web's form helper: a contract's rule broken in the browser and the same rule refused by the
 * server read the same words, in the reader's language, under the same field.
 */
import i18n from 'i18next';
import { createFormControl, type FieldErrors, type FieldValues, type ResolverOptions } from 'react-hook-form';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitationCreateSchema, inventoryCreateSchema } from '../../src/contracts/api.js';
import { passwordResetCompleteSchema } from '../../src/contracts/auth.js';
import { ApiError } from '../../src/web/lib/api.js';
import { contractResolver, draftOn, errorOf, flatErrors, setServerErrors } from '../../src/web/lib/form.js';
import { en } from '../../src/web/i18n/en.js';
import { fr } from '../../src/web/i18n/fr.js';
import { buildTenantWithUsers, type Client } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let siteAdmin: Client;

beforeAll(async () => {
  await i18n.init({
    lng: 'fr',
    resources: { en: { translation: en }, fr: { translation: fr } },
    fallbackLng: false,
    interpolation: { escapeValue: false },
  });
  t = await createTestApp();
  ({ siteAdmin } = await buildTenantWithUsers(t.app, t.database.db));
});
afterAll(async () => t?.close());

const invitation = { email: 'not an address', firstName: '', lastName: 'Tremblay', role: 'app_admin', canApprove: false };
const resolverOptions: ResolverOptions<FieldValues> = { fields: {}, names: undefined, shouldUseNativeValidation: false };

/** The server's answer to a body, as the web client sees it. */
async function serverError(body: unknown): Promise<ApiError> {
  const res = await siteAdmin.request('POST', '/api/v1/invitations', body);
  expect(res.statusCode).toBe(400);
  return new ApiError(res.statusCode, res.json<{ error: ConstructorParameters<typeof ApiError>[1] }>().error);
}

/** A form with no React around it, holding the server's field errors. */
function formWith(error: unknown): { errors: FieldErrors; any: boolean } {
  const form = createFormControl({ defaultValues: invitation });
  const any = setServerErrors(form, error);
  return { errors: form.control._formState.errors, any };
}

describe('contract forms', () => {
  it('a 400 puts its field errors under their fields, in the reader’s language', async () => {
    const { errors, any } = formWith(await serverError(invitation));
    expect(any).toBe(true);
    expect(errorOf(errors, 'firstName')).toBe(fr.errors.field.required);
    expect(errorOf(errors, 'email')).toBe(fr.errors.field.invalid_format);
    expect(errorOf(errors, 'lastName')).toBeUndefined();
  });

  it('a zod issue in the browser reads the same words on the same field as the server’s answer', async () => {
    const server = formWith(await serverError(invitation)).errors;
    const client = (await contractResolver(invitationCreateSchema)(invitation as never, undefined, resolverOptions as never)).errors;
    for (const field of ['email', 'firstName', 'lastName', 'role']) expect(errorOf(client, field), field).toBe(errorOf(server, field));
  });

  it('a bound the rule names is shown with its value, by the server and the browser alike', async () => {
    const long = { ...invitation, email: 'ada@example.org', firstName: 'x'.repeat(101) };
    const server = formWith(await serverError(long)).errors;
    const client = (await contractResolver(invitationCreateSchema)(long as never, undefined, resolverOptions as never)).errors;
    expect(errorOf(server, 'firstName')).toBe('Utilisez au plus 100 caractères');
    expect(errorOf(client, 'firstName')).toBe(errorOf(server, 'firstName'));
  });

  it('a message the schema wrote itself reads as the server’s code for it', async () => {
    const body = { token: 'x'.repeat(20), password: 'short' };
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/password-resets/complete', payload: body });
    expect(res.statusCode).toBe(400);
    const server = formWith(new ApiError(400, res.json<{ error: ConstructorParameters<typeof ApiError>[1] }>().error)).errors;
    const client = (await contractResolver(passwordResetCompleteSchema)(body as never, undefined, resolverOptions as never)).errors;
    expect(errorOf(server, 'password')).toBe('Utilisez au moins 12 caractères');
    expect(errorOf(client, 'password')).toBe(errorOf(server, 'password'));
  });

  it('a refusal without fields leaves the form alone (the alert tells it)', () => {
    const { errors, any } = formWith(new ApiError(429, { code: 'rate_limited', message: 'Too many attempts' }));
    expect(any).toBe(false);
    expect(errors).toEqual({});
  });
});

describe('a form held in its own shape', () => {
  /** A custom app as typed: a blank website is none, the vendor trimmed. */
  interface Draft extends FieldValues {
    name: string;
    vendor: string;
    website: string;
    purpose: string;
  }
  const bodyOf = ({ name, vendor, website, purpose }: Draft) => ({
    purpose,
    custom: { name, vendor: vendor.trim(), website: website.trim() === '' ? null : website.trim() },
  });
  const resolver = contractResolver(draftOn(inventoryCreateSchema, bodyOf));
  const resolve = (draft: Draft) => resolver(draft, undefined, resolverOptions as never);

  it('is checked as the body it sends, its issues on the body’s paths as the server answers them', async () => {
    const draft = { name: '  ', vendor: 'Acme', website: 'not a link', purpose: 'Reading' };
    const client = (await resolve(draft)).errors;
    const res = await siteAdmin.request('POST', '/api/v1/inventory', bodyOf(draft));
    expect(res.statusCode).toBe(400);
    const server = formWith(new ApiError(400, res.json<{ error: ConstructorParameters<typeof ApiError>[1] }>().error)).errors;
    expect(Object.keys(flatErrors(client)).sort()).toEqual(['custom.name', 'custom.website']);
    expect(flatErrors(client)).toEqual(flatErrors(server));
    expect(errorOf(client, 'custom.name')).toBe(fr.errors.field.required);
  });

  it('hands the submit the body the contract made of it', async () => {
    const { values, errors } = await resolve({ name: ' Reader ', vendor: ' Acme ', website: ' ', purpose: 'Reading' });
    expect(errors).toEqual({});
    expect(values).toEqual({ purpose: 'Reading', custom: { name: 'Reader', vendor: 'Acme', website: null } });
  });
});
