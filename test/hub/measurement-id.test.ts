import { describe, expect, it } from 'vitest';
import type { Io } from '../../cli/context.js';
import { runArgv } from '../../cli/program.js';
import { newMeasurementId } from '../../hub/measurements.js';

/** Measurement ids are typed back into `pulse get ID`: they must never read as an option. */

describe('measurement ids', () => {
  it('never start with "-" (one base64url id in 64 would)', () => {
    // 4,000 draws: an id generator that let a leading "-" through would show it with
    // probability 1 - (63/64)^4000, about 1 - 1e-27.
    const ids = Array.from({ length: 4000 }, newMeasurementId);
    expect(ids.filter((id) => !/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/.test(id))).toEqual([]);
  });

  it('is why: pulse get reads a leading "-" as an option and exits 2', async () => {
    const err: string[] = [];
    const io: Io = {
      stdout: { write: () => true } as unknown as Io['stdout'],
      stderr: { write: (s: string) => err.push(s) > 0 } as unknown as Io['stderr'],
      env: { PULSE_HUB: 'http://127.0.0.1:9' },
      readStdin: async () => '',
    };
    await expect(runArgv(['get', '-Kq3ZbW0f1xYt2V7n8pQmA', '--group'], io)).resolves.toBe(2);
    expect(err.join('')).toMatch(/unknown option/);
  });
});
