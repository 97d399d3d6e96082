export { startMockServer, defaultFixturesDir } from './server.js';
export type { MockServer, MockServerOptions } from './server.js';
export type { DeliveryJournal, DeliveryRecord, VendorName } from './core/journal.js';
export type { DeliveryOutcome, DeliveryRequest, DeliveryResult, ReceivedResponse } from './core/delivery.js';
export type { Sink, SinkEntry } from './core/sink.js';
export { FixtureError } from './core/fixtures.js';
