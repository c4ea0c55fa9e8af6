import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

const HOST = hostname();
const TOKEN = randomBytes(6).toString('hex');

/**
 * This process as the owner of work in progress: `host/pid/token`. The token, drawn at start, tells
 * this process from an earlier one that had the same pid (a restarted container often runs as pid 1).
 */
export const THIS_PROCESS = `${HOST}/${process.pid}/${TOKEN}`;

/**
 * True when `owner` (a `THIS_PROCESS` of some process) certainly no longer runs: it ran on this host
 * and its pid is gone, or its pid is ours with another token. A process of another host cannot be
 * asked: false, and the caller falls back on how long the work has not been heard from.
 */
export function processIsGone(owner: string): boolean {
  const [host, pidText, token] = owner.split('/');
  if (host !== HOST || !pidText || !token) return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return token !== TOKEN;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
