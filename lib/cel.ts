import { createRequire } from 'node:module';
import type { CelInput } from '@bufbuild/cel';

type CelLib = typeof import('@bufbuild/cel');
let lib: CelLib | undefined;

/**
 * Loads the evaluator (about 18 MB of memory, which an exporter without CEL checks need not carry).
 * Entry points that may meet a CEL expression (a config file, an ad-hoc request) call this first:
 * validation itself is synchronous, and in the one-file package only a dynamic import finds the
 * bundled evaluator.
 */
export async function loadCel(): Promise<void> {
  lib ??= (await import('@bufbuild/cel')) as CelLib;
}

/** Whether a config text or a request body may hold a CEL expression (its keys end in `_cel`). */
export function mayHoldCel(raw: unknown): boolean {
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw ?? null);
  return text.includes('_cel');
}

/** Loads the evaluator when `raw` may need it. */
export async function loadCelFor(raw: unknown): Promise<void> {
  // Once loaded, no request body needs to be looked at again.
  if (!lib && mayHoldCel(raw)) await loadCel();
}

function cel(): CelLib {
  // Only code that skipped loadCel (tests validating in memory) lands here; in the sources
  // node_modules is next door, so the synchronous require finds it.
  lib ??= createRequire(import.meta.url)('@bufbuild/cel') as CelLib;
  return lib;
}

/**
 * CEL expressions over a JSON response body, as blackbox_exporter's
 * `fail_if_body_json_matches_cel` / `fail_if_body_json_not_matches_cel` run them: one variable,
 * `body`, of dynamic type, holding the decoded JSON (numbers are doubles, as Go decodes them).
 */
export type CelOutcome = { ok: true; value: boolean } | { ok: false; error: string };

export interface CelCheck {
  readonly expression: string;
  /** Evaluates against a decoded JSON value; a non-boolean result or an evaluation error is `ok: false`. */
  evaluate(json: unknown): CelOutcome;
}

const cache = new Map<string, CelCheck>();
const MAX_CACHED = 1024;

/** Parsed and planned once per expression; throws with the parser's message when it does not compile. */
export function compileCel(expression: string): CelCheck {
  let check = cache.get(expression);
  if (!check) {
    const { celEnv, CelScalar, isCelError, parse, plan } = cel();
    const env = celEnv({ variables: { body: CelScalar.DYN } });
    const run = plan(env, parse(expression));
    check = {
      expression,
      evaluate(json) {
        const result = run({ body: toCelInput(json) });
        if (isCelError(result)) return { ok: false, error: result.message };
        if (typeof result !== 'boolean') return { ok: false, error: 'CEL evaluation result is not a boolean' };
        return { ok: true, value: result };
      },
    };
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(expression, check);
  }
  return check;
}

/** The reason an expression does not compile, or undefined when it does. */
export function celError(expression: string): string | undefined {
  try {
    compileCel(expression);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** JSON.parse output → CEL input: objects become maps (CEL's type for a JSON object). */
function toCelInput(v: unknown): CelInput {
  if (Array.isArray(v)) return v.map(toCelInput);
  if (v && typeof v === 'object') return new Map(Object.entries(v).map(([k, x]) => [k, toCelInput(x)]));
  return v as CelInput;
}
