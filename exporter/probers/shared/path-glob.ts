/**
 * Path globs for `host_checks.allowed_paths`: `*` and `?` stay within one path segment, `**` as a
 * whole segment spans any number of them (`/var/log/**` is the directory and all beneath it),
 * `[abc]` / `[!abc]` are character classes, and `\` escapes the next character.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '^';
  let i = 0;
  while (i < glob.length) {
    const c = glob[i]!;
    if (c === '/' && glob.startsWith('/**', i) && (i + 3 === glob.length || glob[i + 3] === '/')) {
      const last = i + 3 === glob.length;
      re += last ? '(?:/.*)?' : '/(?:.*/)?';
      i += last ? 3 : 4;
      continue;
    }
    if (c === '*') {
      re += '[^/]*';
      while (glob[i] === '*') i++;
      continue;
    }
    if (c === '?') {
      re += '[^/]';
      i++;
      continue;
    }
    if (c === '[') {
      const cls = charClass(glob, i);
      if (cls) {
        re += cls.re;
        i = cls.end;
        continue;
      }
    }
    if (c === '\\' && i + 1 < glob.length) {
      re += escapeRe(glob[i + 1]!);
      i += 2;
      continue;
    }
    re += escapeRe(c);
    i++;
  }
  return new RegExp(`${re}$`);
}

function charClass(glob: string, start: number): { re: string; end: number } | undefined {
  let i = start + 1;
  const negate = glob[i] === '!' || glob[i] === '^';
  if (negate) i++;
  // A `]` right after the opening is a member, not the end.
  const close = glob.indexOf(']', i + 1);
  if (close < 0) return undefined;
  const body = glob.slice(i, close).replace(/[\\\]^]/g, (ch) => `\\${ch}`);
  return { re: negate ? `[^/${body}]` : `[${body}]`, end: close + 1 };
}

function escapeRe(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}

/** The first glob that matches `path`, or undefined. */
export function matchingGlob(path: string, globs: readonly string[]): string | undefined {
  return globs.find((g) => globToRegExp(g).test(path));
}
