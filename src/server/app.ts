import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance, type FastifySchema } from 'fastify';
import helmet from 'helmet';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerAssessmentRoutes, registerBankRoutes } from './modules/assessments/assessments.routes.js';
import { createAssessmentService } from './modules/assessments/assessments.service.js';
import { registerLawDocumentRoutes } from './modules/assessments/law-documents.routes.js';
import { createLawDocumentService } from './modules/assessments/law-documents.service.js';
import { createBankService } from './modules/assessments/bank.service.js';
import { createUpdateNoticeJobs } from './modules/assessments/update-notice.job.js';
import { registerAttachmentRoutes } from './modules/attachments/attachments.routes.js';
import { createAttachmentService } from './modules/attachments/attachments.service.js';
import { registerAuditRoutes } from './modules/audit/audit.routes.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { registerBundleRoutes } from './modules/bundle/bundle.routes.js';
import { createBundleService } from './modules/bundle/bundle.service.js';
import { registerCatalogRoutes } from './modules/catalog/catalog.routes.js';
import { createCatalogService } from './modules/catalog/catalog.service.js';
import { registerPublicListRoutes } from './modules/public/public-list.routes.js';
import { createPublicListService } from './modules/public/public-list.service.js';
import { registerIdentityModule } from './modules/identity/index.js';
import { registerMailModule } from './modules/mail/index.js';
import { registerPrivacyPolicyRoutes } from './modules/policy/privacy-policy.routes.js';
import { createPrivacyPolicyService } from './modules/policy/privacy-policy.service.js';
import { registerRemindersModule } from './modules/reminders/index.js';
import { createDecisionRuleJobs } from './modules/inventory/decision-rules.js';
import { registerInventoryRoutes } from './modules/inventory/inventory.routes.js';
import { createInventoryService } from './modules/inventory/inventory.service.js';
import { createExportJobs } from './modules/exports/export.job.js';
import { registerLifecycle } from './modules/lifecycle/index.js';
import { registerLifecycleRoutes } from './modules/lifecycle/lifecycle.routes.js';
import { registerMoveInRoutes } from './modules/lifecycle/move-in.routes.js';
import { registerExportRoutes } from './modules/exports/exports.routes.js';
import { createExportsService } from './modules/exports/exports.service.js';
import { registerVendorModule } from './modules/vendors/index.js';
import { registerStaffRequestRoutes } from './modules/requests/requests.routes.js';
import { createStaffRequestService, type StaffRequestService } from './modules/requests/requests.service.js';
import type { ItemDecidedHook, ItemDeletedHook } from './modules/requests/decision-hook.js';
import { registerReportRoutes } from './modules/reports/reports.routes.js';
import { createReportsService } from './modules/reports/reports.service.js';
import { registerInstitutionRoutes } from './modules/tenants/institutions.routes.js';
import { createInstitutionService } from './modules/tenants/institutions.service.js';
import { registerSupportAccessRoutes } from './modules/tenants/support-access.routes.js';
import { createSupportAccessService } from './modules/tenants/support-access.service.js';
import { attemptKeySecret, attemptStore, createAttemptSweepJob } from './platform/attempt-counts.js';
import type { AppContext } from './platform/context.js';
import { projectRoot } from './platform/db.js';
import { frameworkErrors, registerErrorHandling, registerInputChecks, registerNotFound } from './platform/http.js';
import { createJobs } from './platform/jobs.js';
import { registerMetrics } from './platform/metrics.js';
import { registerReadYourWrites } from './platform/replica.js';
import { pageScriptSources } from './platform/web-page.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every registered route (method, URL pattern, and its schema for the suites that check it). */
    routeList: { method: string; url: string; schema?: FastifySchema | undefined }[];
    /** Set when the process is shutting down: `/readyz` then answers 503 while requests are still served. */
    draining: boolean;
  }
}

export interface BuildOptions {
  /** Log level; tests pass 'silent'. */
  logLevel?: string;
  /** Folder of the built web client; defaults to dist/web. */
  webRoot?: string;
  /** Where log lines go (tests capture them); stdout by default. */
  logStream?: { write(line: string): void };
}

