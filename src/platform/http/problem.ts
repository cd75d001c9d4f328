/**
 * The one place where errors become HTTP: named DomainErrors and Fastify's own errors map
 * to a status and an RFC 9457 problem document. Anything unknown is a plain 500 with the
 * request id; its details go to the log only.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorCode, type FieldIssue } from '../errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId: string;
  errors?: FieldIssue[];
  [extra: string]: unknown;
}

const STATUS: Record<ErrorCode, number> = {
  validation: 400,
  'purpose-required': 400,
  unauthenticated: 401,
  forbidden: 403,
  'purpose-not-granted': 403,
  'field-not-granted': 403,
  'not-found': 404,
  conflict: 409,
  'precondition-failed': 412,
  'precondition-required': 428,
  unprocessable: 422,
  locked: 423,
  'too-many-requests': 429,
  'audit-unavailable': 503,
  busy: 503,
};

const TITLE: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  428: 'Precondition Required',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const problemType = (slug: string) => `https://yakuba.example/problems/${slug}`;

export function makeProblem(req: FastifyRequest, status: number, slug: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return {
    type: problemType(slug),
    title: TITLE[status] ?? 'Error',
    status,
    detail,
    instance: req.url.split('?')[0],
    requestId: req.id,
    ...extra,
  };
}

/** Fastify/Ajv validation errors → field issues with a JSON pointer. */
function validationIssues(err: FastifyError): FieldIssue[] {
  const part = err.validationContext ?? 'body';
  return (err.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>;
    let field = `${part}${v.instancePath || ''}`;
    let message = v.message ?? 'is not valid';
    if (v.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      field = `${field}/${params.additionalProperty}`;
      message = 'is not a known field';
    } else if (v.keyword === 'required' && typeof params.missingProperty === 'string') {
      field = `${field}/${params.missingProperty}`;
      message = 'is required';
    }
    return { field, message };
  });
}

export function toProblem(err: unknown, req: FastifyRequest): { problem: Problem; unexpected: boolean } {
  if (err instanceof DomainError) {
    const status = STATUS[err.code];
    const extra: Record<string, unknown> = { ...(err.detail ?? {}) };
    if (err.issues) extra.errors = err.issues;
    return { problem: makeProblem(req, status, err.code, err.message, extra), unexpected: false };
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    const errors = validationIssues(fe);
    const names = errors.map((e) => e.field).join(', ');
    return { problem: makeProblem(req, 400, 'validation', `the request is not valid: ${names}`, { errors }), unexpected: false };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { problem: makeProblem(req, 413, 'body-too-large', 'the request body is larger than this server accepts'), unexpected: false };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { problem: makeProblem(req, 415, 'unsupported-media-type', 'send application/json (or a form where a form is expected)'), unexpected: false };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { problem: makeProblem(req, 400, 'malformed-json', 'the JSON body is empty'), unexpected: false };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { problem: makeProblem(req, 400, 'malformed-json', 'the body is not valid JSON'), unexpected: false };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { problem: makeProblem(req, 400, 'bad-content-length', 'Content-Length does not match the body'), unexpected: false };
    default:
      break;
  }
  if (fe instanceof SyntaxError || (fe.statusCode === 400 && /JSON/i.test(fe.message ?? ''))) {
    return { problem: makeProblem(req, 400, 'malformed-json', 'the body is not valid JSON'), unexpected: false };
  }
  if (fe.statusCode === 429) {
    return { problem: makeProblem(req, 429, 'too-many-requests', 'too many requests; wait a moment and try again'), unexpected: false };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own 4xx (bad URL encoding, method…): its message names no personal data.
    return { problem: makeProblem(req, fe.statusCode, 'bad-request', fe.message), unexpected: false };
  }
  return {
    problem: makeProblem(req, 500, 'internal', `an unexpected error occurred; quote request id ${req.id} to the help desk`),
    unexpected: true,
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}
