/**
 * Evidence on every answer: saved and checked field by field, flagged stale from the day it was seen
 * and the institution's review period (at a fixed today), counted in the PIA's summary, audited with
 * the answer, copied from the bank's pre-answers on adoption and carried by the three-way merge.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditEvents } from '../../db/schema/index.js';
import { withSystem } from '../../platform/db.js';
import { buildCatalogApp, buildTenantWithUsers, buildUser, signIn, type Client } from '../../../../test/support/factories.js';
import { SAMPLE_TEMPLATE_FR, sampleSections, uniqueSlug } from '../../../../test/support/pia.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';

let t: TestApp;
let operator: Client;
beforeAll(async () => {
  t = await createTestApp();
  operator = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
});
afterAll(async () => t?.close());
afterEach(() => vi.useRealTimers());

type Json = Record<string, any>;
const db = () => t.database.db;
/** The fixed "today" of these tests. */
const TODAY = '2026-03-15';
const fixToday = () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(`${TODAY}T12:00:00Z`));
};

const BANK_EVIDENCE = { url: 'https://vendor.example/security', quote: 'Data is encrypted with AES-256 at rest.', seenOn: '2025-01-10' };

async function publish(templateId: string | null, sections: ReturnType<typeof sampleSections>, changeLog: string) {
  let draft: Json;
  let id = templateId;
  if (!id) {
    const created = await operator.request('POST', '/api/v1/bank/templates', {
      slug: uniqueSlug(),
      title: 'Evidence PIA',
      jurisdictions: ['BC'],
      fr: SAMPLE_TEMPLATE_FR,
    });
    expect(created.statusCode, created.body).toBe(201);
    id = created.json().id as string;
    draft = created.json().versions[0];
  } else {
    draft = (await operator.request('POST', `/api/v1/bank/templates/${id}/versions`)).json();
  }
  const saved = await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, { version: draft.version, changeLog, sections });
  expect(saved.statusCode, saved.body).toBe(200);
  const published = await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: saved.json().version });
  expect(published.statusCode, published.body).toBe(200);
  return { templateId: id, version: published.json() as Json };
}

function withEncryptionEvidence(evidence: Json | null) {
  const sections = sampleSections();
  const q = sections[1]!.questions.find((x) => x.key === 'storage.encryption')!;
  (q as Json).preAnswerEvidence = evidence;
  return sections;
}

async function adopt(versionId: string) {
  const tenant = await buildTenantWithUsers(t.app, db());
  const app = await buildCatalogApp(db(), { name: `Evidently ${uniqueSlug('x')}` });
  const item = await tenant.appAdmin.request('POST', '/api/v1/inventory', {
    catalogAppId: app.id,
    grades: ['3'],
    audiences: ['students'],
    purpose: 'Practice',
  });
  expect(item.statusCode, item.body).toBe(201);
  const res = await tenant.appAdmin.request('POST', '/api/v1/assessments', {
    inventoryItemId: item.json().id,
    templateVersionId: versionId,
  });
  expect(res.statusCode, res.body).toBe(201);
  return { tenant, assessment: res.json() as Json };
}

const question = (a: Json, key: string): Json => a.revision.sections.flatMap((s: Json) => s.questions).find((q: Json) => q.key === key);

