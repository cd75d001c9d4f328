/**
 * The decision notice (決定通知書) of a decided case: gathered before the issuing transaction
 * (the addressee is read from the register, audited), fingerprinted, drawn as a PDF that
 * carries its own fingerprint, and stored as issued. The fingerprint (hash) is a SHA-256 of a
 * canonical JSON of everything the notice says — facts, addressee, reasons, seals, time —
 * plus a random salt, so it changes with any field and cannot be guessed from the public
 * facts. The facts kept beside it (shown by /verify) hold no resident's data.
 */
import { randomBytes } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { Type, type Static } from 'typebox';
import { sha256Hex } from '../../platform/crypto.js';
import type { Queryable } from '../../platform/db/db.js';
import { conflict } from '../../platform/errors.js';
import { translator } from '../../platform/i18n.js';
import { newId } from '../../platform/ids.js';
import type { AccessContext } from '../access/index.js';
import { renderNotice } from './notice-pdf.js';
import { readContext, type CasesRuntime } from './runtime.js';
import { POSITIONS } from './states.js';
import * as store from './store.js';

const DateTime = Type.String({ format: 'date-time' });

export const NoticeSealSchema = Type.Object(
  {
    position: Type.Union([Type.Literal('officer'), Type.Literal('chief'), Type.Literal('manager')], { description: 'officer (担当) who proposed, chief (係長), manager (課長)' }),
    name: Type.String({ description: 'the staff member who sealed, as registered' }),
    at: DateTime,
    onBehalfOf: Type.Union([Type.String(), Type.Null()], { description: 'whom the signer stood in for (代決), or null' }),
  },
  { additionalProperties: false },
);
export type NoticeSeal = Static<typeof NoticeSealSchema>;

/** What anyone holding the notice's number may see: nothing about the resident it is addressed to. */
export const NoticeFactsSchema = Type.Object(
  {
    reference: Type.String({ description: 'notice number: the case reference' }),
    procedure: Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false }),
    department: Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false }),
    decision: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]),
    issuedAt: DateTime,
    issuer: Type.String({ description: 'the town' }),
    seals: Type.Array(NoticeSealSchema, { description: 'the proposer, then each approval level in order' }),
    demo: Type.Boolean({ description: 'a fictional notice of a demo installation' }),
  },
  { additionalProperties: false },
);
export type NoticeFacts = Static<typeof NoticeFactsSchema>;

export interface PreparedNotice {
  hash: string;
  pdf: Uint8Array;
  pdfSha256: string;
  decision: 'approved' | 'rejected';
  facts: NoticeFacts;
  issuedAt: Date;
}

/** A notice's number: 64 lowercase hexadecimal characters. */
export const HASH = /^[0-9a-f]{64}$/;

/** JSON with keys sorted at every level and undefined members left out: the same content, the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** The content a notice's hash is taken of. */
export interface NoticeContent {
  facts: NoticeFacts;
  addressee: { name: string; postalCode: string; address: string } | null;
  subjectName: string | null;
  receivedAt: string;
  reason: string | null;
  issuedBy: string;
  salt: string;
}

export const noticeHash = (content: NoticeContent): string => sha256Hex(canonicalJson({ v: 1, ...content }));

/**
 * The seals of the proposal that was decided: the officer who proposed (the last `propose`),
 * then each approval after it. The proposal's comment is the reason given for the decision.
 */
export function sealsOf(steps: readonly store.StepRow[]): { seals: NoticeSeal[]; reason: string | null } {
  let last = -1;
  steps.forEach((s, i) => {
    if (s.action === 'propose') last = i;
  });
  const proposal = steps[last];
  if (!proposal) return { seals: [], reason: null };
  const seal = (s: store.StepRow, position: NoticeSeal['position']): NoticeSeal => ({
    position,
    name: s.actor_name ?? '',
    at: new Date(s.at).toISOString(),
    onBehalfOf: s.on_behalf_of ? (s.on_behalf_name ?? '') : null,
  });
  const approvals = steps
    .slice(last + 1)
    .filter((s) => s.action === 'approve')
    .sort((a, b) => (a.level ?? 0) - (b.level ?? 0) || a.seq - b.seq);
  return {
    seals: [seal(proposal, 'officer'), ...approvals.map((s) => seal(s, (POSITIONS as readonly string[]).includes(s.position ?? '') ? (s.position as NoticeSeal['position']) : 'chief'))],
    reason: proposal.comment,
  };
}

