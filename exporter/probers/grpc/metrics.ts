/** The grpc prober's metric families (name, HELP), as blackbox_exporter names them. */
export const GRPC_METRICS = {
  duration: ['probe_grpc_duration_seconds', 'Duration of gRPC request by phase'],
  ssl: ['probe_grpc_ssl', 'Indicates if SSL was used for the connection'],
  statusCode: ['probe_grpc_status_code', 'Response gRPC status code'],
  healthcheck: ['probe_grpc_healthcheck_response', 'Response HealthCheck response'],
} as const;
