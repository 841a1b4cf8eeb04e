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
export async function readJsonText(request: Request, limit: number): Promise<string> {
  const type = request.headers.get('content-type');
  if (!type || !jsonMediaType.test(type)) throw new UnsupportedMediaTypeError(type ?? undefined);
  const encoding = (request.headers.get('content-encoding') ?? '').trim().toLowerCase();
  const body = await decode(await readLimited(request, limit), encoding, limit);
  try {
    return utf8.decode(body);
  } catch {
    throw new BadRequestError('body is not valid UTF-8');
  }
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') throw new BadRequestError('body is empty; expected a JSON envelope');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequestError(`body is not valid JSON: ${(error as Error).message}`);
  }
}
