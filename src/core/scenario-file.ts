import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { bundledData } from './bundled-data.js';
import { compileSchema, describeSchemaErrors } from './json-schema.js';
import type { VendorName } from './vendor-module.js';
import { NEGATIVE_KINDS } from './negative.js';
import type { NegativeKind } from './negative.js';
import type { OperationCatalog } from './operation-catalog.js';
import { describeYamlError, firstYamlError } from './yaml-errors.js';

/** An answer a scenario puts in place of the handler's. `body` defaults to a spec-valid vendor body. */
export interface RespondOverride {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A delivery outcome decided without contacting anyone. */
export type SimulatedDelivery =
  | { kind: 'response'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'timeout' }
  | { kind: 'connection-refused' };

/** One step of a rule: what happens to one matching call. A step with nothing in it lets the call through. */
export interface ScenarioStep {
  respond?: RespondOverride;
  simulate?: SimulatedDelivery;
  /** Extra time before the answer, in ms. */
  latencyMs?: number;
  /** Make the call's deliveries wrong on purpose (as `X-Mock-Negative` does). */
  negative?: NegativeKind;
}

export interface ScenarioMatch {
  webhook?: string;
  credential?: string;
  /** Header name (any case) → exact value. */
  headers?: Record<string, string>;
  /** Dot path into the parsed body → exact value. */
  body?: Record<string, unknown>;
}

export interface ScenarioRule {
  vendor: VendorName;
  operation: string;
  match: ScenarioMatch;
  /** The steps, in order; a rule without `sequence` has one step. */
  steps: ScenarioStep[];
  /** Whether the steps came from `sequence` (they run once each, then the rule is used up). */
  isSequence: boolean;
  /** With a sequence: the steps run once, then the rule stops matching. Without: `times` uses, or forever. */
  times?: number;
}

export interface Scenario {
  name: string;
  description: string;
  /** The file it came from. */
  file: string;
  rules: ScenarioRule[];
}

/** A scenario file that cannot be used, with file, path and reason. */
export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly reasons: string[],
    /** A message of its own when the list form does not fit (a YAML syntax error). */
    message?: string,
  ) {
    super(
      message ?? `invalid scenario file ${file}:\n${reasons.map((reason) => `  - ${reason}`).join('\n')}`,
    );
    this.name = 'ScenarioError';
  }
}

const headerMap = { type: 'object', additionalProperties: { type: 'string' } };
const respondSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: {
    status: { type: 'integer', minimum: 100, maximum: 599 },
    body: {},
    headers: headerMap,
  },
};
const simulateSchema = {
  oneOf: [
    { enum: ['timeout', 'connection_refused'] },
    {
      type: 'object',
      additionalProperties: false,
      required: ['status'],
      properties: {
        status: { type: 'integer', minimum: 100, maximum: 599 },
        body: { type: 'string' },
        headers: headerMap,
      },
    },
  ],
};
const stepProperties = {
  respond: respondSchema,
  simulate: simulateSchema,
  latency: { type: 'integer', minimum: 0, maximum: 600_000 },
  negative: { enum: NEGATIVE_KINDS },
};

/** The file format, checked before anything else (unknown keys are errors). */
export const scenarioFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    description: { type: 'string' },
    rules: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['vendor', 'operation'],
        properties: {
          vendor: { type: 'string', minLength: 1 },
          operation: { type: 'string', minLength: 1 },
          match: {
            type: 'object',
            additionalProperties: false,
            properties: {
              webhook: { type: 'string' },
              credential: { type: 'string' },
              headers: headerMap,
              body: { type: 'object' },
            },
          },
          times: { type: 'integer', minimum: 1 },
          ...stepProperties,
          sequence: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              properties: { ...stepProperties, pass: { const: true } },
            },
          },
        },
      },
    },
  },
};

const validateFile = compileSchema(scenarioFileSchema);

interface RawStep {
  respond?: RespondOverride;
  simulate?:
    'timeout' | 'connection_refused' | { status: number; body?: string; headers?: Record<string, string> };
  latency?: number;
  negative?: NegativeKind;
  pass?: true;
}
interface RawRule extends RawStep {
  vendor: VendorName;
  operation: string;
  match?: ScenarioMatch;
  times?: number;
  sequence?: RawStep[];
}
interface RawFile {
  name?: string;
  description?: string;
  rules: RawRule[];
}

function toStep(raw: RawStep): ScenarioStep {
  const step: ScenarioStep = {};
  if (raw.respond !== undefined) step.respond = raw.respond;
  if (raw.latency !== undefined) step.latencyMs = raw.latency;
  if (raw.negative !== undefined) step.negative = raw.negative;
  if (raw.simulate === 'timeout') step.simulate = { kind: 'timeout' };
  else if (raw.simulate === 'connection_refused') step.simulate = { kind: 'connection-refused' };
  else if (raw.simulate !== undefined) step.simulate = { kind: 'response', ...raw.simulate };
  return step;
}

