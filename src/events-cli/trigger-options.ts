/**
 * The trigger command's options turned into a TriggerRequest: `--set path=value` pairs (the value read as JSON
 * when it is JSON, as text otherwise), the `--data` file, and the rest as they are.
 */
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import type { TriggerRequest } from '../core/event-catalogue.js';
import { MockError } from '../core/errors.js';
import { pathSegments, setValue } from '../core/json-path.js';
import { setOwn } from '../core/safe-object.js';
import { TriggerNotSent } from './not-sent.js';

export interface SetPair {
  path: string;
  value: unknown;
}

/** `taskView.task.displayName=Access to prod` → the path and its value; a commander argument parser's error otherwise. */
export function parseSetPair(text: string): SetPair {
  const at = text.indexOf('=');
  if (at <= 0)
    throw new InvalidArgumentError('--set takes path=value, e.g. --set agreementName="Renewal 2026"');
  const path = text.slice(0, at).trim();
  try {
    pathSegments(path);
  } catch (error) {
    if (error instanceof MockError) throw new InvalidArgumentError(error.message);
    throw error;
  }
  return { path, value: setValue(text.slice(at + 1)) };
}

/** For commander: each `--set` adds a pair. */
export function collectSetPair(text: string, previous: SetPair[] | undefined): SetPair[] {
  return [...(previous ?? []), parseSetPair(text)];
}

/** The pairs as a trigger's `set` (a later pair for the same path wins); user paths become own keys only. */
export function setRecord(pairs: readonly SetPair[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const pair of pairs) setOwn(record, pair.path, pair.value);
  return record;
}

/** The event's own part from a JSON file. */
export async function readDataFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : String(code);
    throw new TriggerNotSent(`cannot read --data ${file}: ${why}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new TriggerNotSent(`--data ${file} is not JSON: ${(error as Error).message}`);
  }
}

export interface TriggerFlags {
  webhook?: string;
  set?: SetPair[];
  data?: string;
  variant?: string;
  negative?: string;
  allowInvalid?: boolean;
}

/** The request the flags describe. */
export async function triggerRequestOf(
  vendor: string,
  event: string,
  flags: TriggerFlags,
): Promise<TriggerRequest> {
  const data = flags.data === undefined ? undefined : await readDataFile(flags.data);
  const set = setRecord(flags.set ?? []);
  return {
    vendor,
    event,
    ...(flags.webhook === undefined ? {} : { webhookId: flags.webhook }),
    ...(flags.variant === undefined ? {} : { variant: flags.variant }),
    ...(data === undefined ? {} : { data }),
    ...(Object.keys(set).length === 0 ? {} : { set }),
    ...(flags.allowInvalid === true ? { allowInvalid: true } : {}),
    ...(flags.negative === undefined ? {} : { negative: flags.negative }),
  };
}
