import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { institutions } from '../../db/schema/index.js';
import { withSystem } from '../../platform/db.js';
import { extractText, getDocumentProxy } from 'unpdf';
import { buildCatalogApp, buildTenantWithUsers, buildUser, signIn, type Client } from '../../../../test/support/factories.js';
import { uniqueSlug } from '../../../../test/support/pia.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { bankGenericSections } from '../../../server/seed/seed-pia-bank.js';

let t: TestApp;
let operator: Client;
/** The published generic PIA with every jurisdiction's questions, as the bank seeder writes it. */
let versionId: string;
beforeAll(async () => {
  t = await createTestApp();
  operator = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
  const created = await operator.request('POST', '/api/v1/bank/templates', { slug: uniqueSlug(), title: 'Generic PIA with the law of each jurisdiction', fr: { title: 'EFVP générique avec le droit de chaque territoire', description: '' } });
  expect(created.statusCode, created.body).toBe(201);
  const draft = created.json().versions[0];
  const saved = await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, { version: draft.version, sections: bankGenericSections() });
  expect(saved.statusCode, saved.body).toBe(200);
  const published = await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: saved.json().version });
  expect(published.statusCode, published.body).toBe(200);
  versionId = draft.id;
});
afterAll(async () => t?.close());

type Json = Record<string, any>;
const pdfText = async (payload: Buffer) => (await extractText(await getDocumentProxy(new Uint8Array(payload)), { mergePages: true })).text.replace(/\s+/g, ' ');

/** An institution of `country`/`subdivision` with an app in its inventory and the generic PIA adopted for it. */
async function adoptedIn(country: 'CA' | 'US', subdivision: string, itemFields: Json = {}) {
  const tenant = await buildTenantWithUsers(t.app, t.database.db, { country, subdivision, region: country === 'CA' ? 'ca' : 'us' });
  const app = await buildCatalogApp(t.database.db, { name: `Lexiloom ${uniqueSlug('x')}` });
  const item = await tenant.appAdmin.request('POST', '/api/v1/inventory', { catalogAppId: app.id, grades: ['5'], audiences: ['students'], purpose: 'Reading practice', ...itemFields });
  expect(item.statusCode, item.body).toBe(201);
  const res = await tenant.appAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: item.json().id, templateVersionId: versionId });
  expect(res.statusCode, res.body).toBe(201);
  const assessment = res.json() as Json;
  const keys = (a: Json): string[] => a.revision.sections.flatMap((s: Json) => s.questions.map((q: Json) => q.key));
  const answer = async (key: string, value: unknown) => {
    const q = assessment.revision.sections.flatMap((s: Json) => s.questions).find((x: Json) => x.key === key);
    expect(q, `${key} is shown`).toBeDefined();
    const saved = await tenant.appAdmin.request('PUT', `/api/v1/assessments/${assessment.id}/answers/${q.id}`, { value, version: q.answer?.version ?? 0 });
    expect(saved.statusCode, saved.body).toBe(200);
  };
  const doc = (kind: string, lang: string, who: Client = tenant.appAdmin) => who.request('GET', `/api/v1/assessments/${assessment.id}/documents/${kind}?lang=${lang}`);
  return { tenant, item: item.json() as Json, assessment, keys: keys(assessment), answer, doc };
}