/**
 * Makes the notice of a decided case: reads the addressee (audited under the issuer's
 * purpose), fixes the facts and the hash, and draws the PDF. Nothing is stored here.
 */
export async function prepareNotice(
  rt: CasesRuntime,
  ctx: AccessContext,
  c: store.CaseRow,
  steps: store.StepRow[],
  issuedAt: Date,
  issuedBy: { id: string; name: string },
): Promise<PreparedNotice> {
  const decision = c.decision;
  if (!decision || (c.state !== 'approved' && c.state !== 'rejected')) {
    throw conflict(`case ${c.reference} has no decision to give notice of (state '${c.state}')`, { currentState: c.state });
  }
  const { seals, reason } = sealsOf(steps);
  if (seals.length < 2) throw conflict(`case ${c.reference} has no approved proposal to give notice of`, { currentState: c.state });
  // A procedure retired from the definitions since still gets its notice, named by code.
  const p = rt.applications.catalog.procedures.get(c.procedure_code);
  const applicant = c.applicant_person_id;
  const subject = c.subject_person_id && c.subject_person_id !== applicant ? c.subject_person_id : null;
  const ids = [applicant, subject].filter((x): x is string => !!x);
  const people = ids.length ? await rt.registry.readForNotice(readContext(rt, ctx), ids) : new Map<string, { name: string; postalCode: string; address: string }>();
  const addressee = applicant ? (people.get(applicant) ?? null) : null;
  const subjectName = subject ? (people.get(subject)?.name ?? null) : null;
  const facts: NoticeFacts = {
    reference: c.reference,
    procedure: { code: c.procedure_code, name: p?.names.ja ?? c.procedure_code },
    department: { code: c.department, name: p?.department.names.ja ?? c.department },
    decision,
    issuedAt: issuedAt.toISOString(),
    issuer: rt.townName(),
    seals,
    demo: c.demo,
  };
  const shownReason = decision === 'rejected' ? reason : null;
  const hash = noticeHash({
    facts,
    addressee,
    subjectName,
    receivedAt: new Date(c.received_at).toISOString(),
    reason: shownReason,
    issuedBy: issuedBy.name,
    salt: randomBytes(16).toString('hex'),
  });
  const pdf = await renderNotice({ facts, addressee, subjectName, receivedAt: new Date(c.received_at), reason: shownReason, hash, verifyUrl: `${rt.config.publicUrl}/verify/${hash}` });
  return { hash, pdf, pdfSha256: sha256Hex(Buffer.from(pdf)), decision, facts, issuedAt };
}

/** Stores the notice as issued, inside the issuing transaction. */
export async function insertNotice(tx: Queryable, c: store.CaseRow, n: PreparedNotice, issuedBy: string | null): Promise<void> {
  await store.insertNoticeRow(tx, {
    id: newId(),
    caseId: c.id,
    hash: n.hash,
    pdfSha256: n.pdfSha256,
    decision: n.decision,
    facts: n.facts,
    // PGlite sends a binary parameter hex-encoded: the PDF goes as base64 and is decoded in SQL.
    pdfBase64: Buffer.from(n.pdf).toString('base64'),
    issuedAt: n.issuedAt,
    issuedBy,
    demo: n.facts.demo,
  });
}

/** Several notices as one PDF to print, in the order given. */
export async function combineNotices(pdfs: readonly Uint8Array[]): Promise<Uint8Array> {
  const out = await PDFDocument.create();
  out.setTitle(translator('ja')('cases.notice.combined'));
  out.setCreator('yakuba');
  out.setProducer('yakuba (pdf-lib)');
  out.setLanguage('ja');
  for (const bytes of pdfs) {
    const src = await PDFDocument.load(bytes);
    for (const page of await out.copyPages(src, src.getPageIndices())) out.addPage(page);
  }
  return out.save({ useObjectStreams: true });
}
