import type { FastifyInstance } from 'fastify';
import Value from 'typebox/value';
import { PulseError } from '../../lib/errors.js';
import { AsnDbInput } from './asndb-schema.js';
import { parseAsn } from './parse-asn.js';
import type { AsnService } from './service.js';

const IpParams = { type: 'object', properties: { ip: { type: 'string', maxLength: 64 } }, required: ['ip'] } as const;
const AsnParams = { type: 'object', properties: { asn: { type: 'string', maxLength: 64 } }, required: ['asn'] } as const;

/**
 * The original Pulse's ASN endpoints on the users' port. Reads need `read`; changing the
 * operator's asndb needs `admin`.
 */
export function asnRoutes(app: FastifyInstance, deps: { asn: AsnService }): void {
  const { asn } = deps;
  app.get('/asnlookup/ip/:ip', { config: { scope: 'read' }, schema: { params: IpParams } }, async (req) => asn.lookupIp((req.params as { ip: string }).ip));
  app.get('/asnlookup/asn/:asn', { config: { scope: 'read' }, schema: { params: AsnParams } }, async (req) => asn.lookupAsn(parseAsn((req.params as { asn: string }).asn)));

  app.get('/asndb/', { config: { scope: 'read' } }, async () => ({ entries: asn.asndb.list() }));
  app.get('/asndb/:asn', { config: { scope: 'read' }, schema: { params: AsnParams } }, async (req) => {
    const n = parseAsn((req.params as { asn: string }).asn);
    const entry = asn.asndb.get(n);
    if (!entry) throw new PulseError('PULSE_NOT_FOUND', `AS${n} has no asndb entry`);
    return entry;
  });
  app.put('/asndb/:asn', { config: { scope: 'admin' }, schema: { params: AsnParams } }, async (req, reply) => {
    const n = parseAsn((req.params as { asn: string }).asn);
    const body = req.body;
    if (!Value.Check(AsnDbInput, body)) {
      const first = Value.Errors(AsnDbInput, body)[0];
      const where = first ? `${first.instancePath || '/'}: ${first.message}` : 'does not match';
      throw new PulseError('PULSE_BAD_REQUEST', `asndb entry ${where} (expected {"name": "...", "notes": "..."})`);
    }
    const { entry, created } = await asn.asndb.put(n, body);
    req.log.info({ asn: entry.asn }, 'asndb entry saved');
    return reply.code(created ? 201 : 200).send(entry);
  });
  app.delete('/asndb/:asn', { config: { scope: 'admin' }, schema: { params: AsnParams } }, async (req, reply) => {
    const n = parseAsn((req.params as { asn: string }).asn);
    if (!(await asn.asndb.remove(n))) throw new PulseError('PULSE_NOT_FOUND', `AS${n} has no asndb entry`);
    return reply.code(204).send();
  });
}
