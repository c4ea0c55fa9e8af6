import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * The host as far as process ids mean anything: its name and, on Linux, its pid namespace (two
 * containers sharing a host name, as with host networking, do not see each other's processes).
 */
function pidSpace(): string {
  let ns = '';
  try {
    ns = readlinkSync('/proc/self/ns/pid').replace(/[^0-9]/g, '');
  } catch {
    // not Linux: the host name alone
  }
  return `${hostname().replace(/\//g, '_')}${ns ? `~${ns}` : ''}`;
}

const SPACE = pidSpace();
const TOKEN = randomBytes(6).toString('hex');

/**
 * This process as the owner of work in progress: `host/pid/token`. The token, drawn at start, tells
 * this process from an earlier one that had the same pid (a restarted container often runs as pid 1).
 */
export const THIS_PROCESS = `${SPACE}/${process.pid}/${TOKEN}`;

/**
 * True when `owner` (a `THIS_PROCESS` of some process) certainly no longer runs: it ran where this
 * process can see its pid, and that pid is gone, or is ours with another token. A process elsewhere
 * cannot be asked: false, and the caller falls back on how long the work has not been heard from.
 */
export function processIsGone(owner: string): boolean {
  const [space, pidText, token] = owner.split('/');
  if (space !== SPACE || !pidText || !token) return false;
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
