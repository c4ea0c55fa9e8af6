/**
 * The bare route the HTTP bench compares the service with: fastify and node-postgres (the versions
 * the service uses), no session, no transaction, no validation. Each route runs the statements the
 * service ran for the same URL (captured by the bench: text and values) on the same rows, one after
 * the other on a pool of 10 clients, and answers their rows as JSON.
 *
 *   node test/bench/bare-server.mjs <routes.json>   (prints the port it listens on)
 */
import { readFileSync } from 'node:fs';
import process from 'node:process';
import Fastify from 'fastify';
import pg from 'pg';

const { url, routes } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const pool = new pg.Pool({ connectionString: url, max: 10 });
const app = Fastify({ logger: false });
app.get('/bare/:key', async (req, reply) => {
  const statements = routes[req.params.key];
  if (!statements) return reply.status(404).send({ error: 'unknown route' });
  const answers = [];
  for (const s of statements) answers.push((await pool.query({ text: s.text, values: s.values })).rows);
  return answers.length === 1 ? answers[0] : answers;
});
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${app.server.address().port}\n`);
process.once('SIGTERM', async () => {
  await app.close();
  await pool.end();
  process.exit(0);
});