describe('questions by jurisdiction', () => {
  it('shows an Ontario board its province’s questions and Canada’s, and none of Québec’s or the US’s', async () => {
    const { tenant, assessment, keys } = await adoptedIn('CA', 'ON');
    expect(keys).toEqual(expect.arrayContaining(['l.on.osr', 'l.on.agent', 'd.authority_ca', 'f.outside_canada', 'a.personal_info']));
    expect(keys.filter((k) => k.startsWith('l.qc.') || k.startsWith('l.bc.') || k.startsWith('m.'))).toEqual([]);
    expect(keys).not.toContain('d.ferpa_school_official');
    expect(assessment.revision.sections.map((s: Json) => s.code)).not.toContain('M');
    // The PDF follows the page: Ontario's question is printed, Québec's is not.
    const pdf = await tenant.appAdmin.request('GET', `/api/v1/assessments/${assessment.id}/pdf?lang=en`);
    expect(pdf.statusCode).toBe(200);
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain('Ontario Student Record');
    expect(text).not.toContain('Québec:');
    // A required question of another jurisdiction is not asked of it at submission.
    const submitted = await tenant.appAdmin.request('POST', `/api/v1/assessments/${assessment.id}/submit`, { version: assessment.version });
    expect(submitted.statusCode).toBe(400);
    expect(submitted.body).not.toContain('Québec');
    expect(submitted.body).not.toContain('Bill of Rights');
  });

  it('shows a New York district Education Law 2-d and FERPA, and asks for the Parents’ Bill of Rights before submission', async () => {
    const { tenant, assessment, keys } = await adoptedIn('US', 'NY');
    expect(keys).toEqual(expect.arrayContaining(['m.ny.bill_of_rights', 'm.ny.exclusive_purposes', 'm.us.ferpa_directory', 'm.us.ferpa_annual_notice', 'd.ferpa_school_official']));
    expect(keys.filter((k) => k.startsWith('l.') || k.startsWith('m.ca.') || k.startsWith('m.il.'))).toEqual([]);
    expect(keys).not.toContain('f.outside_canada');
    const submitted = await tenant.appAdmin.request('POST', `/api/v1/assessments/${assessment.id}/submit`, { version: assessment.version });
    expect(submitted.statusCode).toBe(400);
    expect(submitted.body).toContain('Parents’ Bill of Rights');
  });

  it('reads a US state code with the country: a California district sees SOPIPA; nobody in Canada does', async () => {
    const { keys } = await adoptedIn('US', 'CA');
    expect(keys).toEqual(expect.arrayContaining(['m.ca.sopipa', 'm.ca.ab1584_terms']));
    const quebec = await adoptedIn('CA', 'QC');
    expect(quebec.keys).toEqual(expect.arrayContaining(['l.qc.pia_63_5', 'l.qc.outside_quebec']));
    expect(quebec.keys.filter((k) => k.startsWith('m.'))).toEqual([]);
  });
});

describe('bank updates by jurisdiction', () => {
  it('puts only the institution’s own jurisdiction to it in a merge, yet keeps every question in step with the bank', async () => {
    const question = (key: string, prompt: string, jurisdictions: string[]) => ({
      key,
      kind: 'short_text',
      prompt,
      guidance: '',
      options: {},
      required: false,
      locked: false,
      condition: null,
      jurisdictions,
      fr: { prompt: `${prompt} (fr)`, guidance: '', choices: {}, columns: {} },
    });
    const content = (suffix: string) => [
      {
        key: 'law',
        code: 'L',
        title: 'Law',
        description: '',
        fr: { title: 'Droit', description: '' },
        questions: [question('all', 'Everywhere', []), question('on', `Ontario ${suffix}`, ['ON']), question('qc', `Québec ${suffix}`, ['QC'])],
      },
    ];
    const created = await operator.request('POST', '/api/v1/bank/templates', { slug: uniqueSlug(), title: 'Two provinces', fr: { title: 'Deux provinces', description: '' } });
    const v1 = created.json().versions[0];
    const s1 = await operator.request('PUT', `/api/v1/bank/versions/${v1.id}`, { version: v1.version, sections: content('v1') });
    expect((await operator.request('POST', `/api/v1/bank/versions/${v1.id}/publish`, { version: s1.json().version })).statusCode).toBe(200);

    const tenant = await buildTenantWithUsers(t.app, t.database.db, { country: 'CA', subdivision: 'ON' });
    const app = await buildCatalogApp(t.database.db, { name: `Provincia ${uniqueSlug('x')}` });
    const item = await tenant.appAdmin.request('POST', '/api/v1/inventory', { catalogAppId: app.id });
    const adopted = await tenant.appAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: item.json().id, templateVersionId: v1.id });
    const prompts = (a: Json) => a.revision.sections.flatMap((s: Json) => s.questions.map((q: Json) => q.prompt));
    expect(prompts(adopted.json())).toEqual(['Everywhere', 'Ontario v1']);

    const v2 = (await operator.request('POST', `/api/v1/bank/templates/${created.json().id}/versions`)).json();
    const s2 = await operator.request('PUT', `/api/v1/bank/versions/${v2.id}`, { version: v2.version, sections: content('v2') });
    expect((await operator.request('POST', `/api/v1/bank/versions/${v2.id}/publish`, { version: s2.json().version })).statusCode).toBe(200);
    const preview = await tenant.appAdmin.request('GET', `/api/v1/assessments/${adopted.json().id}/merge`);
    expect(preview.json().changes.map((c: Json) => c.key)).toEqual(['on']);
    const merged = await tenant.appAdmin.request('POST', `/api/v1/assessments/${adopted.json().id}/merge`, { version: adopted.json().version, toVersionId: v2.id, decisions: [] });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(prompts(merged.json())).toEqual(['Everywhere', 'Ontario v2']);

    // The institution's province corrected: Québec's question appears, already at the bank's version.
    await withSystem(t.database.db, (tx) => tx.update(institutions).set({ subdivision: 'QC' }).where(eq(institutions.id, tenant.institution.id)));
    const moved = await tenant.appAdmin.request('GET', `/api/v1/assessments/${adopted.json().id}`);
    expect(prompts(moved.json())).toEqual(['Everywhere', 'Québec v2']);
  });
});

