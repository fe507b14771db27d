import { ServerCredentials } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHealthRequest, decodeHealthResponse, encodeHealthRequest, encodeHealthResponse, type ServingStatus } from '../../../exporter/probers/grpc/health-proto.js';
import { type HealthServer, startHealthServer } from '../../helpers/grpc-health.js';
import { runModule } from '../../helpers/http-probe.js';
import { createTestPki, type TestPki } from '../../helpers/tls.js';

/** The grpc prober against real @grpc/grpc-js health servers (plain and TLS) started here. */
const STATUS: Record<string, ServingStatus> = { '': 'SERVING', 'pulse.Up': 'SERVING', 'pulse.Down': 'NOT_SERVING' };

let pki: TestPki;
let plain: HealthServer;
let secure: HealthServer;

beforeAll(async () => {
  pki = await createTestPki();
  const cert = await pki.issue('grpc.test', { hosts: ['grpc.test', 'localhost'] });
  plain = await startHealthServer(ServerCredentials.createInsecure(), STATUS);
  secure = await startHealthServer(ServerCredentials.createSsl(null, [{ private_key: Buffer.from(cert.key), cert_chain: Buffer.from(cert.cert) }]), STATUS);
});

afterAll(async () => {
  plain.server.forceShutdown();
  secure.server.forceShutdown();
  await pki.cleanup();
});

const probe = (grpc: Record<string, unknown>, target: string) => runModule('grpc', { preferred_ip_protocol: 'ip4', ...grpc }, target, '5s');

describe('grpc prober (health checking protocol)', () => {
  it('succeeds on SERVING and exports blackbox 0.28 series', async () => {
    const out = await probe({ service: 'pulse.Up', metadata: { authorization: ['Bearer t'], 'x-tenant': ['a', 'b'] } }, `127.0.0.1:${plain.port}`);
    expect(out.reason).toBeUndefined();
    expect(out.success).toBe(true);
    expect(out.metrics.get('probe_grpc_status_code')).toBe(0);
    expect(out.metrics.get('probe_grpc_ssl')).toBe(0);
    expect(out.metrics.get('probe_grpc_healthcheck_response', { serving_status: 'SERVING' })).toBe(1);
    expect(out.metrics.get('probe_grpc_healthcheck_response', { serving_status: 'NOT_SERVING' })).toBe(0);
    expect(out.metrics.get('probe_grpc_duration_seconds', { phase: 'check' })).toBeGreaterThan(0);
    expect(out.metrics.get('probe_ip_protocol')).toBe(4);
    const md = plain.metadata.at(-1)!;
    expect(md.get('authorization')).toEqual(['Bearer t']);
    // HTTP/2 carries a repeated key as one header; values joined as gRPC joins them.
    expect(md.get('x-tenant').join(', ')).toBe('a, b');
  });

  it('fails on NOT_SERVING, and on an unknown service with its gRPC status code', async () => {
    const down = await probe({ service: 'pulse.Down' }, `127.0.0.1:${plain.port}`);
    expect(down.success).toBe(false);
    expect(down.reason).toBe('service "pulse.Down" is NOT_SERVING');
    expect(down.metrics.get('probe_grpc_healthcheck_response', { serving_status: 'NOT_SERVING' })).toBe(1);
    const unknown = await probe({ service: 'pulse.Nope' }, `127.0.0.1:${plain.port}`);
    expect(unknown.success).toBe(false);
    expect(unknown.metrics.get('probe_grpc_status_code')).toBe(5);
    expect(unknown.reason).toBe('health check failed: NOT_FOUND: unknown service pulse.Nope');
  });

  it('verifies TLS against tls_config and exports the certificate series', async () => {
    const out = await probe({ tls: true, tls_config: { ca_file: pki.caFile, server_name: 'grpc.test' } }, `127.0.0.1:${secure.port}`);
    expect(out.reason).toBeUndefined();
    expect(out.metrics.get('probe_grpc_ssl')).toBe(1);
    expect(out.metrics.get('probe_tls_version_info', { version: 'TLS 1.3' })).toBe(1);
    expect(out.metrics.get('probe_ssl_earliest_cert_expiry')).toBeGreaterThan(Date.now() / 1000);
    expect(out.metrics.get('probe_ssl_last_chain_expiry_timestamp_seconds')).toBeUndefined();
  });

  it('fails an untrusted certificate, and a refused port as UNAVAILABLE', async () => {
    const untrusted = await probe({ tls: true, tls_config: { server_name: 'grpc.test' } }, `127.0.0.1:${secure.port}`);
    expect(untrusted.success).toBe(false);
    expect(untrusted.metrics.get('probe_grpc_status_code')).toBe(14);
    plain.server.forceShutdown();
    const refused = await probe({}, `127.0.0.1:${plain.port}`);
    expect(refused.success).toBe(false);
    expect(refused.metrics.get('probe_grpc_status_code')).toBe(14);
    expect(refused.metrics.get('probe_grpc_healthcheck_response', { serving_status: 'SERVING' })).toBe(0);
  });

  it('encodes and decodes the two health messages', () => {
    expect(decodeHealthRequest(encodeHealthRequest('a.B'))).toBe('a.B');
    expect(encodeHealthRequest('')).toEqual(Buffer.alloc(0));
    expect(decodeHealthResponse(encodeHealthResponse('SERVICE_UNKNOWN'))).toBe('SERVICE_UNKNOWN');
    expect(decodeHealthResponse(Buffer.alloc(0))).toBe('UNKNOWN');
    expect(decodeHealthResponse(Buffer.from([0x08, 0x09]))).toBe('9');
  });
});
