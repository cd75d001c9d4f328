/**
 * Mail against the real database and a real SMTP server (smtp-server on a free port): what is
 * queued in a committed transaction arrives decoded as written, what rolls back never leaves,
 * failures retry then die, sent rows keep no address or text, and logs never carry either.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import pino from 'pino';
import { openTestDb, type TestDb } from '../testing/db.js';
import { createMailTransport, createMailWorker, queueMail, smtpTransport, type MailLog, type MailTransport } from './mail.js';

const TO = 'takahashi.sakiko@example.jp';
const SUBJECT = '【みどり町】申請を受け付けました（受付番号 2026-000123）';
const TEXT = '髙橋 﨑子 様\n\nみどり町への申請を受け付けました。\n受付番号: 2026-000123\n状況: https://midori.example.lg.jp/me/applications/2026-000123\n';

interface Received {
  rcpt: string[];
  headers: Map<string, string>;
  subject: string;
  text: string;
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / ?Q?) in a header, decoded. */
function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*(?==\?)|=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (...m: string[]) => {
    const enc = m[2] || m[5]!;
    const data = m[3] ?? m[6] ?? '';
    if (enc.toUpperCase() === 'B') return Buffer.from(data, 'base64').toString('utf8');
    return decodeQp(data.replace(/_/g, ' '));
  });
}

