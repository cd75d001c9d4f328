/**
 * The audit trail: every access to personal data appends one entry, in the same
 * transaction as the access, so if the entry cannot be written the access does not
 * happen. Entries form one hash chain (audit.head is locked while appending); the table
 * refuses UPDATE and DELETE; `verifyChain` names the first broken link.
 */
import type { Db, Queryable } from './db/db.js';
import { sha256Hex } from './crypto.js';
import { DomainError } from './errors.js';

export type ActorType = 'staff' | 'client' | 'resident' | 'system';

export interface AuditEntryInput {
  actorType: ActorType;
  actorId: string;
  actorName: string;
  role?: string | null | undefined;
  purpose: string;
  /** What was done, e.g. `person.read`, `person.search`, `registry.change`. */
  action: string;
  subjectIds: readonly string[];
  fields: readonly string[];
  requestId?: string | null | undefined;
  sourceIp?: string | null | undefined;
}

export interface AuditEntry {
  actorType: ActorType;
  actorId: string;
  actorName: string;
  purpose: string;
  action: string;
  subjectIds: string[];
  fields: string[];
  seq: number;
  at: Date;
  role: string | null;
  requestId: string | null;
  sourceIp: string | null;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * What is hashed besides the link and the sequence number: the entry's content as JSON.
 * hash = sha256(prev_hash ‖ "\n" ‖ seq ‖ "|" ‖ tail). Changing this breaks every chain.
 */
export function entryTail(e: Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>): string {
  return JSON.stringify([
    e.at.toISOString(),
    e.actorType,
    e.actorId,
    e.actorName,
    e.role,
    e.purpose,
    e.action,
    [...e.subjectIds],
    [...e.fields],
    e.requestId,
    e.sourceIp,
  ]);
}

export function entryDigest(prevHash: string, e: Omit<AuditEntry, 'prevHash' | 'hash'>): string {
  return sha256Hex(`${prevHash}\n${e.seq}|${entryTail(e)}`);
}

/**
 * Appends one entry. Any failure becomes `audit-unavailable` (503): the caller's
 * transaction rolls back, so the access it was recording does not happen.
 */
export async function recordAccess(tx: Queryable, input: AuditEntryInput, now: Date = new Date()): Promise<AuditEntry> {
  try {
    return await appendEntry(tx, input, now);
  } catch (err) {
    throw new DomainError('audit-unavailable', 'the access could not be recorded in the audit trail, so it was not carried out', {
      detail: { cause: (err as { code?: string }).code ?? 'unknown' },
    });
  }
}

/**
 * One statement: lock the head, insert the entry hashed onto it, move the head. Keeping the
 * append to a single round trip keeps the time the head is locked short, which is what
 * bounds audited reads per second (docs/performance.md).
 */
async function appendEntry(tx: Queryable, input: AuditEntryInput, now: Date): Promise<AuditEntry> {
  const content = {
    at: new Date(Math.floor(now.getTime())),
    actorType: input.actorType,
    actorId: input.actorId,
    actorName: input.actorName,
    role: input.role ?? null,
    purpose: input.purpose,
    action: input.action,
    subjectIds: [...input.subjectIds],
    fields: [...input.fields],
    requestId: input.requestId ?? null,
    sourceIp: input.sourceIp ?? null,
  };
  const [row] = await tx.query<{ seq: number; prev_hash: string; hash: string }>(
    `WITH head AS (SELECT seq, hash FROM audit.head FOR UPDATE),
     entry AS (
       INSERT INTO audit.entries (seq, at, actor_type, actor_id, actor_name, role, purpose, action, subject_ids, fields,
                                  request_id, source_ip, prev_hash, hash)
       SELECT head.seq + 1, $1::timestamptz, $2, $3, $4, $5, $6, $7, $8::uuid[], $9::text[], $10, $11, head.hash,
              encode(sha256(convert_to(head.hash || chr(10) || (head.seq + 1)::text || '|' || $12, 'UTF8')), 'hex')
         FROM head
       RETURNING seq, prev_hash, hash)
     UPDATE audit.head SET seq = entry.seq, hash = entry.hash FROM entry
     RETURNING entry.seq, entry.prev_hash, entry.hash`,
    [content.at.toISOString(), content.actorType, content.actorId, content.actorName, content.role, content.purpose, content.action,
      content.subjectIds, content.fields, content.requestId, content.sourceIp, entryTail(content)],
  );
  if (!row) throw new Error('audit head is missing');
  return { ...content, seq: row.seq, prevHash: row.prev_hash, hash: row.hash };
}

interface EntryRow {
  seq: number;
  at: Date;
  actor_type: ActorType;
  actor_id: string;
  actor_name: string;
  role: string | null;
  purpose: string;
  action: string;
  subject_ids: string[];
  fields: string[];
  request_id: string | null;
  source_ip: string | null;
  prev_hash: string;
  hash: string;
}

export const ENTRY_COLUMNS =
  'seq, at, actor_type, actor_id, actor_name, role, purpose, action, subject_ids, fields, request_id, source_ip, prev_hash, hash';

export function toEntry(r: EntryRow): AuditEntry {
  return {
    seq: r.seq,
    at: r.at,
    actorType: r.actor_type,
    actorId: r.actor_id,
    actorName: r.actor_name,
    role: r.role,
    purpose: r.purpose,
    action: r.action,
    subjectIds: r.subject_ids,
    fields: r.fields,
    requestId: r.request_id,
    sourceIp: r.source_ip,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export interface AuditQuery {
  personId?: string | undefined;
  actorId?: string | undefined;
  purpose?: string | undefined;
  /** Leave out what this actor did (a resident's own looks at their own data). */
  excludeActorId?: string | undefined;
  /** Leave out these actions (the demo sign-in page's listing, in a resident's own view). */
  excludeActions?: readonly string[] | undefined;
  /** Entries with seq below this (newest first paging). */
  beforeSeq?: number | undefined;
  limit: number;
}

export async function findEntries(db: Queryable, q: AuditQuery): Promise<AuditEntry[]> {
  const rows = await db.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM audit.entries
      WHERE ($1::uuid IS NULL OR subject_ids @> ARRAY[$1::uuid])
        AND ($2::text IS NULL OR actor_id = $2)
        AND ($3::text IS NULL OR purpose = $3)
        AND ($4::bigint IS NULL OR seq < $4)
        AND ($6::text IS NULL OR actor_id <> $6)
        AND ($7::text[] IS NULL OR NOT (action = ANY($7::text[])))
      ORDER BY seq DESC LIMIT $5`,
    [q.personId ?? null, q.actorId ?? null, q.purpose ?? null, q.beforeSeq ?? null, q.limit, q.excludeActorId ?? null,
      q.excludeActions && q.excludeActions.length > 0 ? q.excludeActions : null],
  );
  return rows.map(toEntry);
}

export type ChainReport =
  | { ok: true; checked: number; headSeq: number }
  | { ok: false; checked: number; brokenAt: number; reason: string };

/**
 * Walks the chain in chunks (short queries keep PGlite responsive) up to the head as it was
 * when the walk began, so entries appended meanwhile are neither missed nor mistaken for
 * tampering; they are checked by the next walk.
 */
export async function verifyChain(db: Db, chunk = 5000): Promise<ChainReport> {
  const [head] = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit.head');
  if (!head) return { ok: false, checked: 0, brokenAt: 1, reason: 'the chain head is missing' };
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  while (expectedSeq <= head.seq) {
    const rows = await db.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM audit.entries WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
      [expectedSeq, head.seq, chunk],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const e = toEntry(row);
      if (e.seq !== expectedSeq) return { ok: false, checked, brokenAt: expectedSeq, reason: `entry ${expectedSeq} is missing` };
      if (e.prevHash !== prevHash) return { ok: false, checked, brokenAt: e.seq, reason: 'prev_hash does not match the entry before' };
      if (entryDigest(prevHash, e) !== e.hash) return { ok: false, checked, brokenAt: e.seq, reason: 'content does not match its hash' };
      prevHash = e.hash;
      expectedSeq += 1;
      checked += 1;
    }
  }
  if (checked !== head.seq || head.hash !== prevHash) {
    return { ok: false, checked, brokenAt: checked + 1, reason: 'the chain head does not match the last entry (entries removed at the end?)' };
  }
  return { ok: true, checked, headSeq: head.seq };
}
