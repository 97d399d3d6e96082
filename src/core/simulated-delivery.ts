import { http } from './node-http.js';
import type { DeliveryOutcome, DeliveryRequest } from './delivery.js';
import type { SimulatedDelivery } from './scenario-file.js';

/** The outcome a scenario decided for a delivery, built without contacting anyone. */
export function simulatedOutcome(
  request: DeliveryRequest,
  simulate: SimulatedDelivery,
  timeoutMs: number,
): DeliveryOutcome {
  const base = { request, startedAt: new Date(), durationMs: 0 };
  switch (simulate.kind) {
    case 'timeout':
      return {
        ...base,
        result: { kind: 'timeout', message: `no complete answer within ${timeoutMs} ms (simulated)` },
      };
    case 'connection-refused':
      return {
        ...base,
        result: {
          kind: 'connection-refused',
          code: 'ECONNREFUSED',
          message: `connect ECONNREFUSED ${new URL(request.url).host} (simulated)`,
        },
      };
    case 'response': {
      const headers = Object.fromEntries(
        Object.entries(simulate.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      );
      return {
        ...base,
        result: {
          kind: 'response',
          response: {
            status: simulate.status,
            statusText: http.STATUS_CODES[simulate.status] ?? '',
            headers,
            rawHeaders: Object.entries(simulate.headers ?? {}).flat(),
            body: Buffer.from(simulate.body ?? ''),
            truncated: false,
          },
        },
      };
    }
  }
}