describe('the documents the laws ask for', () => {
  it('writes New York’s supplemental information from the answers, in English and French, and says what is missing', async () => {
    const ny = await adoptedIn('US', 'NY', { agreementType: 'district_dpa', agreementSigned: true, agreementExpiresOn: '2027-06-30' });
    await ny.answer('m.ny.exclusive_purposes', 'Only to give students reading practice assigned by their teacher.');
    await ny.answer('m.ny.subcontractors', 'Subcontractors sign the same data protection terms as Lexiloom.');
    await ny.answer('m.ny.storage_security', 'Stored in AWS us-east-1 with access limited to support engineers.');
    await ny.answer('g.encryption_rest', 'yes');
    await ny.answer('h.deletion', 'request_30d');

    const list = await ny.tenant.appAdmin.request('GET', `/api/v1/assessments/${ny.assessment.id}/documents?lang=fr`);
    expect(list.json().items).toEqual([{ kind: 'ny-supplemental', title: expect.stringContaining('renseignements supplémentaires') }]);

    const en = await ny.doc('ny-supplemental', 'en');
    expect(en.statusCode, en.body).toBe(200);
    const body = en.json() as Json;
    expect(body.basis).toContain('Parents’ Bill of Rights');
    const part = (d: Json, heading: RegExp) => d.parts.find((p: Json) => heading.test(p.heading));
    expect(part(body, /exclusive purposes/)).toMatchObject({ missing: false, text: expect.stringContaining('reading practice assigned by their teacher') });
    expect(part(body, /subcontractors/).text).toContain('same data protection terms');
    expect(part(body, /duration/).text).toContain('Deleted within 30 days');
    expect(part(body, /duration/).text).toContain('June 30, 2027');
    expect(part(body, /encryption/).text).toContain('Encrypted at rest: Yes');
    expect(part(body, /challenge the accuracy/)).toEqual({ heading: expect.any(String), text: 'Not answered in the assessment yet.', missing: true });

    const fr = (await ny.doc('ny-supplemental', 'fr')).json() as Json;
    expect(fr.language).toBe('fr');
    expect(part(fr, /fins exclusives/).text).toContain('reading practice assigned by their teacher');
    expect(part(fr, /chiffrement/).text).toContain('Chiffrées au repos : Oui');
    expect(part(fr, /contester l’exactitude/)).toMatchObject({ missing: true, text: 'L’évaluation ne répond pas encore à cette question.' });

    const pdf = await ny.tenant.appAdmin.request('GET', `/api/v1/assessments/${ny.assessment.id}/documents/ny-supplemental/pdf?lang=fr`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect(await pdfText(pdf.rawPayload)).toContain('Stored in AWS us-east-1');

    // Another institution (also in New York) cannot read it, nor learn that it exists.
    const other = await adoptedIn('US', 'NY');
    expect((await ny.doc('ny-supplemental', 'en', other.tenant.siteAdmin)).statusCode).toBe(404);
    expect((await other.tenant.siteAdmin.request('GET', `/api/v1/assessments/${ny.assessment.id}/documents`)).statusCode).toBe(404);
    expect((await other.tenant.siteAdmin.request('GET', `/api/v1/assessments/${ny.assessment.id}/documents/ny-supplemental/pdf`)).statusCode).toBe(404);
  });

  it('lists Illinois operators with written agreements and the data each collects', async () => {
    const il = await adoptedIn('US', 'IL', { agreementType: 'sdpc_ndpa', agreementSigned: true, agreementSignedOn: '2026-08-15', dataElements: ['name', 'email', 'assessment_results'] });
    const noAgreement = await buildCatalogApp(t.database.db, { name: `Unsigned ${uniqueSlug('x')}` });
    expect((await il.tenant.appAdmin.request('POST', '/api/v1/inventory', { catalogAppId: noAgreement.id, dataElements: ['name'] })).statusCode).toBe(201);
    const en = (await il.doc('il-operators', 'en')).json() as Json;
    expect(en.rows).toEqual([{ operator: expect.any(String), app: il.item.name, dataElements: 'name, email address, marks and assessment results', agreement: expect.stringContaining('SDPC National Data Privacy Agreement') }]);
    const fr = (await il.doc('il-operators', 'fr')).json() as Json;
    expect(fr.rows[0].agreement).toContain('signée le 15 août 2026');
    expect(fr.rows[0].dataElements).toBe('nom, adresse courriel, notes et résultats d’évaluation');
  });

  it('writes BC’s assessment of storage outside Canada and Québec’s PIA summary from their own questions', async () => {
    const bc = await adoptedIn('CA', 'BC', { dataElements: ['name', 'health'] });
    await bc.answer('f.outside_canada', 'yes');
    await bc.answer('f.storage_countries', ['US']);
    await bc.answer('l.bc.sensitivity', 'Health notes of about 40 students.');
    const bcEn = (await bc.doc('bc-outside-canada', 'en')).json() as Json;
    expect(bcEn.parts.find((p: Json) => /^Storage and access/.test(p.heading)).text).toContain('Countries of storage: the United States');
    expect(bcEn.parts.find((p: Json) => /^Sensitivity/.test(p.heading)).text).toContain('Health notes of about 40 students.');
    expect(bcEn.parts.find((p: Json) => /^Conclusion/.test(p.heading)).missing).toBe(true);
    const bcFr = (await bc.doc('bc-outside-canada', 'fr')).json() as Json;
    expect(bcFr.parts.find((p: Json) => /^Stockage et accès/.test(p.heading)).text).toMatch(/Pays de stockage : (les )?États-Unis/);

    const qc = await adoptedIn('CA', 'QC', { dataElements: ['name'] });
    await qc.answer('l.qc.outside_quebec', 'yes');
    await qc.answer('l.qc.legal_framework', 'Données hébergées en Ontario, sous la loi ontarienne.');
    const qcFr = (await qc.doc('qc-pia-summary', 'fr')).json() as Json;
    expect(qcFr.title).toContain('Sommaire de l’évaluation des facteurs relatifs à la vie privée');
    expect(qcFr.parts.find((p: Json) => /^Régime juridique/.test(p.heading)).text).toBe('Données hébergées en Ontario, sous la loi ontarienne.');
    expect(qcFr.parts.find((p: Json) => /^Finalité/.test(p.heading)).text).toContain('Reading practice');
    expect(qcFr.parts.find((p: Json) => /^Mesures de protection/.test(p.heading)).missing).toBe(true);
    const qcEn = (await qc.doc('qc-pia-summary', 'en')).json() as Json;
    expect(qcEn.parts.find((p: Json) => /^Communication outside Québec/.test(p.heading)).text).toContain('Yes');
  });

  it('offers a document only where its law applies', async () => {
    const on = await adoptedIn('CA', 'ON');
    expect((await on.tenant.appAdmin.request('GET', `/api/v1/assessments/${on.assessment.id}/documents`)).json().items).toEqual([]);
    for (const kind of ['ny-supplemental', 'il-operators', 'bc-outside-canada', 'qc-pia-summary']) {
      const res = await on.doc(kind, 'en');
      expect(res.statusCode, kind).toBe(404);
    }
    const bc = await adoptedIn('CA', 'BC');
    expect((await bc.tenant.appAdmin.request('GET', `/api/v1/assessments/${bc.assessment.id}/documents`)).json().items.map((i: Json) => i.kind)).toEqual(['bc-outside-canada']);
    expect((await bc.doc('qc-pia-summary', 'en')).statusCode).toBe(404);
    expect((await bc.doc('unknown-kind', 'en')).statusCode).toBe(400);
  });
});
