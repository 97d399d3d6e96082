import { generateSync } from 'json-schema-faker';

/** A media type of a dereferenced OpenAPI response. */
interface MediaTypeObject {
  schema?: object;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}

interface OperationObject {
  operationId?: string;
  responses?: Record<string, { content?: Record<string, MediaTypeObject> }>;
}

/** The parts of a dereferenced OpenAPI document the catalog reads. */
export interface DereferencedSpec {
  paths?: Record<string, Record<string, unknown>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** What a spec says an operation may answer: for scenario checks, `Prefer` headers and default bodies. */
export class OperationCatalog {
  private readonly operations = new Map<string, OperationObject>();

  constructor(spec: DereferencedSpec) {
    for (const item of Object.values(spec.paths ?? {})) {
      for (const method of METHODS) {
        const operation = item[method] as OperationObject | undefined;
        if (operation?.operationId !== undefined) this.operations.set(operation.operationId, operation);
      }
    }
  }

  has(operationId: string): boolean {
    return this.operations.has(operationId);
  }

  operationIds(): string[] {
    return [...this.operations.keys()];
  }

  /** The response keys the spec declares (`200`, `4XX`, `default`). */
  declaredStatuses(operationId: string): string[] {
    return Object.keys(this.operations.get(operationId)?.responses ?? {});
  }

  /** Whether the spec declares this exact status for the operation (`4XX` and `default` do not count). */
  declares(operationId: string, status: number): boolean {
    return this.declaredStatuses(operationId).includes(String(status));
  }

  private media(operationId: string, status: number): MediaTypeObject | undefined {
    const responses = this.operations.get(operationId)?.responses ?? {};
    const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    const content = response?.content ?? {};
    const key = Object.keys(content).find((type) => type.includes('json')) ?? Object.keys(content)[0];
    return key === undefined ? undefined : content[key];
  }

  /** Whether the answer with this status has a body at all. */
  hasBody(operationId: string, status: number): boolean {
    return this.media(operationId, status) !== undefined;
  }

  /** The names of the examples declared for a status. */
  exampleNames(operationId: string, status: number): string[] {
    return Object.keys(this.media(operationId, status)?.examples ?? {});
  }

  /** A named example, the first example, or undefined. */
  example(operationId: string, status: number, name?: string): { found: boolean; value?: unknown } {
    const media = this.media(operationId, status);
    if (media === undefined) return { found: false };
    const examples = media.examples ?? {};
    if (name !== undefined) {
      return name in examples ? { found: true, value: examples[name]?.value } : { found: false };
    }
    const first = Object.values(examples)[0];
    if (first !== undefined) return { found: true, value: first.value };
    if (media.example !== undefined) return { found: true, value: media.example };
    return { found: false };
  }

  /** A body generated from the response schema (json-schema-faker, seeded: same seed, same body). */
  generate(operationId: string, status: number, seed: number): unknown {
    const schema = this.media(operationId, status)?.schema;
    if (schema === undefined) return undefined;
    return generateSync(schema as Parameters<typeof generateSync>[0], { seed });
  }
}
