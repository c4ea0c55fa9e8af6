/**
 * The first value `fn` gives that is not undefined, asking every `everyMs` for at most `seconds`
 * (generous: the suites run on a busy machine); throws naming `what` when time runs out.
 */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  { seconds, everyMs }: { seconds: number; everyMs: number },
): Promise<T> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
