import { RingBuffer } from './ring-buffer.js';

/** A delivery that arrived at the built-in sink. */
export interface SinkEntry {
  receivedAt: string;
  method: string;
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The raw body as UTF-8 text, exactly as it arrived. */
  body: string;
}

/** Named in-memory receivers, so the demo fixtures can deliver somewhere with no other software running. */
export class Sink {
  private readonly boxes = new Map<string, RingBuffer<SinkEntry>>();

  constructor(private readonly capacityPerName = 100) {}

  receive(name: string, entry: SinkEntry): void {
    let box = this.boxes.get(name);
    if (box === undefined) {
      box = new RingBuffer(this.capacityPerName);
      this.boxes.set(name, box);
    }
    box.push(entry);
  }

  list(name: string): SinkEntry[] {
    return this.boxes.get(name)?.toArray() ?? [];
  }

  clear(): void {
    this.boxes.clear();
  }
}
