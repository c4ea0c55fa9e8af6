import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, idParamsSchema } from '../../../contracts/api.js';
import {
  notificationListQuerySchema,
  notificationListSchema,
  reminderPreferencesInputSchema,
  reminderPreferencesSchema,
  unreadCountSchema,
} from '../../../contracts/reminders.js';
import { requireActor } from '../../platform/http.js';
import type { RemindersService } from './reminders.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

/** The signed-in person's reminder choices and notification centre (their own only). */
export function registerRemindersRoutes(root: FastifyInstance, service: RemindersService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/me/reminder-preferences',
    { schema: { tags: ['reminders'], summary: 'My reminder choices (my role’s defaults until I choose)', response: { 200: reminderPreferencesSchema, ...errors } } },
    async (req) => service.preferences(requireActor(req)),
  );
  app.put(
    '/api/v1/me/reminder-preferences',
    {
      schema: {
        tags: ['reminders'],
        summary: 'Choose my daily reminders: which categories, whether by email, and after how many days a waiting assessment is in them',
        body: reminderPreferencesInputSchema,
        response: { 200: reminderPreferencesSchema, ...errors },
      },
    },
    async (req) => service.savePreferences(requireActor(req), req.body),
  );
  app.get(
    '/api/v1/me/notifications',
    {
      schema: {
        tags: ['reminders'],
        summary: 'My notifications, newest first, and how many are unread',
        querystring: notificationListQuerySchema,
        response: { 200: notificationListSchema, ...errors },
      },
    },
    async (req) => service.list(requireActor(req), { unreadOnly: req.query.unread === 'true', page: req.query.page, pageSize: req.query.pageSize }),
  );
  app.get(
    '/api/v1/me/notifications/unread-count',
    { schema: { tags: ['reminders'], summary: 'How many of my notifications are unread', response: { 200: unreadCountSchema, ...errors } } },
    async (req) => service.unread(requireActor(req)),
  );
  app.post(
    '/api/v1/me/notifications/:id/read',
    { schema: { tags: ['reminders'], summary: 'Mark one of my notifications read', params: idParamsSchema, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await service.markRead(requireActor(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/v1/me/notifications/read-all',
    { schema: { tags: ['reminders'], summary: 'Mark all my notifications read', response: { 200: z.object({ marked: z.number().int() }), ...errors } } },
    async (req) => service.markAllRead(requireActor(req)),
  );
}
