/**
 * blackbox.yml regexes are Go RE2; Pulse runs them on JavaScript's engine. The two syntaxes share
 * most spellings but not all meanings: JavaScript reads `\A` as "A", `[[:digit:]]` as a class of
 * `[:digt` followed by "]", `\pL` as "pL", and its `.`, `^`/`$` under (?m) and `\s` stop at more
 * characters than Go's. So the pattern is rewritten token by token into the JavaScript that means
 * the same (compiled with the `u` flag, which reads code points as RE2 does), and RE2 syntax with no
 * exact JavaScript spelling is refused with an error naming it, when the config loads.
 */

const cache = new Map<string, RegExp>();

/** Compiled once per pattern: probes share the RegExp (no g or y flag, so it holds no state). */
export function compileGoRegex(source: string): RegExp {
  let re = cache.get(source);
  if (!re) {
    const { body, flags } = translateGoRegex(source);
    try {
      re = new RegExp(body, flags);
    } catch (err) {
      // Name the pattern as written, not its translation.
      const why = (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
      throw new Error(`Invalid regular expression: /${source}/: ${why}`);
    }
    cache.set(source, re);
  }
  return re;
}

/** The reason a pattern does not compile, or undefined when it does. */
export function regexError(source: string): string | undefined {
  try {
    compileGoRegex(source);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

const LEADING_FLAGS = /^\(\?([imsU]+)\)/;
/** What JavaScript's `u` mode lets be escaped; other punctuation is written bare. */
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/');
/** Go's POSIX classes (regexp/syntax perl_groups.go), as ASCII ranges for inside brackets. */
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`\\{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};
/** Go's \s is ASCII only, without \v; JavaScript's includes \v and Unicode spaces. */
const GO_SPACE = '\\t\\n\\f\\r ';
const SIMPLE_ESCAPES = new Set(['d', 'D', 'w', 'W', 'b', 'B', 'f', 't', 'n', 'r', 'v']);

/** Go RE2 source → JavaScript body and flags; throws naming the construct that has no equivalent. */
export function translateGoRegex(source: string): { body: string; flags: string } {
  let rest = source;
  const goFlags = new Set<string>();
  const m = LEADING_FLAGS.exec(rest);
  if (m) {
    rest = rest.slice(m[0].length);
    for (const f of m[1]!) {
      if (f === 'U') throw new Error('the (?U) ungreedy flag is not supported');
      goFlags.add(f);
    }
  }
  const multiline = goFlags.has('m');
  const dotAll = goFlags.has('s');
  let out = '';
  let inClass = false;
  let classStart = false;
  for (let i = 0; i < rest.length; ) {
    const c = rest[i]!;
    const atClassStart = classStart;
    classStart = false;
    if (c === '\\') {
      const [text, used] = translateEscape(rest, i, inClass);
      out += text;
      i += used;
      continue;
    }
    if (inClass) {
      if (c === '[' && rest[i + 1] === ':') {
        const end = rest.indexOf(':]', i + 2);
        const name = end < 0 ? '' : rest.slice(i + 2, end);
        if (name.startsWith('^')) throw new Error(`the negated POSIX class [:${name}:] is not supported`);
        const ranges = Object.hasOwn(POSIX, name) ? POSIX[name] : undefined;
        if (!ranges) throw new Error(`unknown POSIX class [:${name}:]`);
        out += ranges;
        i = end + 2;
        continue;
      }
      if (c === ']' && !atClassStart) inClass = false;
      // Go reads "]" first in a class as a literal; JavaScript would close an empty class.
      out += c === ']' && atClassStart ? '\\]' : c === '[' ? '\\[' : c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += '[';
      i++;
      if (rest[i] === '^') {
        out += '^';
        i++;
      }
      classStart = true;
      continue;
    }
    if (c === '(' && rest[i + 1] === '?') {
      const group = /^\(\?(P?<[A-Za-z_][A-Za-z0-9_]*>|:)/.exec(rest.slice(i));
      if (!group) throw new Error(`the group ${rest.slice(i, i + 4)}… is not supported (flags are only allowed at the start of the pattern)`);
      out += group[1] === ':' ? '(?:' : `(?${group[1]!.replace(/^P/, '')}`;
      i += group[0].length;
      continue;
    }
    if (c === '{') {
      const q = /^\{\d+(,\d*)?\}/.exec(rest.slice(i));
      out += q ? q[0] : '\\{';
      i += q ? q[0].length : 1;
      continue;
    }
    if (c === '}' || c === ']') out += `\\${c}`;
    else if (c === '.') out += dotAll ? '[^]' : '[^\\n]';
    else if (c === '^') out += multiline ? '(?<![^\\n])' : '^';
    else if (c === '$') out += multiline ? '(?![^\\n])' : '$';
    else out += c;
    i++;
  }
  if (inClass) throw new Error('missing closing ]');
  return { body: out, flags: goFlags.has('i') ? 'iu' : 'u' };
}

/** One escape at `src[i]` (a backslash): its JavaScript text and how many characters it used. */
function translateEscape(src: string, i: number, inClass: boolean): [string, number] {
  const c = src[i + 1];
  if (c === undefined) throw new Error('trailing backslash at end of expression');
  if (SIMPLE_ESCAPES.has(c)) {
    if (inClass && c === 'b') throw new Error('\\b inside a character class is not supported');
    return [`\\${c}`, 2];
  }
  switch (c) {
    case 'A':
      if (inClass) break;
      return ['^', 2];
    case 'z':
      if (inClass) break;
      return ['$', 2];
    case 'a':
      return ['\\x07', 2];
    case 's':
      return [inClass ? GO_SPACE : `[${GO_SPACE}]`, 2];
    case 'S':
      if (inClass) throw new Error('\\S inside a character class is not supported');
      return [`[^${GO_SPACE}]`, 2];
    case 'Q': {
      if (inClass) throw new Error('\\Q…\\E inside a character class is not supported');
      const end = src.indexOf('\\E', i + 2);
      const literal = src.slice(i + 2, end < 0 ? undefined : end);
      const text = [...literal].map((ch) => (JS_SYNTAX.has(ch) ? `\\${ch}` : ch)).join('');
      return [text, end < 0 ? src.length - i : end + 2 - i];
    }
    case 'x': {
      const hex = /^\\x(?:([0-9A-Fa-f]{2})|\{([0-9A-Fa-f]{1,6})\})/.exec(src.slice(i));
      if (!hex) throw new Error(`invalid escape ${src.slice(i, i + 4)}`);
      return [`\\u{${hex[1] ?? hex[2]}}`, hex[0].length];
    }
    case 'p':
    case 'P': {
      const prop = /^\\[pP](?:([A-Za-z])|\{(\^?)([A-Za-z_]+)\})/.exec(src.slice(i));
      if (!prop) throw new Error(`invalid Unicode class ${src.slice(i, i + 4)}`);
      const name = prop[1] ?? prop[3]!;
      const negated = (c === 'P') !== (prop[2] === '^');
      // Go names general categories (L, Lu) and scripts (Greek) alike; JavaScript wants Script= for scripts.
      const js = /^[A-Z][a-z]?$/.test(name) || name === 'Any' ? name : `Script=${name}`;
      return [`\\${negated ? 'P' : 'p'}{${js}}`, prop[0].length];
    }
    default:
      break;
  }
  if (/[0-7]/.test(c)) {
    const oct = /^\\([0-7]{1,3})/.exec(src.slice(i))!;
    // Go reads \1..\9 alone as a backreference, which RE2 does not have.
    if (oct[1]!.length === 1 && c !== '0') throw new Error(`backreference \\${c} is not supported`);
    return [`\\u{${Number.parseInt(oct[1]!, 8).toString(16)}}`, oct[0].length];
  }
  if (/[A-Za-z0-9]/.test(c)) throw new Error(`invalid or unsupported escape \\${c}`);
  if (JS_SYNTAX.has(c) || (c === '-' && inClass)) return [`\\${c}`, 2];
  return [c, 2];
}
