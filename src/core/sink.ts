import { RingBuffer } from './ring-buffer.js';

/** A delivery that arrived at the built-in sink. */
export interface SinkEntry {
  receivedAt: string;
  method: string;
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The raw body as UTF-8 text, as it arrived (cut at `maxBodyBytes`, then `bodyTruncated` is true). */
  body: string;
  bodyTruncated?: boolean;
}

export interface SinkLimits {
  /** Named boxes kept; a new name beyond this drops the box that was created first. */
  maxBoxes: number;
  /** Deliveries kept per box, newest last. */
  entriesPerBox: number;
  /** Bytes of each body kept. */
  maxBodyBytes: number;
  /** Longest box name. */
  maxNameLength: number;
}

export const DEFAULT_SINK_LIMITS: SinkLimits = {
  maxBoxes: 100,
  entriesPerBox: 100,
  maxBodyBytes: 64 * 1024,
  maxNameLength: 64,
};

/** A box name: letters, digits, `.`, `_`, `~` and `-`, at most `maxNameLength` characters. */
const NAME = /^[A-Za-z0-9._~-]+$/;

/**
 * Named in-memory receivers, so the demo fixtures can deliver somewhere with no other software running. Bounded:
 * at most `maxBoxes` names (the oldest box goes when a new name comes), `entriesPerBox` deliveries each, bodies
 * kept up to `maxBodyBytes` — about 640 MiB at the very worst with the defaults, 6.4 MiB for a box per name.
 */
export class Sink {
  private readonly boxes = new Map<string, RingBuffer<SinkEntry>>();

  constructor(readonly limits: SinkLimits = DEFAULT_SINK_LIMITS) {}

  /** Why a name cannot be a box, or undefined when it can. */
  nameProblem(name: string): string | undefined {
    if (name.length > this.limits.maxNameLength)
      return `a sink name has at most ${this.limits.maxNameLength} characters`;
    if (!NAME.test(name)) return 'a sink name has letters, digits, ".", "_", "~" and "-" only';
    return undefined;
  }

  receive(name: string, entry: SinkEntry): void {
    let box = this.boxes.get(name);
    if (box === undefined) {
      if (this.boxes.size >= this.limits.maxBoxes) {
        const oldest = this.boxes.keys().next().value;
        if (oldest !== undefined) this.boxes.delete(oldest);
      }
      box = new RingBuffer(this.limits.entriesPerBox);
      this.boxes.set(name, box);
    }
    const bytes = Buffer.byteLength(entry.body);
    box.push(
      bytes > this.limits.maxBodyBytes
        ? {
            ...entry,
            body: Buffer.from(entry.body).subarray(0, this.limits.maxBodyBytes).toString('utf8'),
            bodyTruncated: true,
          }
        : entry,
    );
  }

  list(name: string): SinkEntry[] {
    return this.boxes.get(name)?.toArray() ?? [];
  }

  /** How many named boxes exist. */
  get size(): number {
    return this.boxes.size;
  }

  clear(): void {
    this.boxes.clear();
  }
}
