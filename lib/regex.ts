import { RE2JS } from 're2js';

/**
 * blackbox.yml regexes are Go `regexp` (RE2) patterns. They run on re2js, a port of RE2, so every
 * pattern means what Go reads it to mean (`^+OK`, `\A`, `[[:digit:]]`, `\pL`, `(?i)` anywhere,
 * `(?U)`) and matching takes time linear in the input: an operator's `^(a+)+$` cannot stall the
 * event loop as it would on JavaScript's backtracking engine. Patterns Go refuses are refused with
 * Go's message (`error parsing regexp: missing closing ]: ...`).
 */
export interface GoRegex {
  /** The pattern as written in the config. */
  readonly source: string;
  /** True when the pattern matches anywhere in `input` (Go's MatchString). */
  test(input: string): boolean;
  /** The leftmost match with its groups (numbered, and `groups` by name), or null. */
  exec(input: string): RegExpExecArray | null;
}

const cache = new Map<string, GoRegex>();
/** Patterns come from config files and ad-hoc requests; a bound keeps the cache from growing without end. */
const MAX_CACHED = 4096;

/** Compiled once per pattern: a compiled pattern holds no per-match state, so probes share it. */
export function compileGoRegex(source: string): GoRegex {
  let re = cache.get(source);
  if (!re) {
    let compiled: RE2JS;
    try {
      compiled = RE2JS.compile(source);
    } catch (err) {
      throw new Error((err as Error).message);
    }
    re = {
      source,
      test: (input) => compiled.test(input),
      exec: (input) => compiled.exec(input) as RegExpExecArray | null,
    };
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(source, re);
  }
  return re;
}

/** The reason a pattern does not compile (Go's wording), or undefined when it does. */
export function regexError(source: string): string | undefined {
  try {
    compileGoRegex(source);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
