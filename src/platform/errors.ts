/**
 * Named errors. Services throw these; only the HTTP edge (platform/http/problem.ts) maps
 * them to a status and an RFC 9457 problem document. Messages must never contain personal
 * data: they name fields, states and rules, not values.
 */
export type ErrorCode =
  | 'validation'
  | 'not-found'
  | 'conflict'
  | 'unprocessable'
  | 'unauthenticated'
  | 'forbidden'
  | 'purpose-required'
  | 'purpose-not-granted'
  | 'field-not-granted'
  | 'precondition-failed'
  | 'precondition-required'
  | 'too-many-requests'
  | 'audit-unavailable'
  | 'busy'
  | 'locked';

export interface FieldIssue {
  /** JSON pointer or field name, e.g. `/persons/0/birthDate` or `fields`. */
  field: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[] | undefined;
  readonly detail: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, opts: { issues?: FieldIssue[]; detail?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.issues = opts.issues;
    this.detail = opts.detail;
  }
}

export const validationError = (message: string, issues?: FieldIssue[]) =>
  new DomainError('validation', message, issues ? { issues } : {});
export const notFound = (what: string) => new DomainError('not-found', `${what} was not found`);
export const conflict = (message: string, detail?: Record<string, unknown>) =>
  new DomainError('conflict', message, detail ? { detail } : {});
export const unprocessable = (message: string, detail?: Record<string, unknown>) =>
  new DomainError('unprocessable', message, detail ? { detail } : {});
export const unauthenticated = (message = 'authentication is required') => new DomainError('unauthenticated', message);
export const forbidden = (message: string) => new DomainError('forbidden', message);
