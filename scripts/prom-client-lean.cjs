'use strict';
// What the bundles get for `import ... from 'prom-client'` (scripts/bundle.mjs): the parts Pulse's
// programs import. prom-client's own index requires every part as it loads, among them the
// Pushgateway (node:https, node:tls, node:zlib) and the cluster aggregator, none of which an
// exporter needs to start. Here the aggregator is a getter, loaded on first use (by the exporter's
// --workers primary only), and the Pushgateway is left out. A new import from 'prom-client' that
// is not listed here is undefined in the bundle: test/package checks the bundled programs run.
exports.Registry = require('prom-client/lib/registry');
exports.Counter = require('prom-client/lib/counter');
exports.Gauge = require('prom-client/lib/gauge');
exports.Histogram = require('prom-client/lib/histogram');
exports.collectDefaultMetrics = require('prom-client/lib/defaultMetrics');
Object.defineProperty(exports, 'AggregatorRegistry', { enumerable: true, get: () => require('prom-client/lib/cluster') });