describe('evidence on answers', () => {
  it('saves a source and its day, refuses a bad link or a day after today field by field, and flags it stale after the review period', async () => {
    const { version } = await publish(null, withEncryptionEvidence(null), 'First');
    const { tenant, assessment: a } = await adopt(version.id);
    fixToday();
    const purpose = question(a, 'storage.purpose');
    const url = `/api/v1/assessments/${a.id}/answers/${purpose.id}`;

    const bad = await tenant.appAdmin.request('PUT', url, {
      value: 'Practice',
      version: 0,
      evidence: { url: 'javascript:alert(1)', quote: '', seenOn: '2026-03-16' },
    });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['evidence.seenOn', 'evidence.url']);
    expect(bad.json().error.fieldCodes['evidence.seenOn']).toBe('not_after_today');
    const undated = await tenant.appAdmin.request('PUT', url, {
      value: 'Practice',
      version: 0,
      evidence: { url: 'https://vendor.example/terms', quote: '' },
    });
    expect(undated.statusCode).toBe(400);
    expect(undated.json().error.fieldCodes).toEqual({ 'evidence.seenOn': 'evidence_seen_on' });
    const sourceless = await tenant.appAdmin.request('PUT', url, {
      value: 'Practice',
      version: 0,
      evidence: { url: null, quote: ' ', seenOn: '2026-01-01' },
    });
    expect(sourceless.json().error.fieldCodes).toEqual({ 'evidence.url': 'evidence_source' });

    // Seen exactly twelve months ago: still fresh today; a day earlier: stale.
    const fresh = await tenant.appAdmin.request('PUT', url, {
      value: 'Practice',
      version: 0,
      evidence: { url: 'https://vendor.example/terms', quote: 'For practice only', seenOn: '2025-03-15' },
    });
    expect(fresh.statusCode, fresh.body).toBe(200);
    expect(fresh.json().answer.evidence).toEqual({
      url: 'https://vendor.example/terms',
      quote: 'For practice only',
      seenOn: '2025-03-15',
      stale: false,
    });
    const older = await tenant.appAdmin.request('PUT', url, {
      value: 'Practice',
      version: 1,
      evidence: { url: 'https://vendor.example/terms', quote: 'For practice only', seenOn: '2025-03-14' },
    });
    expect(older.json().answer.evidence.stale).toBe(true);
    // An answer saved without `evidence` keeps its evidence.
    const kept = await tenant.appAdmin.request('PUT', url, { value: 'Practice and homework', version: 2 });
    expect(kept.json().answer.evidence).toMatchObject({ seenOn: '2025-03-14', stale: true });

    const read = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}`)).json();
    expect(question(read, 'storage.purpose').answer.evidence.stale).toBe(true);
    expect(read.staleEvidence).toBe(1);

    // The institution's own review period: 24 months makes it fresh again.
    const rules = (await tenant.siteAdmin.request('GET', `/api/v1/institutions/${tenant.institution.id}`)).json().decisionRules;
    const longer = await tenant.siteAdmin.request('PATCH', `/api/v1/institutions/${tenant.institution.id}`, {
      decisionRules: { ...rules, evidenceReviewMonths: 24 },
    });
    expect(longer.statusCode, longer.body).toBe(200);
    expect(longer.json().decisionRules.evidenceReviewMonths).toBe(24);
    const again = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}`)).json();
    expect(question(again, 'storage.purpose').answer.evidence.stale).toBe(false);
    expect(again.staleEvidence).toBe(0);

    // Each change of evidence is in the audit log with the answer, before and after.
    const events = await withSystem(db(), (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.recordId, a.id), eq(auditEvents.action, 'assessment.answer'))),
    );
    const changes = events.map((e) => e.changes as Json);
    expect(changes).toHaveLength(3);
    expect(JSON.stringify(changes[1])).toContain('2025-03-14');
    expect(JSON.stringify(changes[1])).toContain('2025-03-15');
    expect(JSON.stringify(changes[2])).not.toContain('evidence');
  });

  it('copies a bank pre-answer’s evidence on adoption (stale by the bank’s default period) and carries new evidence through the merge', async () => {
    const { templateId, version } = await publish(null, withEncryptionEvidence(BANK_EVIDENCE), 'First');
    const { tenant, assessment: a } = await adopt(version.id);
    fixToday();
    const read = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}`)).json();
    expect(question(read, 'storage.encryption').answer).toMatchObject({
      value: 'aes256',
      origin: 'operator',
      evidence: { ...BANK_EVIDENCE, stale: true },
    });
    const bank = (await tenant.appAdmin.request('GET', `/api/v1/bank/versions/${version.id}`)).json();
    const bankQ = bank.sections.flatMap((s: Json) => s.questions).find((q: Json) => q.key === 'storage.encryption');
    expect(bankQ.preAnswerEvidence).toEqual({ ...BANK_EVIDENCE, stale: true });

    // Version 2: the same answer, seen again.
    const renewed = { ...BANK_EVIDENCE, seenOn: '2026-03-01' };
    const v2 = await publish(templateId, withEncryptionEvidence(renewed), 'Encryption checked again');
    const preview = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/merge`)).json();
    const change = preview.changes.find((c: Json) => c.key === 'storage.encryption');
    expect(change).toMatchObject({
      change: 'modified',
      conflict: false,
      suggested: 'take',
      evidence: { base: BANK_EVIDENCE, theirs: renewed, ours: BANK_EVIDENCE, theirsChanged: true },
    });
    const merged = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/merge`, {
      version: read.version,
      toVersionId: v2.version.id,
      decisions: [],
    });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(question(merged.json(), 'storage.encryption').answer).toMatchObject({ value: 'aes256', evidence: { ...renewed, stale: false } });
    expect(merged.json().staleEvidence).toBe(0);
  });

  it('keeps the institution’s own answer and its evidence when only the bank’s evidence changed', async () => {
    const { templateId, version } = await publish(null, withEncryptionEvidence(BANK_EVIDENCE), 'First');
    const { tenant, assessment: a } = await adopt(version.id);
    const enc = question(a, 'storage.encryption');
    const own = { url: null, quote: 'Our contract, schedule B', seenOn: '2026-01-05' };
    const saved = await tenant.appAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/${enc.id}`, {
      value: 'none',
      version: enc.answer.version,
      evidence: own,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    await publish(templateId, withEncryptionEvidence({ ...BANK_EVIDENCE, seenOn: '2026-02-01' }), 'Seen again');
    const preview = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/merge`)).json();
    expect(preview.changes.find((c: Json) => c.key === 'storage.encryption')).toBeUndefined();
  });
});
