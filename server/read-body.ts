import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../core/errors.js';

const gunzipAsync = promisify(gunzip);
const jsonMediaType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const cutShort = (error: unknown) =>
  // A client hanging up mid-body fails with ECONNRESET, which would otherwise read as the database being down.
  new BadRequestError(`the request body was cut short: ${(error as Error).message}`);

async function readLimited(request: Request, limit: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw new PayloadTooLargeError(limit);
  // With a declared length the HTTP parser delivers exactly that many bytes, so the whole
  // body may be read at once: the Node adapter then skips building a web stream for it.
  if (Number.isFinite(declared)) {
    try {
      return Buffer.from(await request.arrayBuffer());
    } catch (error) {
      throw cutShort(error);
    }
  }
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read().catch((error: unknown) => Promise.reject(cutShort(error)));
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

async function decode(raw: Buffer, encoding: string, limit: number): Promise<Buffer> {
  if (encoding === '' || encoding === 'identity') return raw;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new UnsupportedMediaTypeError(`Content-Encoding ${encoding} (only gzip is accepted)`);
  }
  try {
    // maxOutputLength stops a gzip bomb at the limit instead of inflating it in memory.
    return await gunzipAsync(raw, { maxOutputLength: limit });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new PayloadTooLargeError(limit);
    throw new BadRequestError(`body is not valid gzip: ${(error as Error).message}`);
  }
}

/** The request body as JSON text: media type checked, size bounded before and after gunzip, UTF-8 enforced. */
export function readJsonText(request: Request, limit: number): Promise<string> {
  return readJsonBody((name) => request.headers.get(name) ?? undefined, () => readLimited(request, limit), limit);
}

/**
 * readJsonText for any transport: `header` reads a request header, `read` the raw body
 * (refusing one over `limit` with PayloadTooLargeError). The media type is checked before
 * the body is read.
 */
export async function readJsonBody(header: (name: string) => string | undefined, read: () => Promise<Buffer>, limit: number): Promise<string> {
  const type = header('content-type');
  if (!type || !jsonMediaType.test(type)) throw new UnsupportedMediaTypeError(type);
  const encoding = (header('content-encoding') ?? '').trim().toLowerCase();
  const body = await decode(await read(), encoding, limit);
  try {
    return utf8.decode(body);
  } catch {
    throw new BadRequestError('body is not valid UTF-8');
  }
}

/**
 * The body of a node:http request, bounded like readLimited: a declared length over the
 * limit is refused before reading, a stream that grows past it as soon as it does (the rest
 * is read and dropped, so the answer can still be sent on the connection).
 */
export function readIncoming(incoming: import('node:http').IncomingMessage, limit: number, contentLength?: string): Promise<Buffer> {
  const declared = Number(contentLength ?? Number.NaN);
  if (declared > limit) return Promise.reject(new PayloadTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      reject(error);
    };
    incoming.on('data', (chunk: Buffer) => {
      if (settled) return;
      total += chunk.byteLength;
      if (total > limit) return fail(new PayloadTooLargeError(limit));
      chunks.push(chunk);
    });
    incoming.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    });
    incoming.on('error', (error) => fail(cutShort(error)));
    incoming.on('aborted', () => fail(cutShort(new Error('aborted'))));
  });
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') throw new BadRequestError('body is empty; expected a JSON envelope');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequestError(`body is not valid JSON: ${(error as Error).message}`);
  }
}