/**
 * Parses and checks one scenario file's text against the vendors' specs (and, when given, the negative
 * deliveries each vendor can make).
 */
export function parseScenario(
  file: string,
  text: string,
  catalogs: ReadonlyMap<VendorName, OperationCatalog>,
  negativeKinds?: ReadonlyMap<VendorName, readonly NegativeKind[]>,
): Scenario {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const syntax = firstYamlError(document.errors);
  if (syntax !== undefined) {
    throw new ScenarioError(
      file,
      [`line ${syntax.line}, column ${syntax.column}: ${syntax.reason}`],
      describeYamlError(file, syntax),
    );
  }
  return checkScenario(file, document.toJS(), catalogs, negativeKinds);
}

/** Checks one scenario file's parsed data, as parseScenario does after parsing. */
function checkScenario(
  file: string,
  data: unknown,
  catalogs: ReadonlyMap<VendorName, OperationCatalog>,
  negativeKinds?: ReadonlyMap<VendorName, readonly NegativeKind[]>,
): Scenario {
  if (!validateFile(data)) throw new ScenarioError(file, describeSchemaErrors(validateFile.errors));
  const raw = data as RawFile;

  const reasons: string[] = [];
  const rules = raw.rules.map((rule, index): ScenarioRule => {
    const where = `/rules/${index}`;
    const catalog = catalogs.get(rule.vendor);
    if (catalog === undefined) {
      reasons.push(`${where}/vendor: must be one of: ${[...catalogs.keys()].join(', ')}`);
    } else if (!catalog.has(rule.operation)) {
      reasons.push(
        `${where}/operation: "${rule.operation}" is not an operationId of the ${rule.vendor} spec (known: ${catalog
          .operationIds()
          .join(', ')})`,
      );
    }
    if (rule.sequence !== undefined) {
      for (const key of ['respond', 'simulate', 'latency', 'negative', 'times'] as const) {
        if (rule[key] !== undefined)
          reasons.push(`${where}/${key}: put it inside a step of "sequence", not next to it`);
      }
    }
    const rawSteps = rule.sequence ?? [rule];
    rawSteps.forEach((step, stepIndex) => {
      const known = negativeKinds?.get(rule.vendor);
      if (step.negative !== undefined && known !== undefined && !known.includes(step.negative)) {
        const stepPath = rule.sequence === undefined ? where : `${where}/sequence/${stepIndex}`;
        reasons.push(
          `${stepPath}/negative: ${rule.vendor} has no negative delivery "${step.negative}" (known: ${known.join(', ')})`,
        );
      }
      const status = step.respond?.status;
      if (
        status !== undefined &&
        catalog?.has(rule.operation) === true &&
        !catalog.declares(rule.operation, status)
      ) {
        const stepPath = rule.sequence === undefined ? where : `${where}/sequence/${stepIndex}`;
        reasons.push(
          `${stepPath}/respond/status: ${rule.operation} does not declare ${status} in the spec (declared: ${catalog
            .declaredStatuses(rule.operation)
            .join(', ')})`,
        );
      }
    });
    const result: ScenarioRule = {
      vendor: rule.vendor,
      operation: rule.operation,
      match: rule.match ?? {},
      steps: rawSteps.map(toStep),
      isSequence: rule.sequence !== undefined,
    };
    if (rule.times !== undefined) result.times = rule.times;
    return result;
  });
  if (reasons.length > 0) throw new ScenarioError(file, reasons);
  return {
    name: raw.name ?? path.basename(file).replace(/\.ya?ml$/, ''),
    description: raw.description ?? '',
    file,
    rules,
  };
}

/** Loads every `*.yaml` scenario in a folder; a missing folder holds none. */
export async function loadScenarioDir(
  dir: string,
  catalogs: ReadonlyMap<VendorName, OperationCatalog>,
  negativeKinds?: ReadonlyMap<VendorName, readonly NegativeKind[]>,
): Promise<Scenario[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const scenarios: Scenario[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    // the built-in scenarios: the build's JSON copy, when current
    const compiled = bundledData(file);
    scenarios.push(
      compiled === undefined
        ? parseScenario(file, await readFile(file, 'utf8'), catalogs, negativeKinds)
        : checkScenario(file, compiled, catalogs, negativeKinds),
    );
  }
  const seen = new Map<string, string>();
  for (const scenario of scenarios) {
    const other = seen.get(scenario.name);
    if (other !== undefined)
      throw new ScenarioError(scenario.file, [`/name: "${scenario.name}" is also the name of ${other}`]);
    seen.set(scenario.name, scenario.file);
  }
  return scenarios;
}
