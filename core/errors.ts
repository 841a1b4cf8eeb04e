/**
 * Typed failures that cross a boundary. The HTTP layer maps each to its status in one
 * place (server/on-error.ts); the CLI prints `message` as its one-line reason.
 */
export class ArrakisError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

export class BadRequestError extends ArrakisError {
  constructor(message: string, issues?: FieldIssue[]) {
    super(400, 'bad_request', message, issues);
  }
}

export class UnauthorizedError extends ArrakisError {
  constructor(message = 'missing or unknown key: send Authorization: Bearer <key>') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends ArrakisError {
  constructor(scope: string) {
    super(403, 'forbidden', `this key does not have the ${scope} scope`);
  }
}

export class ConflictError extends ArrakisError {
  constructor(message: string, details?: unknown) {
    super(409, 'conflict', message, details);
  }
}

export class PayloadTooLargeError extends ArrakisError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `body exceeds the limit of ${limitBytes} bytes (decoded)`);
  }
}

export class UnsupportedMediaTypeError extends ArrakisError {
  constructor(got: string | undefined) {
    super(415, 'unsupported_media_type', `expected Content-Type application/json, got ${got ?? 'none'}`);
  }
}

export class UnavailableError extends ArrakisError {
  constructor(message: string) {
    super(503, 'unavailable', message);
  }
}

export class ConfigError extends ArrakisError {
  constructor(message: string) {
    super(500, 'config', message);
  }
}