function decodeQp(s: string): string {
  const bytes: number[] = [];
  const input = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < input.length; i += 1) {
    if (input[i] === '=' && /^[0-9A-F]{2}$/i.test(input.slice(i + 1, i + 3))) {
      bytes.push(parseInt(input.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(input[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A single-part text message: headers unfolded, subject and body decoded. */
function parseMessage(raw: string, rcpt: string[]): Received {
  const split = raw.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const body = raw.slice(split + 4);
  const cte = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const text =
    cte === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : cte === 'quoted-printable' ? decodeQp(body) : body;
  return { rcpt, headers, subject: decodeWords(headers.get('subject') ?? ''), text: text.replace(/\r\n/g, '\n') };
}

describe('mail', () => {
  let db: TestDb;
  let server: SMTPServer;
  let url: string;
  let smtp: MailTransport;
  const inbox: Received[] = [];
  /** When set, the server answers RCPT TO with this temporary failure. */
  let refuse = false;
  const logLines: string[] = [];
  const log: MailLog = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });

  beforeAll(async () => {
    db = await openTestDb();
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (refuse) return callback(Object.assign(new Error(`Mailbox busy: ${address.address}`), { responseCode: 451 }));
        callback();
      },
      onData(stream, session: SMTPServerSession, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          inbox.push(parseMessage(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address)));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    smtp = smtpTransport(url);
  });
  afterAll(async () => {
    await smtp?.close?.();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await db?.close();
  });
  beforeEach(async () => {
    inbox.length = 0;
    logLines.length = 0;
    refuse = false;
    await db.query('DELETE FROM platform.mail_queue');
  });

  const worker = (transport: MailTransport, extra: { maxAttempts?: number; backoffBaseMs?: number; batchSize?: number } = {}) =>
    createMailWorker({ db, transport, from: 'みどり町役場 <no-reply@midori.example.lg.jp>', pollMs: 50, log, ...extra });
  const row = async (id: number) =>
    (await db.query<Record<string, unknown>>('SELECT * FROM platform.mail_queue WHERE id = $1', [id]))[0]!;

  it('delivers a committed mail, decoded as written, and keeps no address or text once sent', async () => {
    const id = await db.transaction((tx) => queueMail(tx, { to: TO, subject: SUBJECT, text: TEXT, tag: 'application.receipt', ref: '2026-000123' }));
    expect(await worker(smtp).runOnce()).toBe(1);
    expect(inbox).toHaveLength(1);
    const mail = inbox[0]!;
    expect(mail.rcpt).toEqual([TO]);
    expect(mail.subject).toBe(SUBJECT);
    expect(mail.text.trimEnd()).toBe(TEXT.trimEnd());
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('content-type')).toMatch(/charset=utf-8/i);
    const r = await row(id);
    expect(r).toMatchObject({ status: 'sent', attempts: 1, tag: 'application.receipt', ref: '2026-000123', to_address: null, subject: null, body: null, lease_token: null });
    expect(r.sent_at).toBeInstanceOf(Date);
    expect(logLines).toEqual([]); // a successful send is not logged by the worker
    // Nothing left to send.
    expect(await worker(smtp).runOnce()).toBe(0);
    expect(inbox).toHaveLength(1);
  });

  it('sends nothing for a rolled-back transaction', async () => {
    await expect(
      db.transaction(async (tx) => {
        await queueMail(tx, { to: TO, subject: SUBJECT, text: TEXT, tag: 'application.receipt', ref: '2026-000124' });
        throw new Error('the application failed');
      }),
    ).rejects.toThrow('the application failed');
    expect(await worker(smtp).runOnce()).toBe(0);
    expect(inbox).toEqual([]);
    expect(await db.query('SELECT id FROM platform.mail_queue')).toEqual([]);
  });

  it('retries a refused mail with backoff, then marks it dead, recording no address', async () => {
    refuse = true;
    const id = await db.transaction((tx) => queueMail(tx, { to: TO, subject: SUBJECT, text: TEXT, tag: 'application.receipt', ref: '2026-000125' }));
    const w = worker(smtp, { maxAttempts: 3, backoffBaseMs: 60_000 });
    expect(await w.runOnce()).toBe(0);
    let r = await row(id);
    expect(r).toMatchObject({ status: 'pending', attempts: 1, last_error: 'EENVELOPE 451' });
    expect((r.next_attempt_at as Date).getTime()).toBeGreaterThan(Date.now() + 50_000);
    // Not due yet: the next pass leaves it alone.
    expect(await w.runOnce()).toBe(0);
    expect((await row(id)).attempts).toBe(1);
    for (const attempt of [2, 3]) {
      await db.query('UPDATE platform.mail_queue SET next_attempt_at = now() WHERE id = $1', [id]);
      expect(await w.runOnce()).toBe(0);
      r = await row(id);
      expect(r).toMatchObject({ attempts: attempt, status: attempt < 3 ? 'pending' : 'dead' });
    }
    // Dead mail stays (an operator may resend it) but is never tried again.
    await db.query('UPDATE platform.mail_queue SET next_attempt_at = now() WHERE id = $1', [id]);
    expect(await w.runOnce()).toBe(0);
    expect((await row(id)).attempts).toBe(3);
    expect(inbox).toEqual([]);
    // The server's reply quoted the address; neither the row's error nor the log lines do.
    const lines = logLines.join('\n');
    expect(logLines.length).toBe(3);
    expect(lines).toContain('"mail":' + id);
    expect(lines).not.toContain(TO);
    expect(lines).not.toContain('takahashi');
    expect(String(r.last_error)).not.toContain(TO);
    // When the server accepts again, a pending retry goes through.
    refuse = false;
    const next = await db.transaction((tx) => queueMail(tx, { to: TO, subject: SUBJECT, text: TEXT, tag: 'application.receipt', ref: '2026-000126' }));
    expect(await w.runOnce()).toBe(1);
    expect((await row(next)).status).toBe('sent');
  });

  it('writes one line per mail with the log transport: ids and size, never the address, subject or text', async () => {
    const transport = createMailTransport({ transport: 'log', smtpUrl: undefined, from: 'no-reply@localhost', pollMs: 1000 }, log);
    const id = await db.transaction((tx) => queueMail(tx, { to: TO, subject: SUBJECT, text: TEXT, tag: 'application.receipt', ref: '2026-000127' }));
    expect(await worker(transport).runOnce()).toBe(1);
    expect(logLines).toHaveLength(1);
    const line = JSON.parse(logLines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ mail: id, tag: 'application.receipt', ref: '2026-000127', bytes: Buffer.byteLength(SUBJECT) + Buffer.byteLength(TEXT) });
    for (const secret of [TO, 'takahashi', SUBJECT, '髙橋', '﨑子', '受け付けました', 'midori.example.lg.jp/me']) expect(logLines[0]).not.toContain(secret);
    expect((await row(id)).to_address).toBeNull();
  });

  it('refuses a malformed recipient without repeating it', async () => {
    const bad = 'not an address\r\nBcc: someone@example.jp';
    const err = await db.transaction((tx) => queueMail(tx, { to: bad, subject: 's', text: 't', tag: 'application.receipt' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).not.toContain('someone');
    await expect(db.transaction((tx) => queueMail(tx, { to: TO, subject: 'a\nb', text: 't', tag: 'application.receipt' }))).rejects.toThrow(/subject/);
    await expect(db.transaction((tx) => queueMail(tx, { to: TO, subject: 's', text: 't', tag: 'Bad Tag' }))).rejects.toThrow(/tag/);
  });

  it('never sends a mail twice when two workers run at once', async () => {
    const n = 25;
    await db.transaction(async (tx) => {
      for (let i = 0; i < n; i += 1) await queueMail(tx, { to: `r${i}@example.jp`, subject: `mail ${i}`, text: `本文 ${i}`, tag: 'test.concurrent', ref: `ref-${i}` });
    });
    // On PostgreSQL the passes overlap on separate connections; PGlite runs their statements one at a time.
    const a = worker(smtpTransport(url), { batchSize: 4 });
    const b = worker(smtpTransport(url), { batchSize: 4 });
    let sent = 0;
    for (let pass = 0; pass < 20 && sent < n; pass += 1) {
      const [x, y] = await Promise.all([a.runOnce(), b.runOnce()]);
      sent += x + y;
    }
    expect(sent).toBe(n);
    const subjects = inbox.map((m) => m.subject).sort();
    expect(subjects).toHaveLength(n);
    expect(new Set(subjects).size).toBe(n);
    const [counts] = await db.query<{ sent: number; left: number }>(
      `SELECT count(*) FILTER (WHERE status = 'sent' AND attempts = 1)::int AS sent, count(*) FILTER (WHERE status <> 'sent')::int AS left FROM platform.mail_queue`,
    );
    expect(counts).toEqual({ sent: n, left: 0 });
  });

  it('takes over a mail whose worker died mid-send, but not past the last attempt', async () => {
    const [a, b] = await db.transaction(async (tx) => [
      await queueMail(tx, { to: TO, subject: 'a', text: 'a', tag: 'application.receipt', ref: 'a' }),
      await queueMail(tx, { to: TO, subject: 'b', text: 'b', tag: 'application.receipt', ref: 'b' }),
    ]);
    // Both leased by a worker that is gone: the leases ran out.
    await db.query(
      `UPDATE platform.mail_queue SET status = 'sending', lease_token = gen_random_uuid(), lease_until = now() - interval '1 second',
              attempts = CASE WHEN id = $1 THEN 1 ELSE 3 END`,
      [a],
    );
    expect(await worker(smtp, { maxAttempts: 3 }).runOnce()).toBe(1);
    expect(inbox.map((m) => m.subject)).toEqual(['a']);
    expect(await row(a)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await row(b)).toMatchObject({ status: 'dead', attempts: 3, last_error: 'lease-expired' });
  });

  it('polls in the background once started, and stops cleanly', async () => {
    const w = worker(smtp);
    w.start();
    await db.transaction((tx) => queueMail(tx, { to: TO, subject: SUBJECT, text: TEXT, tag: 'application.receipt', ref: '2026-000128' }));
    await expect.poll(() => inbox.length, { timeout: 5000 }).toBe(1);
    await w.stop();
    await w.stop();
  });
});
