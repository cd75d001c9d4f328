/**
 * Preparing what a resident sends: who the parties are (read from the register with one
 * audit entry), the form cleaned and its pre-filled part restored from the register, the
 * field issues, the corrections flagged, and the eligibility rules. Nothing is written here.
 */
import { forbidden, unauthenticated, validationError } from '../../platform/errors.js';
import type { ApplicationParties } from '../registry/index.js';
import type { Procedure } from './definition-schema.js';
import { checkEligibility, type Violation } from './eligibility.js';
import { cleanData, validateData, type FormData, type FormIssue } from './form.js';
import { applyPrefill, prefillFor } from './prefill.js';
import { readContext, type Actor, type ApplicationsRuntime } from './runtime.js';
import * as store from './store.js';

export interface Correction {
  /** Pointer of a pre-filled field. */
  path: string;
  /** What the resident says is right (free text, stored as text). */
  note: string;
}

export interface Parties {
  parties: ApplicationParties | undefined;
  actingAs: store.ActingAs | null;
}

export const MAX_CORRECTION = 500;

/** The applicant of an actor: the resident, or the person staff key a paper form in for. */
function applicantOf(actor: Actor, applicantId: string | undefined): string | undefined {
  if (actor.kind === 'resident') return actor.personId;
  if (actor.kind === 'staff') return applicantId;
  return undefined;
}

/** Reads the parties and decides how the applicant acts for the subject; 403 if they may not. */
export async function resolveParties(
  rt: ApplicationsRuntime,
  actor: Actor,
  p: Procedure,
  subjectId: string | undefined,
  applicantId?: string,
): Promise<Parties> {
  if (p.signIn === 'none') return { parties: undefined, actingAs: 'self' };
  if (actor.kind === 'anonymous') throw unauthenticated('sign in to apply for this procedure');
  const applicant = applicantOf(actor, applicantId);
  if (!applicant) throw validationError('name the applicant of the paper form', [{ field: 'applicantId', message: 'is required' }]);
  const subject = subjectId ?? applicant;
  const agent = p.applicants.includes('agent') && subject !== applicant && (await store.isAgent(rt.db, applicant, subject, rt.today()));
  const parties = await rt.registry.readForApplication(readContext(rt, actor.ctx), applicant, subject, { agent });
  const candidates: store.ActingAs[] = [];
  if (parties.relation === 'self') candidates.push('self');
  if (parties.relation === 'household') candidates.push('household');
  if (agent) candidates.push('agent');
  const actingAs = candidates.find((c) => p.applicants.includes(c));
  if (!actingAs) throw forbidden(`this procedure cannot be applied for as ${candidates[0] ?? 'someone unrelated'} (allowed: ${p.applicants.join(', ')})`);
  return { parties, actingAs };
}

/** A fresh form: what the register fills in. */
export function freshData(rt: ApplicationsRuntime, p: Procedure, parties: ApplicationParties | undefined): FormData {
  return parties ? prefillFor(p, parties, rt.today()).data : {};
}

export interface Prepared {
  data: FormData;
  prefilled: Set<string>;
  corrections: Correction[];
  issues: FormIssue[];
  violations: Violation[];
}

export function prepareForm(rt: ApplicationsRuntime, p: Procedure, parties: ApplicationParties | undefined, raw: FormData, corrections: readonly Correction[]): Prepared {
  const data = cleanData(p, raw);
  const prefilled = parties ? applyPrefill(p, data, parties, rt.today()) : new Set<string>();
  const issues = validateData(p, data);
  const kept: Correction[] = [];
  for (const c of corrections) {
    const note = c.note.replace(/\s+/g, ' ').trim().slice(0, MAX_CORRECTION);
    if (note && prefilled.has(c.path) && !kept.some((k) => k.path === c.path)) kept.push({ path: c.path, note });
  }
  // The rules read a well-formed form only.
  const violations = parties && issues.length === 0 ? checkEligibility(p, data, parties, rt.today()) : [];
  return { data, prefilled, corrections: kept, issues, violations };
}

/** Corrections named for fields that were not pre-filled are a client error in the API. */
export function checkCorrectionPaths(prepared: Prepared, corrections: readonly Correction[]): void {
  const bad = corrections.filter((c) => !prepared.prefilled.has(c.path));
  if (bad.length) {
    throw validationError('corrections may be flagged only on fields filled from the town’s records', bad.map((c) => ({ field: `corrections${c.path}`, message: 'was not filled from the town’s records' })));
  }
}
