import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPulseError } from '../../lib/errors.js';
import { checkRun, parseOperations, parseOperationsText } from '../../lib/operations.js';

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isPulseError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('not refused');
}

describe('operations files', () => {
  it("reads werify's JSON and the same checks in YAML alike", () => {
    const json = '{"check_virus_file_exists": {"type": "file_exists", "path": "/tmp/virus.exe"},\n "check_etc_hosts_has_4488": {"type": "file_contains", "path": "/etc/hosts", "check": "4488"}}';
    const yaml = 'check_virus_file_exists:\n  type: file_exists\n  path: /tmp/virus.exe\ncheck_etc_hosts_has_4488:\n  type: file_contains\n  path: /etc/hosts\n  check: "4488"\n';
    expect(parseOperationsText(json)).toEqual(parseOperationsText(yaml));
    expect(Object.keys(parseOperationsText(yaml))).toEqual(['check_virus_file_exists', 'check_etc_hosts_has_4488']);
  });

  it('refuses duplicate keys and syntax errors with the line, and names the source', () => {
    expect(refusal(() => parseOperationsText('{"a": {"type": "file_exists", "path": "/a"},\n "a": {}}', 'ops.json')).message).toBe(
      'ops.json:2:2: Map keys must be unique',
    );
    expect(refusal(() => parseOperationsText('a: [1,\n', 'ops.yml')).message).toMatch(/^ops\.yml:\d+:\d+: /);
    expect(refusal(() => parseOperationsText('', 'ops.yml')).message).toBe('ops.yml must be an object: check name → {type, path, check}');
    expect(refusal(() => parseOperationsText('- a\n', 'ops.yml')).message).toBe('ops.yml must be an object: check name → {type, path, check}');
  });

  it('names the check and the key in every refusal', () => {
    expect(refusal(() => parseOperations({ 'my check': { type: 'nope', path: '/a' } }))).toEqual({
      code: 'PULSE_UNKNOWN_TYPE',
      message: 'operations: check "my check": unknown type "nope" (one of: file_exists, file_contains, process_running, file_absent)',
    });
    expect(refusal(() => parseOperations({ c: 'file_exists' })).message).toBe('operations: check "c" must be an object {type, path, check}');
    expect(refusal(() => parseOperations({ c: { type: 'file_contains', path: '/a', check: '' } })).message).toBe(
      'operations: check "c": "check" must be a non-empty string',
    );
    expect(refusal(() => parseOperations({ 'a\nb': { type: 'file_exists', path: '/a' } })).message).toContain('contains control characters');
    expect(refusal(() => parseOperations({ ['n'.repeat(129)]: { type: 'file_exists', path: '/a' } })).message).toContain('longer than 128');
  });

  it('the shipped example is valid: a file that must not exist, a line in /etc/hosts, a running process', async () => {
    const text = await readFile(join(import.meta.dirname, '../../config/ops.example.json'), 'utf8');
    const ops = parseOperationsText(text, 'config/ops.example.json');
    expect(Object.values(ops).map((c) => c.type)).toEqual(['file_absent', 'file_contains', 'process_running']);
  });

  it('maps each check to the probe the agent runs', () => {
    expect(checkRun({ type: 'file_exists', path: '/tmp/virus.exe' })).toEqual({ type: 'file_exists', target: '/tmp/virus.exe', options: {} });
    expect(checkRun({ type: 'file_absent', path: '/tmp/virus.exe' })).toEqual({ type: 'file_exists', target: '/tmp/virus.exe', options: {} });
    expect(checkRun({ type: 'file_contains', path: '/etc/hosts', check: '4488' })).toEqual({
      type: 'file_contains',
      target: '/etc/hosts',
      options: { check: '4488' },
    });
    expect(checkRun({ type: 'process_running', path: '/bin/bash', check: 'bash' })).toEqual({
      type: 'process_running',
      target: '/bin/bash',
      options: { check: 'bash' },
    });
    expect(checkRun({ type: 'process_running', check: 'bash' })).toEqual({ type: 'process_running', target: 'bash', options: {} });
  });
});
