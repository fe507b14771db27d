import type { FastifyInstance } from 'fastify';
import { parseHistoryQuery } from '../history-query.js';
import type { ResultStore } from '../store/results.js';

/** Past measurements, row by row: "was it like this yesterday from ams?". */
export function historyRoutes(app: FastifyInstance, deps: { results: ResultStore }): void {
  app.get('/api/v1/measurements', { config: { scope: 'read' } }, async (req) => deps.results.history(parseHistoryQuery(req.query)));
}
