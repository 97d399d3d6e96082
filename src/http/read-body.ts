/**
 * Reads a request body for the pipeline: at most `limit` bytes after decoding (`Content-Encoding` gzip,
 * deflate or br, as body-parser accepts them), with raw-body. What goes wrong is returned as the typed error the
 * pipeline's read stage answers, in the vendor's format.
 */
import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import type * as Zlib from 'node:zlib';
import getRawBody from 'raw-body';
import { MockError } from '../core/errors.js';

export type BodyRead = { body: Buffer; error?: undefined } | { body: Buffer; error: MockError };

/** node:zlib, loaded for the first encoded body rather than at start-up. */
const zlib = (): typeof Zlib => process.getBuiltinModule('node:zlib') as typeof Zlib;

function decoder(encoding: string): Transform | undefined | 'unsupported' {
  switch (encoding) {
    case 'identity':
    case '':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return zlib().createGunzip();
    case 'deflate':
      return zlib().createInflate();
    case 'br':
      return zlib().createBrotliDecompress();
    default:
      return 'unsupported';
  }
}

export async function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decode = decoder(encoding);
  if (decode === 'unsupported') {
    req.resume();
    return {
      body: Buffer.alloc(0),
      error: new MockError('unsupported-media-type', `unsupported content encoding "${encoding}"`),
    };
  }
  const stream = decode === undefined ? req : req.pipe(decode);
  try {
    const body = await getRawBody(stream, {
      limit,
      ...(decode === undefined && req.headers['content-length'] !== undefined
        ? { length: req.headers['content-length'] }
        : {}),
    });
    return { body };
  } catch (error) {
    const { type, message } = error as { type?: string; message?: string };
    if (decode !== undefined) req.unpipe(decode);
    req.resume();
    if (type === 'entity.too.large')
      return {
        body: Buffer.alloc(0),
        error: new MockError('payload-too-large', 'the request body is larger than the mock accepts'),
      };
    return {
      body: Buffer.alloc(0),
      error: new MockError(
        'malformed-body',
        `the request body could not be read: ${message ?? 'unknown error'}`,
      ),
    };
  }
}
