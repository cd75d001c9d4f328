/**
 * One HTTP POST to a receiver. node:http(s) rather than fetch, because only they let the
 * connection be pinned to addresses already checked (targets.ts): fetch would resolve the
 * host name again, and a second DNS answer could point inside the network. Redirects are
 * not followed, the answer's body is neither read nor stored (only its status counts), and
 * each delivery uses a fresh connection (no pooled socket outlives its check).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ResolvedAddress } from './targets.js';

export interface Answer {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** The short reason stored for a failure: an error class, never a message or a body. */
export function failureReason(err: unknown, timedOut: boolean): string {
  if (timedOut) return 'timeout';
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown } };
  if (typeof e.code === 'string') return `network: ${e.code}`.slice(0, 200);
  if (typeof e.cause?.code === 'string') return `network: ${e.cause.code}`.slice(0, 200);
  return `network: ${typeof e.name === 'string' ? e.name : 'Error'}`.slice(0, 200);
}

/** A `lookup` that answers with the checked addresses only (the family asked for, if any). */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : undefined;
    const usable = addresses.filter((a) => family === undefined || a.family === family);
    const first = usable[0];
    if (!first) {
      callback(Object.assign(new Error('no checked address of that family'), { code: 'ENOTFOUND' }), '', 0);
    } else if (options.all) {
      callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
    } else {
      callback(null, first.address, first.family);
    }
  };
}

/**
 * POSTs `body` to `url`; `addresses` (when given) are the only ones connected to. Resolves
 * with the answer's status or the failure's class; never rejects.
 */
export function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  addresses: readonly ResolvedAddress[] | undefined,
): Promise<Answer> {
  let target: URL;
  try {
    target = new URL(url);
  } catch (err) {
    return Promise.resolve({ statusCode: null, error: failureReason(err, false), durationMs: 0 });
  }
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise<Answer>((resolve) => {
    let settled = false;
    let timedOut = false;
    const done = (answer: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const onResponse = (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      res.destroy();
      const ok = status >= 200 && status < 300;
      done({ statusCode: status, error: ok ? null : `http ${status}`, durationMs: elapsed() });
    };
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
        ...(addresses ? { lookup: pinnedLookup(addresses) } : {}),
      },
      onResponse,
    );
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Error('timeout'));
    }, timeoutMs);
    req.on('error', (err) => done({ statusCode: null, error: failureReason(err, timedOut), durationMs: elapsed() }));
    req.end(body);
  });
}
