/**
 * Mail to residents. `queueMail` writes the mail in the caller's transaction, so a change
 * and the mail that reports it commit (or roll back) together. A worker sends queued mail
 * through a transport: rows are leased with `FOR UPDATE SKIP LOCKED` in a statement that
 * commits before the mail server is contacted (PGlite runs one transaction at a time, and
 * no transaction should wait on a network), retried with exponential backoff, and dead
 * after max attempts. Once sent, the address, subject and body are cleared (data
 * minimisation). Logs carry queue ids, tags, references and sizes — never an address or text.
 */
import { createPoller } from './poller.js';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Config } from './config.js';
import type { Db, Queryable } from './db/db.js';
import { validationError } from './errors.js';

/** The part of a pino logger the mail code uses. */
export interface MailLog {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface QueuedMail {
  to: string;
  subject: string;
  text: string;
  /** What kind of mail, e.g. 'application.receipt'. */
  tag: string;
  /** A non-personal reference, e.g. a receipt number: it appears in logs. */
  ref?: string;
}

export interface OutgoingMail {
  to: string;
  from: string;
  subject: string;
  text: string;
}

/** What may be said about a mail in logs. */
export interface MailMeta {
  queueId: number;
  tag: string;
  ref: string | null;
}

export interface MailTransport {
  send(m: OutgoingMail, meta: MailMeta): Promise<void>;
  close?(): Promise<void>;
}

const TAG = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** Queues a mail in the caller's transaction; returns its queue id. Errors name fields, never values. */
export async function queueMail(tx: Queryable, m: QueuedMail): Promise<number> {
  if (!TAG.test(m.tag) || m.tag.length > 100) throw validationError('mail tag must look like "module.kind"', [{ field: 'tag', message: 'invalid' }]);
  if (!ADDRESS.test(m.to) || m.to.length > 320) throw validationError('mail recipient is not an email address', [{ field: 'to', message: 'invalid' }]);
  if (/[\r\n]/.test(m.subject) || m.subject.length === 0 || m.subject.length > 500) {
    throw validationError('mail subject must be one line of 1 to 500 characters', [{ field: 'subject', message: 'invalid' }]);
  }
  if (m.ref !== undefined && m.ref.length > 100) throw validationError('mail ref is too long', [{ field: 'ref', message: 'too long' }]);
  const [row] = await tx.query<{ id: number }>(
    'INSERT INTO platform.mail_queue (tag, ref, to_address, subject, body) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [m.tag, m.ref ?? null, m.to, m.subject, m.text],
  );
  return Number(row!.id);
}

/** Writes one line per mail and sends nothing: for development, demos and towns without SMTP. */
export function logTransport(log: MailLog): MailTransport {
  return {
    async send(m, meta) {
      const bytes = Buffer.byteLength(m.subject) + Buffer.byteLength(m.text);
      log.info({ mail: meta.queueId, tag: meta.tag, ref: meta.ref, bytes }, 'mail not sent (MAIL_TRANSPORT=log)');
    },
  };
}

/** Sends through an SMTP server (`smtp://user:pass@host:587`, `smtps://…`). */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport({
    url,
    // Short timeouts: a send must finish well inside the worker's lease.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    logger: false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(m) {
      await transporter.sendMail({
        from: m.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        // RFC 3834: an automatic notice, so auto-responders do not answer it.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
    async close() {
      transporter.close();
    },
  };
}

export function createMailTransport(config: Config['mail'], log: MailLog): MailTransport {
  if (config.transport === 'smtp') {
    if (!config.smtpUrl) throw new Error('SMTP_URL is required when MAIL_TRANSPORT=smtp');
    return smtpTransport(config.smtpUrl);
  }
  return logTransport(log);
}

/**
 * A short, non-personal reason for a failed send: the error class and SMTP reply code
 * (`EENVELOPE 550`). Server replies and error messages can quote the address, so they are dropped.
 */
export function failureReason(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; responseCode?: unknown };
  const code = typeof e.code === 'string' && /^[A-Z0-9][A-Z0-9_]{0,39}$/.test(e.code) ? e.code : 'ERROR';
  return typeof e.responseCode === 'number' ? `${code} ${e.responseCode}` : code;
}

export interface MailWorkerOptions {
  db: Db;
  transport: MailTransport;
  from: string;
  pollMs: number;
  /** Sends tried before a mail is dead. Default 8. */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt up to an hour. Default 60 s. */
  backoffBaseMs?: number;
  /** Mails leased and sent per pass. Default 10. */
  batchSize?: number;
  /** How long a lease lasts; longer than a send can take. Default 5 minutes. */
  leaseMs?: number;
  log: MailLog;
}

export interface MailWorker {
  /** Polls every pollMs (at once again after a full batch). */
  start(): void;
  /** Stops polling and waits for the pass in flight; safe to call twice. */
  stop(): Promise<void>;
  /** One pass; returns how many mails were sent. */
  runOnce(): Promise<number>;
}

interface Claimed {
  id: number;
  tag: string;
  ref: string | null;
  to_address: string;
  subject: string;
  body: string;
  attempts: number;
}

export const mailBackoffMs = (attempts: number, baseMs: number): number => Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempts - 1));

