import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import type { DeliveryEngine } from '../core/delivery-engine.js';
import type { MockError } from '../core/errors.js';
import type { RequestJournal } from '../core/journal.js';
import type { OperationCatalog } from '../core/operation-catalog.js';
import type { ScenarioEngine } from '../core/scenario-engine.js';
import type { VendorModule, VendorRuntime } from '../core/vendor-runtime.js';
import type { RouteTable } from './routes.js';
import type { RequestValidators } from './validate.js';

/** A request to a vendor as the pipeline takes it: no framework, no socket — the http adapter made it. */
export interface PipelineRequest {
  requestId: string;
  method: string;
  /** Path and query as the client sent them, mount point included (for the journal). */
  url: string;
  /** The path below the vendor's mount point, still percent-encoded, without the query. */
  path: string;
  /** The query string without `?`. */
  query: string;
  /** Header names in lower case; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
  /** Why the body could not be read (too large, an unsupported encoding): the read stage answers it. */
  bodyError?: MockError;
}

/** The answer, ready for the wire. */
export interface PipelineResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A vendor as the pipeline runs it: its module, its started state, and its spec compiled for routing. */
export interface MountedVendor {
  module: VendorModule;
  runtime: VendorRuntime;
  routes: RouteTable;
  validators: RequestValidators;
  catalog: OperationCatalog;
}

/** What the pipeline uses besides the vendor. */
export interface PipelineServices {
  clock: Clock;
  logger: Logger;
  scenarios: ScenarioEngine;
  /** Seed for generated bodies; each generated body takes the next one. */
  nextBodySeed(): number;
  requests: RequestJournal;
  engine: DeliveryEngine;
  /** How much of each body the request journal keeps. */
  journalBodyBytes: number;
}
