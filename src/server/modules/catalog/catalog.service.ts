import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { CatalogAppBody, catalogAppInputSchema, catalogAppUpdateSchema, catalogQuerySchema } from '../../../contracts/api.js';
import { catalogApps } from '../../db/schema/index.js';
import { authorize, type Actor } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { withShared, withSystem, type Tx } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { presentCatalogApp } from './catalog.presenter.js';
import { findCatalogApp, searchCatalog, slugTaken } from './catalog.repo.js';

type Query = z.output<typeof catalogQuerySchema>;
type Input = z.output<typeof catalogAppInputSchema>;
type Update = z.output<typeof catalogAppUpdateSchema>;

/** A URL-safe slug, unique in the catalog. */
async function uniqueSlug(tx: Tx, name: string): Promise<string> {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'app';
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (!(await slugTaken(tx, slug))) return slug;
  }
}

export function createCatalogService(ctx: Pick<AppContext, 'db'>) {
  const { db } = ctx;
  return {
    async search(actor: Actor, q: Query) {
      authorize(actor, 'readCatalog');
      const { items, total } = await withShared(db, (tx) => searchCatalog(tx, { text: q.q, category: q.category, limit: q.pageSize, offset: (q.page - 1) * q.pageSize }));
      return { items: items.map(presentCatalogApp), total, page: q.page, pageSize: q.pageSize };
    },

    async get(actor: Actor, id: string): Promise<CatalogAppBody> {
      authorize(actor, 'readCatalog');
      const row = await withShared(db, (tx) => findCatalogApp(tx, id));
      if (!row) throw notFound('App');
      return presentCatalogApp(row);
    },

    /** Operator curation: catalog edits are recorded in the operator's log (no tenant). */
    async create(actor: Actor, input: Input): Promise<CatalogAppBody> {
      authorize(actor, 'manageCatalog');
      return withSystem(db, async (tx) => {
        const [row] = await tx.insert(catalogApps).values({ id: randomUUID(), slug: await uniqueSlug(tx, input.name), ...input }).returning();
        await recordAudit(tx, actor, { action: 'catalog.create', recordType: 'catalog_app', recordId: row!.id, after: row!, tenantId: null });
        return presentCatalogApp(row!);
      });
    },

    async update(actor: Actor, id: string, input: Update): Promise<CatalogAppBody> {
      authorize(actor, 'manageCatalog');
      return withSystem(db, async (tx) => {
        const before = await findCatalogApp(tx, id);
        if (!before) throw notFound('App');
        const [after] = await tx.update(catalogApps).set({ ...input, updatedAt: new Date() }).where(eq(catalogApps.id, id)).returning();
        await recordAudit(tx, actor, { action: 'catalog.update', recordType: 'catalog_app', recordId: id, before, after: after!, tenantId: null });
        return presentCatalogApp(after!);
      });
    },
  };
}
export type CatalogService = ReturnType<typeof createCatalogService>;
