import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { catalogApps } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type CatalogAppRow = typeof catalogApps.$inferSelect;

/** `%text%` for ILIKE with the wildcards of `text` escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The catalog is shared by every tenant and holds no personal data, so it takes no scope. */
export async function searchCatalog(tx: Tx, q: { text?: string | undefined; category?: string | undefined; limit: number; offset: number }) {
  const where: SQL[] = [];
  if (q.text) {
    const p = containsPattern(q.text);
    where.push(sql`(${catalogApps.name} ilike ${p} or ${catalogApps.vendor} ilike ${p})`);
  }
  if (q.category) where.push(sql`${q.category} = any(${catalogApps.categories})`);
  const cond = where.length ? and(...where) : undefined;
  const [items, [count]] = await Promise.all([
    tx.select().from(catalogApps).where(cond).orderBy(asc(sql`lower(${catalogApps.name})`), asc(catalogApps.id)).limit(q.limit).offset(q.offset),
    tx.select({ n: sql<number>`count(*)::int` }).from(catalogApps).where(cond),
  ]);
  return { items, total: count?.n ?? 0 };
}

export async function findCatalogApp(tx: Tx, id: string): Promise<CatalogAppRow | undefined> {
  const [row] = await tx.select().from(catalogApps).where(eq(catalogApps.id, id));
  return row;
}

export async function findCatalogApps(tx: Tx, ids: string[]): Promise<CatalogAppRow[]> {
  if (!ids.length) return [];
  return tx.select().from(catalogApps).where(inArray(catalogApps.id, ids));
}

export async function slugTaken(tx: Tx, slug: string): Promise<boolean> {
  const [row] = await tx.select({ id: catalogApps.id }).from(catalogApps).where(eq(catalogApps.slug, slug));
  return !!row;
}
