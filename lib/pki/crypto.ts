// @peculiar/x509 resolves its parsers through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { createPrivateKey, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export const EC_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const EC_SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** Points @peculiar/x509 at Node's WebCrypto; called by every entry point instead of at import. */
export function useNodeCrypto(): void {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
}

export async function generateKeyPair(): Promise<CryptoKeyPair> {
  useNodeCrypto();
  return (await webcrypto.subtle.generateKey(EC_ALGORITHM, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
}

export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key as unknown as webcrypto.CryptoKey);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/**
 * Imports a CA key for signing. Any PEM Node reads works (PKCS#8, SEC1 "EC PRIVATE KEY", PKCS#1
 * RSA), so a CA made elsewhere (EasyRSA, openssl) can sign Pulse certificates too.
 */
export async function importSigningKey(pem: string): Promise<{ key: CryptoKey; signing: Algorithm }> {
  useNodeCrypto();
  const obj = createPrivateKey(pem);
  const der = obj.export({ type: 'pkcs8', format: 'der' });
  const type = obj.asymmetricKeyType;
  if (type === 'ec') {
    const curve = obj.asymmetricKeyDetails?.namedCurve;
    const named = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : undefined;
    if (!named) throw new Error(`unsupported CA key curve ${curve ?? 'unknown'} (use P-256, P-384 or P-521)`);
    const key = await webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: named }, false, ['sign']);
    const hash = named === 'P-256' ? 'SHA-256' : named === 'P-384' ? 'SHA-384' : 'SHA-512';
    return { key: key as unknown as CryptoKey, signing: { name: 'ECDSA', hash } as Algorithm };
  }
  if (type === 'rsa') {
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const key = await webcrypto.subtle.importKey('pkcs8', der, alg, false, ['sign']);
    return { key: key as unknown as CryptoKey, signing: alg as Algorithm };
  }
  throw new Error(`unsupported CA key type ${type ?? 'unknown'} (use ECDSA or RSA)`);
}

/** 128 random bits as a positive hex serial number. */
export function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f;
  return Buffer.from(bytes).toString('hex');
}
