// The two error shapes Genesys uses: the platform ErrorBody (message, code, status as a number, ...) and the
// SCIM error (schemas, status as a STRING, scimType, detail). Routes throw these; the error handler renders them.
import { randomUUID } from 'node:crypto';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export interface PlatformErrorBody {
  message: string;
  code: string;
  status: number;
  messageParams: Record<string, string>;
  contextId: string;
  details: Array<{ errorCode?: string; fieldName?: string; entityId?: string; entityName?: string }>;
  errors: PlatformErrorBody[];
}

export interface ScimErrorBody {
  schemas: string[];
  status: string;
  scimType?: ScimType;
  detail: string;
}

export function platformErrorBody(status: number, code: string, message: string): PlatformErrorBody {
  return { message, code, status, messageParams: {}, contextId: randomUUID(), details: [], errors: [] };
}

/** An error answered with a platform ErrorBody. */
export class PlatformError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): PlatformErrorBody {
    return platformErrorBody(this.status, this.code, this.message);
  }
}

/** An error answered with a SCIM error body. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    detail: string,
  ) {
    super(detail);
  }

  body(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [SCIM_ERROR_SCHEMA], status: String(this.status), detail: this.message };
    if (this.scimType) body.scimType = this.scimType;
    return body;
  }
}

/**
 * The API's 404: one generic text whatever is missing (the user, a role, a division, a queue). Production's text
 * is not documented, so nothing here tells a caller which id was unknown: clients must decide from facts.
 */
export const notFound = (): PlatformError =>
  new PlatformError(404, 'not.found', 'The requested resource was not found.');
export const badRequest = (message: string): PlatformError => new PlatformError(400, 'bad.request', message);

export function tooManyRequests(retryAfterSeconds: number, code = 'too.many.requests.retry.after'): PlatformError {
  return new PlatformError(
    429,
    code,
    `Rate limit exceeded the maximum. Retry the request in [${retryAfterSeconds}] seconds`,
    {
      'retry-after': String(retryAfterSeconds),
    },
  );
}
