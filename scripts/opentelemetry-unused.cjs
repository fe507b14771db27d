'use strict';
// What the bundles get for `require('@opentelemetry/api')` (scripts/bundle.mjs). prom-client
// requires it at load for exemplars, which Pulse never enables (no `enableExemplars`), and the
// real module sets up its global registry, diagnostics and context API as it loads: about 0.5 MB
// resident in every agent (docs/performance.md). These two calls are all prom-client makes, and
// only with exemplars on; they answer "no active span".
exports.context = { active: () => undefined };
exports.trace = { getSpan: () => undefined };
