/**
 * blackbox.yml regexes are Go RE2. JavaScript lacks RE2's leading inline flags (`(?i)`, `(?s)`,
 * `(?m)`) on Node 20, so a config copied from blackbox would fail to compile; translate those
 * into RegExp flags. Everything else common to both syntaxes passes through unchanged.
 */
const LEADING_FLAGS = /^\(\?([imsU]+)\)/;

export function compileGoRegex(source: string, extraFlags = ''): RegExp {
  let body = source;
  let flags = extraFlags;
  const m = LEADING_FLAGS.exec(body);
  if (m) {
    body = body.slice(m[0].length);
    for (const f of m[1]!) {
      if (f === 'U') throw new Error('the (?U) ungreedy flag is not supported');
      if (!flags.includes(f)) flags += f;
    }
  }
  // Go's \z (end of text) has no JS spelling; $ without the m flag means the same.
  body = body.replace(/\\z/g, '$');
  // Go names groups (?P<name>...); JS only knows (?<name>...). An escaped \( is left alone.
  body = body.replace(/(?<!\\)((?:\\\\)*)\(\?P</g, '$1(?<');
  return new RegExp(body, flags);
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
