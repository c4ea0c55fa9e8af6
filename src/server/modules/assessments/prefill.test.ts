/**
 * Adopting a PIA for an inventory item fills what the item records (grades, audiences, data
 * elements, purpose, the catalog app's storage countries), over a bank pre-answer to those questions,
 * in one audited event; an item that records none of them leaves the questions as the bank left them.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BankSectionInput } from '../../../contracts/assessments.js';
import { auditEvents } from '../../db/schema/index.js';
import { withSystem } from '../../platform/db.js';
import { buildCatalogApp, buildTenantWithUsers, buildUser, signIn, type Client } from '../../../../test/support/factories.js';
import { SAMPLE_TEMPLATE_FR, uniqueSlug } from '../../../../test/support/pia.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';

let t: TestApp;
let operator: Client;
beforeAll(async () => {
  t = await createTestApp();
  operator = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
});
afterAll(async () => t?.close());

type Json = Record<string, any>;
const db = () => t.database.db;
const fr = (prompt: string) => ({ prompt, guidance: '', choices: {}, columns: {} });
const choices = (...values: string[]) => ({ choices: values.map((value) => ({ value, label: value })) });
const frChoices = (prompt: string, ...values: string[]) => ({ ...fr(prompt), choices: Object.fromEntries(values.map((v) => [v, v])) });
const base = { guidance: '', required: false, locked: false, condition: null, jurisdictions: [] };

const SECTIONS: BankSectionInput[] = [
  {
    key: 'b-initiative',
    code: 'B',
    title: 'The initiative',
    description: '',
    fr: { title: 'L’initiative', description: '' },
    questions: [
      // The bank's generic pre-answer: the item's own purpose wins over it.
      {
        ...base,
        key: 'b.purpose',
        kind: 'long_text',
        prompt: 'Purpose?',
        options: {},
        preAnswer: 'Generic practice',
        fr: { ...fr('Finalité?'), preAnswer: 'Pratique générique' },
      },
      {
        ...base,
        key: 'b.grades',
        kind: 'multiple_choice',
        prompt: 'Grades?',
        options: choices('2', '3', '4', '5', '6'),
        fr: frChoices('Années?', '2', '3', '4', '5', '6'),
      },
      {
        ...base,
        key: 'b.audiences',
        kind: 'multiple_choice',
        prompt: 'Whose information?',
        options: choices('students', 'employees', 'parents'),
        fr: frChoices('Renseignements de qui?', 'students', 'employees', 'parents'),
      },
    ],
  },
  {
    key: 'c-data',
    code: 'C',
    title: 'Data',
    description: '',
    fr: { title: 'Données', description: '' },
    questions: [
      { ...base, key: 'c.data_elements', kind: 'data_elements', prompt: 'Which data elements?', options: {}, fr: fr('Quels éléments?') },
      { ...base, key: 'f.storage_countries', kind: 'country_list', prompt: 'Stored where?', options: {}, fr: fr('Stockées où?') },
    ],
  },
] as unknown as BankSectionInput[];

async function publishTemplate(sections: BankSectionInput[] = SECTIONS) {
  const created = await operator.request('POST', '/api/v1/bank/templates', {
    slug: uniqueSlug(),
    title: 'Prefill PIA',
    fr: SAMPLE_TEMPLATE_FR,
  });
  expect(created.statusCode, created.body).toBe(201);
  const draft = created.json().versions[0];
  const saved = await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, {
    version: draft.version,
    changeLog: 'First',
    sections,
  });
  expect(saved.statusCode, saved.body).toBe(200);
  const published = await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: saved.json().version });
  expect(published.statusCode, published.body).toBe(200);
  return published.json() as Json;
}

/** A new institution's item (`itemBody`) adopting `version`: the created assessment. */
async function adoptFor(version: Json, itemBody: Json) {
  const tenant = await buildTenantWithUsers(t.app, db());
  const item = await tenant.appAdmin.request('POST', '/api/v1/inventory', itemBody);
  expect(item.statusCode, item.body).toBe(201);
  const res = await tenant.appAdmin.request('POST', '/api/v1/assessments', {
    inventoryItemId: item.json().id,
    templateVersionId: version.id,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Json;
}

const answers = (a: Json) =>
  new Map<string, Json | null>(a.revision.sections.flatMap((s: Json) => s.questions.map((q: Json) => [q.key, q.answer])));

describe('a PIA pre-filled from the inventory', () => {
  it('answers grades, audiences, data elements, purpose and storage from the item, over the bank’s pre-answer, in one audited event', async () => {
    const version = await publishTemplate();
    const tenant = await buildTenantWithUsers(t.app, db());
    const app = await buildCatalogApp(db(), { name: `Fractions ${uniqueSlug('x')}`, storageCountries: ['CA', 'US'] });
    const item = await tenant.appAdmin.request('POST', '/api/v1/inventory', {
      catalogAppId: app.id,
      grades: ['3', '4', '5'],
      audiences: ['students', 'parents'],
      dataElements: ['name', 'email'],
      purpose: 'Fractions practice in class',
    });
    expect(item.statusCode, item.body).toBe(201);
    const res = await tenant.appAdmin.request('POST', '/api/v1/assessments', {
      inventoryItemId: item.json().id,
      templateVersionId: version.id,
    });
    expect(res.statusCode, res.body).toBe(201);
    const a = answers(res.json());
    expect(a.get('b.grades')).toMatchObject({ value: ['3', '4', '5'], origin: 'institution', updatedBy: { id: tenant.appAdmin.user.id } });
    expect(a.get('b.audiences')?.value).toEqual(['students', 'parents']);
    expect([...(a.get('c.data_elements')?.value as string[])].sort()).toEqual(['email', 'name']);
    expect(a.get('b.purpose')).toMatchObject({ value: 'Fractions practice in class', origin: 'institution' });
    expect(a.get('f.storage_countries')?.value).toEqual(['CA', 'US']);

    const events = await withSystem(db(), (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.recordId, res.json().id), eq(auditEvents.action, 'assessment.answer'))),
    );
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0]!.changes)).toContain(item.json().id);
    for (const key of ['b.grades', 'b.audiences', 'c.data_elements', 'b.purpose', 'f.storage_countries'])
      expect(JSON.stringify(events[0]!.changes)).toContain(key);
  });

  it('leaves the questions as the bank left them for an item that records none of it', async () => {
    const version = await publishTemplate();
    const created = await adoptFor(version, {
      custom: { name: `Quiet ${uniqueSlug('x')}`, vendor: 'Quiet' },
      grades: [],
      audiences: [],
      dataElements: [],
    });
    const a = answers(created);
    for (const key of ['b.grades', 'b.audiences', 'c.data_elements', 'f.storage_countries']) expect(a.get(key), key).toBeNull();
    expect(a.get('b.purpose')).toMatchObject({ value: 'Generic practice', origin: 'operator' });
    const events = await withSystem(db(), (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.recordId, created.id), eq(auditEvents.action, 'assessment.answer'))),
    );
    expect(events).toHaveLength(0);
  });

  it('leaves a question the operator locked as the bank answered it', async () => {
    // The bank answers the grades for every institution and locks the answer.
    const lockedGrades = SECTIONS.map((s) => ({
      ...s,
      questions: s.questions.map((q) => (q.key === 'b.grades' ? { ...q, locked: true, preAnswer: ['2'] } : q)),
    })) as BankSectionInput[];
    const version = await publishTemplate(lockedGrades);
    const a = answers(
      await adoptFor(version, {
        custom: { name: `Locked ${uniqueSlug('x')}`, vendor: 'Locked' },
        grades: ['3', '4'],
        audiences: ['students'],
        dataElements: [],
      }),
    );
    expect(a.get('b.grades')).toMatchObject({ value: ['2'], origin: 'operator' });
    // The unlocked question beside it is still filled from the item.
    expect(a.get('b.audiences')).toMatchObject({ value: ['students'], origin: 'institution' });
  });
});
