export { startMockServer, defaultFixturesDir, builtInScenariosDir } from './server/index.js';
export type { MockServer, MockServerOptions } from './server/index.js';
export type {
  DeliveryFilter,
  DeliveryJournal,
  DeliveryRecord,
  RequestFilter,
  RequestJournal,
  RequestRecord,
  VendorName,
} from './core/journal.js';
export type { DeliveryOutcome, DeliveryRequest, DeliveryResult, ReceivedResponse } from './core/delivery.js';
export type { Sink, SinkEntry } from './core/sink.js';
export type { DeliveryVerification } from './core/vendor-module.js';
export type { ScenarioSummary } from './core/scenario-engine.js';
export { UnknownScenarioError } from './core/scenario-engine.js';
export { FixtureError } from './core/fixtures.js';
export { ScenarioError } from './core/scenario-file.js';
export { installLastResortHandlers } from './core/last-resort.js';