export function createMailWorker(opts: MailWorkerOptions): MailWorker {
  const { db, transport, log } = opts;
  const maxAttempts = opts.maxAttempts ?? 8;
  const baseMs = opts.backoffBaseMs ?? 60_000;
  const batchSize = opts.batchSize ?? 10;
  const leaseMs = opts.leaseMs ?? 300_000;

  /** Leases due mails (and mails whose lease ran out) in one statement, committed on return. */
  async function claim(token: string): Promise<Claimed[]> {
    const rows = await db.query<Claimed>(
      `WITH due AS (
         SELECT id FROM platform.mail_queue
          WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now())
          ORDER BY next_attempt_at, id
          LIMIT $1
          FOR UPDATE SKIP LOCKED)
       UPDATE platform.mail_queue q
          SET status = 'sending', attempts = q.attempts + 1, lease_token = $3,
              lease_until = now() + $2 * interval '1 millisecond'
         FROM due
        WHERE q.id = due.id
       RETURNING q.id, q.tag, q.ref, q.to_address, q.subject, q.body, q.attempts`,
      [batchSize, leaseMs, token],
    );
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  async function markSent(m: Claimed, token: string): Promise<boolean> {
    const rows = await db.query(
      `UPDATE platform.mail_queue
          SET status = 'sent', sent_at = now(), to_address = NULL, subject = NULL, body = NULL,
              lease_until = NULL, lease_token = NULL, last_error = NULL
        WHERE id = $1 AND lease_token = $2
       RETURNING 1 AS ok`,
      [m.id, token],
    );
    return rows.length === 1;
  }

  async function markFailed(m: Claimed, token: string, reason: string): Promise<void> {
    const dead = m.attempts >= maxAttempts;
    await db.query(
      `UPDATE platform.mail_queue
          SET status = $3, last_error = $4, lease_until = NULL, lease_token = NULL, attempts = $6,
              next_attempt_at = now() + $5 * interval '1 millisecond'
        WHERE id = $1 AND lease_token = $2`,
      [m.id, token, dead ? 'dead' : 'pending', reason, dead ? 0 : mailBackoffMs(m.attempts, baseMs), m.attempts],
    );
    log.warn({ mail: m.id, tag: m.tag, ref: m.ref, attempts: m.attempts, reason, dead }, dead ? 'mail dead' : 'mail not sent, will retry');
  }

  async function deliver(m: Claimed, token: string): Promise<boolean> {
    // A worker died mid-send on the last attempt: do not go past the limit (nor count this claim).
    if (m.attempts > maxAttempts) {
      await markFailed({ ...m, attempts: maxAttempts }, token, 'lease-expired');
      return false;
    }
    try {
      await transport.send({ to: m.to_address, from: opts.from, subject: m.subject, text: m.body }, { queueId: m.id, tag: m.tag, ref: m.ref });
    } catch (err) {
      await markFailed(m, token, failureReason(err));
      return false;
    }
    // Sent; if the lease was lost meanwhile another worker may send it again (at least once).
    if (!(await markSent(m, token))) log.warn({ mail: m.id, tag: m.tag, ref: m.ref }, 'mail sent after its lease ran out');
    return true;
  }

  /** One pass: how many mails were claimed, and how many of them sent. */
  async function pass(): Promise<{ claimed: number; sent: number }> {
    const token = randomUUID();
    const claimed = await claim(token);
    const results = await Promise.all(
      claimed.map((m) =>
        deliver(m, token).catch((err: unknown) => {
          log.warn({ mail: m.id, tag: m.tag, reason: failureReason(err) }, 'mail worker error');
          return false;
        }),
      ),
    );
    return { claimed: claimed.length, sent: results.filter(Boolean).length };
  }

  const poller = createPoller({ pass: () => pass().then((p) => p.claimed >= batchSize), pollMs: opts.pollMs, onError: (err) => log.warn({ reason: failureReason(err) }, 'mail worker pass failed') });

  return {
    start: () => poller.start(),
    stop: () => poller.stop(),
    runOnce: async () => (await pass()).sent,
  };
}
