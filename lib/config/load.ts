import { readFile } from 'node:fs/promises';
import Value from 'typebox/value';
import { parseDocument } from 'yaml';
import { loadCelFor } from '../cel.js';
import { ConfigError } from './errors.js';
import { ExporterSettings } from './exporter.js';
import { dropNullKeys } from './go-yaml.js';
import { HubSettings } from './hub.js';
import { proberCatalog } from '../probers/catalog.js';
import { UNSUPPORTED_PROBERS } from './module.js';
import { type PulseConfig, pulseConfigSchema, type ResolvedConfig } from './schema.js';
import { ProbeJob } from './targets.js';
import { type RawIssue, schemaIssues, toConfigIssues } from './validate.js';
import { LineCounter, lineOfPath } from './yaml-lines.js';

export async function loadConfigFile(file: string): Promise<ResolvedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [{ path: '', message: `cannot read: ${(err as Error).message}` }]);
  }
  await loadCelFor(text);
  return parseConfig(text, file);
}

/** Parses and validates YAML text; throws ConfigError naming file, line and key for every problem. */
export function parseConfig(text: string, file = '<config>'): ResolvedConfig {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ path: '', message: `YAML: ${e.message.split('\n')[0]}`, line: e.linePos?.[0]?.line })),
    );
  }
  // An empty file (or one with only comments) is nearly always a mistake: a wrong path, or a file
  // an editor truncated. blackbox_exporter loads it as zero modules and every probe then answers
  // "unknown module"; refusing it keeps the old config on a reload. `modules: {}` says it on purpose.
  if (doc.contents === null) {
    throw new ConfigError(file, [{ path: '', message: 'the file is empty: write "modules: {}" for a config with no modules' }]);
  }
  const raw: unknown = doc.toJS() ?? {};
  return resolve(raw, file, (issue) => lineOfPath(doc, counter, issue.segments, issue.atKey));
}

/** Validates an already-parsed config object (tests, configs built in code). */
export function resolveConfig(raw: unknown, file = '<config>'): ResolvedConfig {
  return resolve(raw, file, () => undefined);
}

function resolve(given: unknown, file: string, lineOf: (r: RawIssue) => number | undefined): ResolvedConfig {
  const raw = goModules(given);
  // Defaults first, so keys with a default need not be written; then everything is checked.
  const withDefaults = raw && typeof raw === 'object' ? defaultSections(Value.Default(pulseConfigSchema(), structuredClone(raw))) : raw;
  const issues = [...unsupportedIssues(raw), ...schemaIssues(pulseConfigSchema(), withDefaults)];
  if (issues.length === 0) issues.push(...ruleIssues(withDefaults as PulseConfig));
  if (issues.length > 0) throw new ConfigError(file, toConfigIssues(dedupe(issues), lineOf));
  return applyDefaults(withDefaults as PulseConfig, file);
}

/** The config with its `modules:` read as Go's yaml decoder reads them (see go-yaml.ts). */
function goModules(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || !('modules' in raw)) return raw;
  const r = raw as { modules: unknown };
  return r.modules && typeof r.modules === 'object' ? { ...r, modules: dropNullKeys(r.modules) } : raw;
}

/**
 * TypeBox's Value.Default does not descend into Record values, so the prober sections of each
 * module get their defaults here, before validation, as the schemas' `default`s promise.
 */
function defaultSections(config: unknown): unknown {
  const modules = (config as { modules?: unknown } | null)?.modules;
  if (!modules || typeof modules !== 'object') return config;
  const catalog = proberCatalog();
  for (const mod of Object.values(modules as Record<string, unknown>)) {
    if (!mod || typeof mod !== 'object') continue;
    const m = mod as Record<string, unknown>;
    // The prober's own section exists (with its defaults) even when the file leaves it out.
    if (typeof m.prober === 'string' && catalog.has(m.prober) && m[m.prober] === undefined) m[m.prober] = {};
    for (const spec of catalog.list()) {
      if (m[spec.name] && typeof m[spec.name] === 'object') m[spec.name] = Value.Default(spec.options, m[spec.name]);
    }
  }
  return config;
}

