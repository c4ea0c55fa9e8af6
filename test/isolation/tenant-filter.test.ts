/**
 * The application's tenant wall is one helper, `byTenant` (src/server/platform/tenant-filter.ts):
 * rls-alone.test.ts neutralises it to show that row-level security alone still holds. A condition on
 * the scope's tenant written another way would stay in force there and hide what that run must see,
 * so this check refuses one anywhere in the server's source.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/server/platform/db.js';

/** `eq(x.tenantId, scope.tenantId)`, `inArray(…, [scope.tenantId])`, `… = ${scope.tenantId}` in SQL text. */
const BARE_CONDITION = [/\b(?:eq|ne|inArray)\([^()]*\bscope\.tenantId\b/, /(?:=|\bin)\s*\(?\s*\$\{\s*scope\.tenantId\s*\}/];

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(full)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

describe('the application tenant filter', () => {
  it('is written with byTenant wherever a query filters by the scope’s tenant', async () => {
    const offenders: string[] = [];
    const helper = path.join(projectRoot, 'src/server/platform/tenant-filter.ts');
    for (const file of (await sourceFiles(path.join(projectRoot, 'src/server'))).filter((f) => f !== helper)) {
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        if (BARE_CONDITION.some((re) => re.test(line))) offenders.push(`${path.relative(projectRoot, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders, 'filter by the scope’s tenant with byTenant(column, scope) from platform/tenant-filter.ts').toEqual([]);
  });

  it('finds a bare condition when there is one', () => {
    expect(BARE_CONDITION.some((re) => re.test('.where(and(eq(users.tenantId, scope.tenantId), eq(users.id, id)))'))).toBe(true);
    expect(BARE_CONDITION.some((re) => re.test('sql`select 1 from schools where tenant_id = ${scope.tenantId}`'))).toBe(true);
    expect(BARE_CONDITION.some((re) => re.test('.values({ tenantId: scope.tenantId, id })'))).toBe(false);
  });
});
