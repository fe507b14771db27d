/**
 * Go's Regexp.Expand, which blackbox uses to put an `expect` match into the next `send`:
 * `$1`, `${1}`, `$name`, `${name}` are replaced by the group's text (empty when the group is
 * unknown or did not take part), `$$` is a literal `$`, and a malformed `$` stays as it is.
 * Unbraced names are greedy, as in Go: `$1x` means the group named "1x", not group 1 then "x".
 */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    const ref = parseReference(template, dollar);
    if (ref === undefined) {
      out += '$';
      i = dollar + 1;
      continue;
    }
    if (ref.name === '$') out += '$';
    else out += groupText(match, ref.name);
    i = ref.end;
  }
  return out;
}

const NAME_CHAR = /[A-Za-z0-9_]/;

/** The reference starting at `template[at] === '$'`, or undefined when it is malformed. */
function parseReference(template: string, at: number): { name: string; end: number } | undefined {
  const next = template[at + 1];
  if (next === undefined) return undefined;
  if (next === '$') return { name: '$', end: at + 2 };
  if (next === '{') {
    const close = template.indexOf('}', at + 2);
    if (close < 0) return undefined;
    const name = template.slice(at + 2, close);
    if (name.length === 0 || ![...name].every((c) => NAME_CHAR.test(c))) return undefined;
    return { name, end: close + 1 };
  }
  let end = at + 1;
  while (end < template.length && NAME_CHAR.test(template[end]!)) end++;
  if (end === at + 1) return undefined;
  return { name: template.slice(at + 1, end), end };
}

function groupText(match: RegExpExecArray, name: string): string {
  // Go reads an all-digit name without a leading zero (below 1e8) as a group number.
  if (/^(0|[1-9][0-9]{0,7})$/.test(name)) return match[Number(name)] ?? '';
  return match.groups?.[name] ?? '';
}
