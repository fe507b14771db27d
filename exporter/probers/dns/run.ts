import { randomInt } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import { DNS_CLASSES, parseQueryType, typeName } from '../../../lib/config/probers/dns-names.js';
import type { ProbeContext, ProbeResult } from '../../../lib/probe/types.js';
import { AskError, type AskResult, ask } from './ask.js';
import type { DnsDetails } from './details.js';
import type { DnsTransport } from './exchange.js';
import { DnsMetrics } from './metrics.js';
import { encodeQuery, fqdn } from './query.js';
import { chooseResolverAddress } from './resolve.js';
import { soaSerial } from './response.js';
import { dnsTargetError, parseResolver } from './target.js';
import { tlsClientOptions } from '../shared/tls-options.js';
import { responseError } from './validate.js';
import type { ChosenAddress } from '../shared/address.js';
import { ipHash } from '../shared/ip-hash.js';

/** resolve the resolver's address → ask (udp, tcp or tls) → check rcode and records. */
export async function runDns(ctx: ProbeContext<'dns'>): Promise<ProbeResult> {
  const o = ctx.options;
  const log = ctx.logger;
  const metrics = new DnsMetrics();
  const resolver = parseResolver(ctx.target, o);
  const qtype = parseQueryType(o.query_type);
  const invalid = dnsTargetError(ctx.target, o);
  // validateTarget has refused these already; this keeps run() safe when called on its own.
  if (invalid || typeof resolver === 'string' || qtype === undefined) {
    return { success: false, reason: invalid ?? 'invalid target', metrics: metrics.set, details: {} };
  }
  const transport: DnsTransport = o.dns_over_tls ? 'tcp-tls' : o.transport_protocol;
  const question = { name: fqdn(o.query_name), type: qtype, class: DNS_CLASSES[o.query_class]! };
  const details: DnsDetails = {
    resolver: { target: ctx.target, host: resolver.host, port: resolver.port, transport },
    query: { name: question.name, type: typeName(qtype), type_code: qtype, class: o.query_class, recursion_desired: o.recursion_desired },
    timings: { resolve: 0, connect: 0, request: 0 },
  };
  const fail = (reason: string): ProbeResult => ({ success: false, reason, metrics: metrics.set, details });

  log.info('Resolving target address', { target: resolver.host, ip_protocol: o.preferred_ip_protocol });
  const resolveStart = performance.now();
  let address: ChosenAddress;
  try {
    address = await chooseResolverAddress(ctx.policy, resolver.host, o.preferred_ip_protocol, o.ip_protocol_fallback, ctx.signal);
  } catch (err) {
    metrics.lookupTime((performance.now() - resolveStart) / 1000);
    log.error('Error resolving address', { err: (err as Error).message });
    return fail((err as Error).message);
  }
  details.timings.resolve = (performance.now() - resolveStart) / 1000;
  metrics.lookupTime(details.timings.resolve);
  metrics.phase('resolve', details.timings.resolve);
  metrics.address(address.family, ipHash(address.address));
  const endpoint = address.family === 6 ? `[${address.address}]:${resolver.port}` : `${address.address}:${resolver.port}`;
  Object.assign(details.resolver, { address: endpoint, ip: address.address, ip_protocol: address.family });
  log.info('Resolved target address', { target: resolver.host, ip: address.address });

  let tls: ConnectionOptions | undefined;
  if (transport === 'tcp-tls') {
    try {
      tls = await tlsClientOptions(o.tls_config, resolver.host);
    } catch (err) {
      return fail((err as Error).message);
    }
  }
  details.query.id = randomInt(0x10000);
  const query = encodeQuery(details.query.id, question, o.recursion_desired);
  const to = { address: address.address, port: resolver.port, family: address.family, ...(o.source_ip_address ? { sourceAddress: o.source_ip_address } : {}) };
  log.info('Making DNS query', { target: endpoint, transport, query: question.name, type: qtype, class: question.class });
  let answer: AskResult;
  try {
    answer = await ask(transport, to, query, ctx.signal, log, tls);
  } catch (err) {
    if (err instanceof AskError) {
      setExchangePhases(metrics, details, err.timings.connectSeconds, err.timings.requestSeconds);
      details.resolver.retried_over_tcp = err.retriedOverTcp;
    }
    log.error('Error while sending a DNS query', { err: (err as Error).message });
    return fail((err as Error).message);
  }
  setExchangePhases(metrics, details, answer.connectSeconds, answer.requestSeconds);
  const r = answer.response;
  Object.assign(details.resolver, { transport: answer.transport, retried_over_tcp: answer.retriedOverTcp });
  Object.assign(details, { rcode: r.rcode, flags: r.flags, answer: r.answer, authority: r.authority, additional: r.additional });
  log.info('Got response', { rcode: r.rcode, answer_rrs: r.answer.length, authority_rrs: r.authority.length, additional_rrs: r.additional.length });
  for (const rr of [...r.answer, ...r.authority, ...r.additional]) log.debug('Validating RR', { rr: rr.text });
  metrics.counts(r.answer.length, r.authority.length, r.additional.length);
  metrics.querySucceeded(true);
  if (qtype === 6) metrics.serial(soaSerial(r.answer));

  const problem = responseError(r, o);
  return problem ? fail(problem) : { success: true, metrics: metrics.set, details };
}

/** blackbox sets connect (everything but the round trip) and request even when the exchange failed. */
function setExchangePhases(metrics: DnsMetrics, details: DnsDetails, connect: number, request: number): void {
  details.timings.connect = connect;
  details.timings.request = request;
  metrics.phase('connect', connect);
  metrics.phase('request', request);
}
