import { chmod, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CertKind, createCa, issueCertificate, type PemPair } from './issue.js';

/** Certificate names become file names: keep them to one safe path segment. */
export const CERT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface CertFiles {
  certFile: string;
  keyFile: string;
}

export function caFiles(dir: string): CertFiles {
  return { certFile: join(dir, 'ca.crt'), keyFile: join(dir, 'ca.key') };
}

export function certFiles(dir: string, name: string): CertFiles {
  return { certFile: join(dir, `${name}.crt`), keyFile: join(dir, `${name}.key`) };
}

async function exists(file: string): Promise<boolean> {
  try {
    await readFile(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes the key first with mode 0600, so it is never world-readable. Without `overwrite`, both
 * files are created with O_EXCL: two runs racing past the existence check cannot replace each
 * other's key (the loser fails and leaves the winner's pair intact).
 */
async function writePair(files: CertFiles, pair: PemPair, overwrite: boolean): Promise<void> {
  if (overwrite) {
    const tmpKey = `${files.keyFile}.tmp-${process.pid}`;
    await writeFile(tmpKey, pair.key, { mode: 0o600 });
    await chmod(tmpKey, 0o600);
    await rename(tmpKey, files.keyFile);
    await writeFile(files.certFile, pair.cert, { mode: 0o644 });
    return;
  }
  try {
    await writeFile(files.keyFile, pair.key, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    throw alreadyExists(err, files.keyFile);
  }
  await chmod(files.keyFile, 0o600);
  try {
    await writeFile(files.certFile, pair.cert, { mode: 0o644, flag: 'wx' });
  } catch (err) {
    // The key alone is of no use, and would block the next attempt.
    await unlink(files.keyFile).catch(() => undefined);
    throw alreadyExists(err, files.certFile);
  }
}

function alreadyExists(err: unknown, file: string): Error {
  if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return err as Error;
  return new Error(`${file} already exists; refusing to overwrite it`);
}

/** `pulse certs init`: a new CA in DIR; refuses to overwrite an existing one. */
export async function initCa(dir: string, opts: { name?: string; days?: number } = {}): Promise<CertFiles> {
  const files = caFiles(dir);
  if ((await exists(files.certFile)) || (await exists(files.keyFile))) {
    throw new Error(`${files.certFile} or ${files.keyFile} already exists; refusing to overwrite a CA`);
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writePair(files, await createCa(opts), false);
  return files;
}

export async function readCa(dir: string): Promise<PemPair> {
  const files = caFiles(dir);
  try {
    return { cert: await readFile(files.certFile, 'utf8'), key: await readFile(files.keyFile, 'utf8') };
  } catch (err) {
    throw new Error(`cannot read the CA in ${dir} (${(err as Error).message}); run "pulse certs init --dir ${dir}" first`);
  }
}

export interface IssueFilesOptions {
  kind: CertKind;
  name: string;
  hosts?: string[];
  days?: number;
  /** Replace existing files of that name. */
  force?: boolean;
}

/** `pulse certs issue`: DIR/NAME.crt and DIR/NAME.key signed by DIR/ca.*. */
export async function issueFiles(dir: string, opts: IssueFilesOptions): Promise<CertFiles> {
  if (!CERT_NAME_PATTERN.test(opts.name) || opts.name === 'ca') {
    throw new Error(`invalid name "${opts.name}": use letters, digits, ".", "_" and "-" (not "ca")`);
  }
  const files = certFiles(dir, opts.name);
  if (!opts.force && ((await exists(files.certFile)) || (await exists(files.keyFile)))) {
    throw new Error(`${files.certFile} already exists; pass --force to replace it`);
  }
  const ca = await readCa(dir);
  const req: Parameters<typeof issueCertificate>[1] = { kind: opts.kind, name: opts.name };
  if (opts.hosts) req.hosts = opts.hosts;
  if (opts.days !== undefined) req.days = opts.days;
  await writePair(files, await issueCertificate(ca, req), opts.force ?? false);
  return files;
}
