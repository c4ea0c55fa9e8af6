import { describe, expect, it } from 'vitest';
import { SerialSave, type SerialSaveStatus } from './serial-save.js';

class Conflict extends Error {}

/** A record kept the way the server keeps an answer: a save must name the current version. */
class Record<V> {
  value: V | null = null;
  version = 0;
  saves: { value: V; version: number }[] = [];
  /** Saves answer only when released, so tests decide when the network comes back. */
  private gates: (() => void)[] = [];
  inFlight = 0;
  maxInFlight = 0;

  save = async (value: V, version: number): Promise<{ value: V; version: number }> => {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise<void>((resolve) => this.gates.push(resolve));
    this.inFlight -= 1;
    this.saves.push({ value, version });
    if (version !== this.version) throw new Conflict(`sent ${version}, stored ${this.version}`);
    this.value = value;
    this.version += 1;
    return { value, version: this.version };
  };

  /** Someone else saves directly. */
  saveAsOther(value: V): void {
    this.value = value;
    this.version += 1;
  }

  /** Lets every save waiting so far answer. */
  async release(): Promise<void> {
    while (this.gates.length) {
      this.gates.shift()!();
      await new Promise((r) => setTimeout(r, 0));
    }
  }
}

function queueOn<V>(record: Record<V>, extra: { failures?: { error: unknown; latest: V }[]; statuses?: SerialSaveStatus[] } = {}) {
  return new SerialSave<V, { value: V; version: number }>({
    version: record.version,
    save: record.save,
    versionOf: (r) => r.version,
    onFailed: (error, latest) => extra.failures?.push({ error, latest }),
    onStatus: (s) => extra.statuses?.push(s),
  });
}

describe('SerialSave', () => {
  it('keeps one save in flight and saves the latest value with the version the previous save returned', async () => {
    const record = new Record<string[]>();
    const failures: { error: unknown; latest: string[] }[] = [];
    const queue = queueOn(record, { failures });
    queue.submit(['a']);
    queue.submit(['a', 'b']);
    queue.submit(['a', 'b', 'c']);
    queue.submit(['a', 'b', 'c', 'd']);
    expect(queue.isBusy).toBe(true);
    const idle = queue.whenIdle();
    await record.release();
    await record.release();
    await idle;
    expect(failures).toEqual([]);
    expect(record.maxInFlight).toBe(1);
    // The first save, then one save of the latest value (the two in between coalesced).
    expect(record.saves).toEqual([
      { value: ['a'], version: 0 },
      { value: ['a', 'b', 'c', 'd'], version: 1 },
    ]);
    expect(record.value).toEqual(['a', 'b', 'c', 'd']);
    expect(queue.currentVersion).toBe(2);
    expect(queue.isBusy).toBe(false);
  });

  it('saves each change in turn when each comes after the previous save answered', async () => {
    const record = new Record<number>();
    const queue = queueOn(record);
    for (const n of [1, 2, 3]) {
      queue.submit(n);
      await record.release();
      await queue.whenIdle();
    }
    expect(record.saves.map((s) => s.version)).toEqual([0, 1, 2]);
    expect(record.value).toBe(3);
  });

  it("reports another person's save as a failure carrying the person's latest value, and keeps mine on theirs after a rebase", async () => {
    const record = new Record<string>();
    const failures: { error: unknown; latest: string }[] = [];
    const statuses: SerialSaveStatus[] = [];
    const queue = queueOn(record, { failures, statuses });
    record.saveAsOther('theirs');
    queue.submit('mine 1');
    queue.submit('mine 2');
    await record.release();
    await queue.whenIdle();
    expect(failures).toHaveLength(1);
    expect(failures[0]!.error).toBeInstanceOf(Conflict);
    expect(failures[0]!.latest).toBe('mine 2');
    expect(queue.currentStatus).toBe('failed');
    expect(record.value).toBe('theirs');
    // Keep mine: start again from their version.
    queue.rebase(record.version);
    queue.submit('mine 2');
    await record.release();
    await queue.whenIdle();
    expect(record.value).toBe('mine 2');
    expect(statuses).toEqual(['saving', 'failed', 'saving', 'saved']);
  });

  it('learns a newer version from a reload only while idle, and never an older one', async () => {
    const record = new Record<string>();
    const queue = queueOn(record);
    queue.submit('one');
    queue.observe(7); // a reload arriving while our save is on its way is ignored
    await record.release();
    await queue.whenIdle();
    expect(queue.currentVersion).toBe(1);
    queue.observe(0); // an older reload does not take back our version
    expect(queue.currentVersion).toBe(1);
    record.saveAsOther('two');
    queue.observe(record.version);
    queue.submit('three');
    await record.release();
    await queue.whenIdle();
    expect(record.value).toBe('three');
  });
});
