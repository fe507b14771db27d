import { Counter, type Registry } from 'prom-client';

export interface OperationMetrics {
  operations: Counter;
  results: Counter<'type' | 'status'>;
}

/** Registered on the hub's own registry, next to the measurement metrics. */
export function createOperationMetrics(registry: Registry): OperationMetrics {
  return {
    operations: new Counter({
      name: 'pulse_hub_operations_total',
      help: 'Host-check operations started (POST /api/v1/operations).',
      registers: [registry],
    }),
    results: new Counter({
      name: 'pulse_hub_operation_results_total',
      help: 'Per-agent, per-check results of host-check operations, by check type and status (ok, failed, timeout, offline).',
      labelNames: ['type', 'status'],
      registers: [registry],
    }),
  };
}
