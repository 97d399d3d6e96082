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
export type {
  EventVerdict,
  TriggeredDelivery,
  TriggerRequest,
  TriggerResult,
} from './core/event-catalogue.js';
export type { CatalogueEvent, VendorCatalogue } from './pipeline/event-desk.js';
export type { VendorActions } from './pipeline/action-desk.js';
export type { VendorSettingsInput } from './core/vendor-settings.js';
export type { C1KeyRotation } from './vendors/c1/keys.js';
export type { C1SigningAlgorithm } from './vendors/c1/key-derivation.js';
// the events' own parts, as receivers get them
export type {
  C1EventName,
  C1FindingDispatchPayload,
  C1Payload,
  C1PolicyApprovalStepPayload,
  C1PolicyPostActionPayload,
  C1ProvisionStepPayload,
  C1TaskView,
  C1TestPayload,
  C1WorkflowStepPayload,
} from './vendors/c1/events/types.js';
export type { C1Outcome, C1ResponseRule } from './vendors/c1/responses.js';
export type {
  AgreementNotificationTriggeredData,
  AgreementTransitionedData,
  ShodaiEventData,
  ShodaiEventType,
} from './vendors/shodai/events/types.js';
export type { ShodaiEnvelope } from './vendors/shodai/events/envelope.js';
export type { SoEventPart, WebhookStateKind } from './vendors/superoffice/events/types.js';
