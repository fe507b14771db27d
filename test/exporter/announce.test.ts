import { describe, expect, it } from 'vitest';
import { buildAnnouncement } from '../../exporter/announce.js';
import { defaultProbers } from '../../exporter/probers/index.js';
import { buildState } from '../../exporter/state.js';
import { parseConfig } from '../../lib/config/load.js';

const HOST_CHECKS = ['file_exists', 'file_contains', 'process_running'];

async function announced(yaml: string): Promise<{ probers: string[]; unavailable: Map<string, string> }> {
  const probers = defaultProbers();
  const state = await buildState(parseConfig(yaml, 'pulse.yml'), probers);
  const ann = buildAnnouncement(state, 'https://127.0.0.1:9115', Object.keys(probers) as never);
  return { probers: ann.probers, unavailable: state.unavailable };
}

describe('what an exporter announces to the hub', () => {
  it('leaves host checks out while they are off, with the reason kept for /metrics and errors', async () => {
    const off = await announced('modules: {}\n');
    for (const p of HOST_CHECKS) expect(off.probers).not.toContain(p);
    expect(off.probers).toContain('tcp');
    expect(off.unavailable.get('file_exists')).toMatch(/host checks are disabled on this exporter/);
  });

  it('offers them once the config turns them on, and all three with enabled: true', async () => {
    const paths = await announced('modules: {}\nexporter:\n  host_checks:\n    allowed_paths: [/etc/**]\n');
    expect(paths.probers).toEqual(expect.arrayContaining(HOST_CHECKS));
    const byName = await announced('modules: {}\nexporter:\n  host_checks:\n    enabled: true\n');
    expect(byName.probers).toEqual(expect.arrayContaining(HOST_CHECKS));
    const forcedOff = await announced('modules: {}\nexporter:\n  host_checks:\n    allowed_paths: [/etc/**]\n    enabled: false\n');
    for (const p of HOST_CHECKS) expect(forcedOff.probers).not.toContain(p);
  });
});
