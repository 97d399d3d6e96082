/**
 * What a spec says an operation may answer: the statuses it declares, their examples, and bodies generated from
 * their schemas — for scenario checks, `Prefer` headers and default bodies. json-schema-faker is loaded on the
 * first generated body, not at start-up.
 */
import { deref, inlineRefs } from './spec-document.js';
import type { OpenApiDocument } from './spec-document.js';

interface MediaTypeObject {
  schema?: object;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}

interface OperationObject {
  operationId?: string;
  responses?: Record<string, unknown>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

export class OperationCatalog {
  private readonly operations = new Map<string, OperationObject>();

  constructor(private readonly document: OpenApiDocument) {
    for (const item of Object.values(document.paths ?? {})) {
      const pathItem = deref<Record<string, unknown>>(document, item);
      for (const method of METHODS) {
        const operation = pathItem[method] as OperationObject | undefined;
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
    const raw = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    if (raw === undefined) return undefined;
    const response = deref<{ content?: Record<string, MediaTypeObject> }>(this.document, raw);
    const content = response.content ?? {};
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
      return Object.hasOwn(examples, name)
        ? { found: true, value: deref<{ value?: unknown }>(this.document, examples[name]).value }
        : { found: false };
    }
    const first = Object.values(examples)[0];
    if (first !== undefined)
      return { found: true, value: deref<{ value?: unknown }>(this.document, first).value };
    if (media.example !== undefined) return { found: true, value: media.example };
    return { found: false };
  }

  /** A body generated from the response schema (json-schema-faker, seeded: same seed, same body). */
  async generate(operationId: string, status: number, seed: number): Promise<unknown> {
    const schema = this.media(operationId, status)?.schema;
    if (schema === undefined) return undefined;
    const { generateSync } = await import('json-schema-faker');
    return generateSync(inlineRefs(this.document, schema) as Parameters<typeof generateSync>[0], { seed });
  }
}
