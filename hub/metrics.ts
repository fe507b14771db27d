import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type AgentView, agentState } from './registry.js';

export interface HubMetrics {
  registry: Registry;
  measurements: Counter<'type'>;
  rows: Counter<'type' | 'status'>;
  agentCall: Histogram<'agent'>;
  fanout: Histogram<'type'>;
  announcements: Counter<'result'>;
}

const CALL_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** The hub's own metrics, in a registry of its own (two hubs in one process do not collide). */
export function createHubMetrics(agents: () => AgentView[]): HubMetrics {
  const registry = new Registry();
  new Gauge({
    name: 'pulse_hub_agents',
    help: 'Agents known to the hub, by state (active, inactive, refused).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const counts = { active: 0, inactive: 0, refused: 0 };
      for (const a of agents()) counts[agentState(a)]++;
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  return {
    registry,
    measurements: new Counter({
      name: 'pulse_hub_measurements_total',
      help: 'Measurements started, by test type.',
      labelNames: ['type'],
      registers: [registry],
    }),
    rows: new Counter({
      name: 'pulse_hub_measurement_results_total',
      help: 'Per-agent results of measurements, by test type and status (ok, failed, timeout, offline).',
      labelNames: ['type', 'status'],
      registers: [registry],
    }),
    agentCall: new Histogram({
      name: 'pulse_hub_agent_call_duration_seconds',
      help: 'Duration of the hub calling one agent to run one test, by agent.',
      labelNames: ['agent'],
      buckets: CALL_BUCKETS,
      registers: [registry],
    }),
    fanout: new Histogram({
      name: 'pulse_hub_fanout_duration_seconds',
      help: 'Time from the start of a measurement until every selected agent has a result, by test type.',
      labelNames: ['type'],
      buckets: CALL_BUCKETS,
      registers: [registry],
    }),
    announcements: new Counter({
      name: 'pulse_hub_agent_announcements_total',
      help: 'Agent registrations and heartbeats, by result (accepted, refused, invalid).',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
}
