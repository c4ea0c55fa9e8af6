/** The part of pg-copy-streams the full export uses: `copy … to stdout` as a readable stream of its bytes. */
declare module 'pg-copy-streams' {
  import type { Readable } from 'node:stream';
  import type { Submittable } from 'pg';

  /** A COPY TO STDOUT query to hand to a client's `query`; it reads as the bytes COPY writes. `rowCount` is set once it is done. */
  export function to(
    text: string,
    options?: { highWaterMark?: number },
  ): Readable & Submittable & { rowCount: number; handleReadyForQuery(...args: unknown[]): void; handleError(...args: unknown[]): void };
}
