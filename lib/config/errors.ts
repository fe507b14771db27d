import { PulseError } from '../errors.js';
/** A refused config file: every problem, each with its file, line and key path. */
export interface ConfigIssue {
  /** Dotted key path, e.g. `modules.http_2xx.http.valid_status_codes[1]`. */
  path: string;
  message: string;
  /** 1-based line in the file, when known. */
  line?: number;
}

export class ConfigError extends PulseError {
  readonly file: string;
  readonly issues: ConfigIssue[];

  constructor(file: string, issues: ConfigIssue[]) {
    super('PULSE_CONFIG_INVALID', issues.map((i) => formatIssue(file, i)).join('\n'));
    this.name = 'ConfigError';
    this.file = file;
    this.issues = issues;
  }
}

export function formatIssue(file: string, i: ConfigIssue): string {
  const where = i.line === undefined ? file : `${file}:${i.line}`;
  return i.path ? `${where}: ${i.path}: ${i.message}` : `${where}: ${i.message}`;
}

/** `['modules','x','codes',1]` → `modules.x.codes[1]` */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? s : `.${s}`;
  }
  return out;
}
