/**
 * The pipeline's stages in the order a request meets them, with the error kinds each can produce. The README's
 * lifecycle table lists the same, with each vendor's status per kind; a unit test holds the two together.
 */
import type { MockErrorKind } from '../core/errors.js';
import type { PipelineStage } from '../core/vendor-module.js';

export interface StageDescription {
  stage: PipelineStage;
  /** What the stage does, in a few words. */
  does: string;
  /** The error kinds it can answer with (in the vendor's format, or problem+json where noted). */
  kinds: readonly MockErrorKind[];
}

export const STAGES: readonly StageDescription[] = [
  {
    stage: 'route',
    does: 'method and path → an operation of the spec',
    kinds: ['route-not-found', 'method-not-allowed'],
  },
  {
    stage: 'read',
    does: 'the body, up to --body-limit, decoded (gzip, deflate, br)',
    kinds: ['payload-too-large', 'unsupported-media-type'],
  },
  {
    stage: 'parse',
    does: 'the body by Content-Type: JSON, form fields, XML',
    kinds: ['unsupported-media-type', 'malformed-body', 'payload-too-large'],
  },
  {
    stage: 'validate',
    does: 'path, query, headers and body against the operation',
    kinds: ['invalid-request'],
  },
  {
    stage: 'authenticate',
    does: "the vendor's credentials",
    kinds: ['unauthenticated', 'payment-required', 'forbidden'],
  },
  {
    stage: 'overrides',
    does: 'Prefer, X-Mock-Scenario, X-Mock-Negative, active scenarios (misuse: problem+json 400)',
    kinds: [],
  },
  {
    stage: 'handle',
    does: "the operation's handler: store and deliveries",
    kinds: ['invalid-request', 'not-found', 'conflict', 'limit-exceeded', 'not-implemented', 'internal'],
  },
  { stage: 'serialize', does: 'the answer as JSON (or XML by Accept)', kinds: [] },
];
