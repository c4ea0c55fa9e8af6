import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tenantSettings, unsafeTenantScope } from './db.js';

describe("a tenant's unit of work settings", () => {
  it('set the tenant and the runtime role, transaction-locally, and an asynchronous commit only when asked', () => {
    const id = randomUUID();
    expect(tenantSettings(unsafeTenantScope(id), false)).toBe(`set local app.tenant_id = '${id}'; set local role vetted_app`);
    expect(tenantSettings(unsafeTenantScope(id), true)).toBe(`set local app.tenant_id = '${id}'; set local role vetted_app; set local synchronous_commit = off`);
    expect(tenantSettings(unsafeTenantScope(id.toUpperCase()), false)).toContain(id.toUpperCase());
  });

  it('refuse anything but a whole uuid, since the id is written into the SQL text', () => {
    const id = randomUUID();
    for (const bad of [
      '',
      'x',
      `${id}'; reset role; --`,
      `x'; reset role; --${id}`,
      ` ${id}`,
      `${id}\n`,
      id.replace(/-/g, ''),
      id.slice(1),
      id.slice(0, -1),
      'g'.repeat(8) + id.slice(8),
      `${id.slice(0, 9)}zzzz${id.slice(13)}`,
      `${id.slice(0, 14)}zzzz${id.slice(18)}`,
      `${id.slice(0, 19)}zzzz${id.slice(23)}`,
      `${id.slice(0, 24)}zzzzzzzzzzzz`,
    ]) {
      expect(() => tenantSettings(unsafeTenantScope(bad), false), JSON.stringify(bad)).toThrow('A tenant scope must name a tenant by its uuid');
    }
  });
});