/** Known blackbox_exporter options Pulse lacks are refused by name rather than as "unknown key". */
function unsupportedIssues(raw: unknown): RawIssue[] {
  const modules = (raw as { modules?: unknown } | null)?.modules;
  if (!modules || typeof modules !== 'object') return [];
  const out: RawIssue[] = [];
  for (const [name, mod] of Object.entries(modules as Record<string, unknown>)) {
    if (!mod || typeof mod !== 'object') continue;
    const m = mod as Record<string, unknown>;
    for (const p of UNSUPPORTED_PROBERS) {
      if (m.prober === p) {
        out.push({ segments: ['modules', name, 'prober'], message: `the ${p} prober is not supported by Pulse yet` });
      }
      if (p in m) {
        out.push({ segments: ['modules', name, p], message: `the ${p} prober is not supported by Pulse yet`, atKey: true });
      }
    }
    for (const spec of proberCatalog().list()) {
      const section = spec.name;
      const sec = m[section];
      if (!sec || typeof sec !== 'object') continue;
      for (const opt of spec.unsupported ?? []) {
        const path = opt.path.split('.');
        if (hasPath(sec, path)) {
          out.push({
            segments: ['modules', name, section, ...path],
            message: `blackbox_exporter option not supported by Pulse yet: ${opt.why}`,
            atKey: true,
          });
        }
      }
    }
  }
  return out;
}

/** Cross-option rules, once every module has passed the schema. */
function ruleIssues(cfg: PulseConfig): RawIssue[] {
  const out: RawIssue[] = [];
  for (const [name, mod] of Object.entries(cfg.modules ?? {})) {
    const problem = proberCatalog().get(mod.prober)?.rule?.(mod[mod.prober] ?? {});
    if (problem) out.push({ segments: ['modules', name, mod.prober], message: problem, atKey: true });
  }
  return out;
}

function hasPath(obj: unknown, path: string[]): boolean {
  let node = obj;
  for (const k of path) {
    if (!node || typeof node !== 'object' || !(k in node)) return false;
    node = (node as Record<string, unknown>)[k];
  }
  return true;
}

/** An unsupported option also fails the schema as an unknown key; keep only the better message. */
function dedupe(issues: RawIssue[]): RawIssue[] {
  const unsupported = new Set(issues.filter((i) => i.message.includes('not supported by Pulse')).map((i) => i.segments.join('\u0000')));
  return issues.filter((i) => i.message.includes('not supported by Pulse') || !unsupported.has(i.segments.join('\u0000')) && !isUnderUnsupported(i, unsupported));
}

function isUnderUnsupported(issue: RawIssue, unsupported: Set<string>): boolean {
  for (let n = issue.segments.length - 1; n > 0; n--) {
    if (unsupported.has(issue.segments.slice(0, n).join('\u0000'))) return true;
  }
  // A prober value we refuse by name also fails the enum check of `prober`.
  return false;
}

function applyDefaults(withDefaults: PulseConfig, file: string): ResolvedConfig {
  const modules = withDefaults.modules ?? {};
  for (const mod of Object.values(modules)) {
    const section = mod.prober;
    const schema = proberCatalog().get(section)?.options;
    if (schema) (mod as Record<string, unknown>)[section] = Value.Default(schema, (mod as Record<string, unknown>)[section] ?? {});
  }
  return {
    modules,
    exporter: Value.Default(ExporterSettings, withDefaults.exporter ?? {}) as ExporterSettings,
    hub: Value.Default(HubSettings, withDefaults.hub ?? {}) as HubSettings,
    targets: (withDefaults.targets ?? []).map((j) => Value.Default(ProbeJob, j) as ProbeJob),
    file,
  };
}