/** Composes the service from its modules. Nothing else happens here. */
export async function buildApp(
  base: Omit<AppContext, 'jobs'> & Partial<Pick<AppContext, 'jobs'>>,
  opts: BuildOptions = {},
): Promise<FastifyInstance> {
  const { config } = base;
  // Without a jobs platform from the caller, this app only enqueues, and stops it when it closes.
  const ownJobs = base.jobs ? null : await createJobs({ db: base.db });
  const ctx: AppContext = { ...base, jobs: base.jobs ?? ownJobs! };
  const app = Fastify({
    logger: {
      level: opts.logLevel ?? config.logLevel,
      ...(opts.logStream ? { stream: opts.logStream } : {}),
      // Security: never log credentials, cookies or tokens.
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
      // Security: query strings carry link tokens and OIDC codes; only the path is logged.
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: req.url.split('?')[0], id: req.id }),
      },
    },
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    frameworkErrors,
    trustProxy: config.isProduction,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Only JSON bodies: a cross-site form can send text/plain without a preflight, never JSON.
  app.removeContentTypeParser('text/plain');
  // Each response names its request: the same id is in every log line of the request and in error bodies.
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    // API answers are private and fresh, except a public route that set its own caching.
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  registerErrorHandling(app);
  registerInputChecks(app);
  if (ownJobs) app.addHook('onClose', async () => ownJobs.stop());
  // Every route, for the isolation and CSRF suites that must cover routes added later.
  const routes: FastifyInstance['routeList'] = [];
  app.decorate('routeList', routes);
  app.decorate('draining', false);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url, schema: r.schema });
  });

  // Security headers on every answer. The middleware is built once, here: the fastify plugin built it
  // again for every request (parsing the policy each time), which showed in a request's CPU profile.
  const webRoot = opts.webRoot ?? path.join(projectRoot, 'dist/web');
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // The page's own inline script (the language preload), by its hash; no other inline script.
        scriptSrc: ["'self'", ...pageScriptSources(path.join(webRoot, 'index.html'))],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: config.publicUrl.startsWith('https://') ? [] : null,
      },
    },
    hsts: config.publicUrl.startsWith('https://') ? { maxAge: 31536000, includeSubDomains: true } : false,
  });
  app.addHook('onRequest', (req, reply, done) => securityHeaders(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
  await app.register(fastifyCookie);
  // Security: every attempt count is kept in PostgreSQL, so limits hold across processes and restarts.
  const attemptSecret = attemptKeySecret(config.sessionSecret);
  await app.register(fastifyRateLimit, { global: false, store: attemptStore(ctx.db, attemptSecret) });
  await ctx.jobs.register(createAttemptSweepJob(ctx.db));
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Vetted API',
        version: '1',
        description:
          'Privacy due diligence for school software. All routes need a session cookie unless marked public; state-changing calls need the x-csrf-token header.',
      },
      servers: [{ url: config.publicUrl }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerMetrics(app, ctx);
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    // Shutting down: still serving, but no new traffic should come here.
    if (app.draining) return reply.status(503).send({ status: 'draining' });
    try {
      await ctx.db.execute(sql`select 1`);
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });

  const outbox = await registerMailModule(app, ctx);
  const { invitations } = registerIdentityModule(app, ctx, outbox);
  // After the session hook: the marker applies to the request's scope it opens.
  if (ctx.config.readReplica)
    registerReadYourWrites(app, {
      seconds: ctx.config.readReplica.readYourWritesSeconds,
      secure: ctx.config.publicUrl.startsWith('https://'),
    });
  const audit = createAuditService(ctx);
  const lifecycle = await registerLifecycle(app, ctx);
  registerInstitutionRoutes(app, createInstitutionService(ctx, invitations));
  registerSupportAccessRoutes(app, createSupportAccessService(ctx));
  registerCatalogRoutes(app, createCatalogService(ctx));
  registerPrivacyPolicyRoutes(app, createPrivacyPolicyService(ctx, outbox));
  await registerRemindersModule(app, ctx, outbox);
  registerPublicListRoutes(app, createPublicListService(ctx));
  // Staff requests hear the decisions on the items they led to, whichever module decides, and their
  // removal.
  let staffRequests: StaffRequestService | null = null;
  const onItemDecided: ItemDecidedHook = async (...args) => staffRequests?.onItemDecided(...args);
  const onItemDeleted: ItemDeletedHook = async (...args) => staffRequests?.onItemDeleted(...args);
  registerInventoryRoutes(app, createInventoryService(ctx, { onItemDecided, onItemDeleted }), audit);
  await ctx.jobs.register(createDecisionRuleJobs(ctx).expiredAgreements);
  registerAuditRoutes(app, audit);
  registerLifecycleRoutes(app, lifecycle.service, lifecycle.rights);
  registerMoveInRoutes(app, ctx);
  const updateNotices = createUpdateNoticeJobs(ctx);
  await ctx.jobs.register(updateNotices.fanOut, updateNotices.mail);
  const bank = createBankService(ctx, updateNotices.fanOut);
  registerBankRoutes(app, bank);
  const bundles = createBundleService(ctx, { notify: updateNotices.fanOut });
  await ctx.jobs.register(...bundles.jobs);
  registerBundleRoutes(app, bundles);
  await registerVendorModule(app, ctx, { outbox, bank });
  const assessments = createAssessmentService(ctx, { onItemDecided });
  registerAssessmentRoutes(app, assessments);
  registerLawDocumentRoutes(app, createLawDocumentService(ctx, assessments));
  registerAttachmentRoutes(app, createAttachmentService(ctx));
  staffRequests = createStaffRequestService(ctx, { outbox, assessments });
  registerStaffRequestRoutes(app, staffRequests);
  registerReportRoutes(app, createReportsService(ctx));
  const exportJobs = createExportJobs(ctx);
  await ctx.jobs.register(exportJobs.run, exportJobs.sweep);
  app.addHook('onClose', async () => exportJobs.close());
  registerExportRoutes(app, createExportsService(ctx, exportJobs.run));

  const hasWeb = existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) {
    // Security: in production no source map is served, even if a build left one in the folder.
    if (config.isProduction)
      app.addHook('onRequest', async (req, reply) => {
        const file = req.url.split('?')[0]!;
        let decoded = file;
        try {
          decoded = decodeURIComponent(file);
        } catch {
          // Not a file the static server would find either.
        }
        if (/\.map$/i.test(file) || /\.map$/i.test(decoded))
          return reply.status(404).send({ error: { code: 'not_found', message: 'Not found', requestId: String(req.id) } });
      });
    await app.register(fastifyStatic, {
      root: webRoot,
      index: ['index.html'],
      // The build writes a .br and a .gz beside each file: served as the browser accepts, never
      // compressed again per request.
      preCompressed: true,
      cacheControl: false,
      setHeaders(res, file) {
        // Files under assets/ are named by their content's hash: they never change, so browsers keep
        // them for a year without asking. The page itself is asked for again each time.
        res.setHeader('cache-control', isHashedAsset(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  // The web client routes in the browser: unknown GETs outside the API get its page.
  registerNotFound(app, hasWeb);
  return app;
}

/** A file of the web build under `assets/`, whose name carries its content's hash. */
function isHashedAsset(file: string): boolean {
  return /[\\/]assets[\\/][^\\/]+-[\w-]{8,}\.\w+(\.(br|gz))?$/.test(file);
}
