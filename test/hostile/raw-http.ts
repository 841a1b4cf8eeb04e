import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes bytes to a fresh TCP connection, half-closes it unless told to keep it open, and
 * resolves with everything the server sent once it closes the connection: for what a fetch
 * or `app.request` cannot send (bytes, headers that lie).
 */
export function exchange(port: number, bytes: Buffer, { halfClose = true } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(received)));
    socket.write(bytes);
    if (halfClose) socket.end();
  });
}

/** The HTTP/1.1 responses in what a server sent, in order (Content-Length framed, as the app's are). */
export function responses(stream: Buffer): RawResponse[] {
  const found: RawResponse[] = [];
  let rest = stream;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const [statusLine, ...lines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length'] ?? 0);
    found.push({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine!)?.[1]), headers, body: rest.subarray(end + 4, end + 4 + length).toString('utf8') });
    rest = rest.subarray(end + 4 + length);
  }
  return found;
}

/** A request's head, Content-Length as given (it may lie), then `body`. */
export function request(path: string, headers: Record<string, string>, body: Buffer | string = ''): Buffer {
  const head = [`POST ${path} HTTP/1.1`, 'Host: arrakis.test', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), Buffer.from(body)]);
}
