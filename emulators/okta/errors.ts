// Okta's error body (errorCode, errorSummary, errorLink, errorId, errorCauses) for every 4xx/5xx the emulator
// gives. Codes and summaries follow the reference sheet §3.6; errorLink equals errorCode as Okta does today.
import { newErrorId } from './ids';

export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: Array<{ errorSummary: string }>;
}

/** A failure the API answers with an Okta error body. */
export class OktaProblem extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly errorSummary: string,
    readonly causes: string[] = [],
  ) {
    super(errorSummary);
  }

  body(): OktaErrorBody {
    return {
      errorCode: this.errorCode,
      errorSummary: this.errorSummary,
      errorLink: this.errorCode,
      errorId: newErrorId(),
      errorCauses: this.causes.map((errorSummary) => ({ errorSummary })),
    };
  }
}

export function notFound(id: string, kind: 'User' | 'Group' | 'EventHook' | 'AppInstance'): OktaProblem {
  return new OktaProblem(404, 'E0000007', `Not found: Resource not found: ${id} (${kind})`);
}

/** 400 E0000001 "Api validation failed: {field}", with one errorCause per problem found. */
export function validationFailed(field: string, cause?: string | string[]): OktaProblem {
  const causes = cause === undefined ? [] : Array.isArray(cause) ? cause : [cause];
  return new OktaProblem(400, 'E0000001', `Api validation failed: ${field}`, causes);
}

export function invalidToken(): OktaProblem {
  return new OktaProblem(401, 'E0000011', 'Invalid token provided');
}

export function rateLimited(): OktaProblem {
  return new OktaProblem(429, 'E0000047', 'API call exceeded rate limit due to too many requests.');
}

/** The error an injected fault of a given status answers with. */
export function problemForStatus(status: number): OktaProblem {
  switch (status) {
    case 400:
      return validationFailed('request');
    case 401:
      return invalidToken();
    case 403:
      return new OktaProblem(403, 'E0000006', 'You do not have permission to perform the requested action');
    case 404:
      return new OktaProblem(404, 'E0000007', 'Not found: Resource not found');
    case 405:
      return new OktaProblem(405, 'E0000022', 'The endpoint does not support the provided HTTP method');
    case 409:
      return new OktaProblem(409, 'E0000112', 'Unable to update this user because the user is still being activated.');
    case 429:
      return rateLimited();
    case 503:
      return new OktaProblem(503, 'E0000010', 'Service is in read only mode');
    default:
      return new OktaProblem(status, 'E0000009', 'Internal Server Error');
  }
}
