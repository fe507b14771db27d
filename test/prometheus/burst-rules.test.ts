import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './dashboards.js';
import { promtool } from './promtool.js';

const RULES = join(REPO, 'prometheus/rules/burst.rules.yml');
const TESTS = join(REPO, 'prometheus/rules/burst.rules.test.yml');

describe('prometheus/rules/burst.rules.yml', () => {
  it('passes promtool check rules and its promtool unit tests', async () => {
    const check = await promtool(['check', 'rules', RULES]);
    expect(check.exitCode, check.output).toBe(0);
    expect(check.output).toContain('SUCCESS: 3 rules found');
    const test = await promtool(['test', 'rules', TESTS]);
    expect(test.exitCode, test.output).toBe(0);
    expect(test.output).toContain('SUCCESS');
  });
});
