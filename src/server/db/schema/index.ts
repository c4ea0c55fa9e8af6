export * from './tenants.js';
export * from './identity.js';
export * from './catalog.js';
export * from './inventory.js';
export * from './audit.js';
export * from './assessments.js';
export * from './sso.js';
