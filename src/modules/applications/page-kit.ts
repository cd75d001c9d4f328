/**
 * What the resident pages share: who is acting (a resident, staff, or a browser without
 * sign-in), where sign-in and "home" are, the issues a draft shows, and sending drafts once
 * with what follows (receipt, secret status page, staff view).
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { conflict, DomainError } from '../../platform/errors.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import type { Draft } from './drafts.js';
import { attachmentIssues, describeIssues, submitProblem, type ShownIssue } from './page-form.js';
import { actorOf } from './routes.js';
import { ownerKeyOf, type Actor, type ApplicationsRuntime } from './runtime.js';
import { submitApplications, hashRequest } from './submit.js';
import { describer } from './words.js';
import * as store from './store.js';
import type { SubmitProblem } from './views/review.js';

const ANON_COOKIE = 'yk_anon';
const STATUS_COOKIE = 'yk_status';
export const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const Group = Type.Object({ group: Type.String({ format: 'uuid' }) });
export const Code = Type.Object({ code: Type.String({ maxLength: 64 }) });
/** A page's query: `lang` and the named optional strings. */
export const Query = (props: Record<string, number> = {}) =>
  Type.Object(Object.fromEntries([['lang', 10], ...Object.entries(props)].map(([k, n]) => [k, Type.Optional(Type.String({ maxLength: n as number }))])));
export const Opt = Type.Optional(Type.String({ maxLength: 200 }));
export const SendBody = Type.Object({ _csrf: Opt, idempotencyKey: Opt });
export const page = { page: true } as const;
/** Pages whose address is the secret of a submission without sign-in. */
export const secretPage = { page: true, secretPath: true } as const;
export const KEY = /^[A-Za-z0-9_-]{16,64}$/;
/** Files larger than any slot allows are cut here and refused by size. */
export const MAX_FILE = 10 * 1024 * 1024;

export type PageKit = ReturnType<typeof createPageKit>;

export function createPageKit(rt: ApplicationsRuntime, townName: () => string) {
  const secure = rt.config.publicUrl.startsWith('https://');

  /** Someone without sign-in keeps their drafts in this browser through a random cookie. */
  function actor(req: FastifyRequest, reply: FastifyReply, create = false): Actor {
    let key = req.cookies[ANON_COOKIE];
    if (!req.principal && create && !(key && KEY.test(key))) {
      key = randomToken(24);
      reply.setCookie(ANON_COOKIE, key, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 30 * 86_400 });
    }
    return actorOf(rt, req, key && KEY.test(key) ? key : undefined);
  }
  const home = (a: Actor) => (a.kind === 'staff' ? '/staff/applications' : a.kind === 'resident' ? '/me/applications' : '/procedures');
  const signIn = (next: string) => `/auth/sign-in?next=${encodeURIComponent(next)}`;

  async function issuesOf(req: FastifyRequest, d: Draft, atts: store.AttachmentMeta[]): Promise<ShownIssue[]> {
    return [...describeIssues(d.procedure, d.issues, req.locale, req.t), ...attachmentIssues(d.procedure, d.row.data, atts, req.locale, req.t)];
  }

  /** Where a sent application is followed: the receipt, the secret status page, or the staff view. */
  async function afterSend(req: FastifyRequest, reply: FastifyReply, a: Actor, submissionId: string, token: string | undefined) {
    if (a.kind === 'resident') return reply.redirect(`/me/applications/${submissionId}?sent=1`, 303);
    if (a.kind === 'staff') return reply.redirect(`/staff/applications/submissions/${submissionId}?sent=1`, 303);
    if (token) {
      reply.setCookie(STATUS_COOKIE, token, { path: '/applications', httpOnly: true, sameSite: 'lax', secure, maxAge: 86_400 });
      return reply.redirect(`/applications/status/${token}?sent=1`, 303);
    }
    const remembered = req.cookies[STATUS_COOKIE];
    const s = remembered ? await store.findSubmissionByToken(rt.db, sha256Hex(remembered)) : undefined;
    if (remembered && s?.id === submissionId) return reply.redirect(`/applications/status/${remembered}`, 303);
    throw conflict('this application was already sent');
  }

  /** Sends drafts as stored; a double click or a re-post with the same key gives the same receipt. */
  async function send(req: FastifyRequest, reply: FastifyReply, a: Actor, drafts: Draft[], bundle: string | null, key: string | undefined, render: (problem: SubmitProblem, status: number) => Promise<FastifyReply>) {
    try {
      const res = await submitApplications(rt, a, {
        items: drafts.map((d) => ({
          procedure: d.procedure,
          draftId: d.row.id,
          ...(d.row.subject_person_id ? { subjectId: d.row.subject_person_id } : {}),
          data: d.row.data,
          corrections: d.row.corrections,
          files: [],
        })),
        bundle,
        channel: a.kind === 'staff' ? 'paper' : 'online',
        ...(a.kind === 'staff' && drafts[0]?.row.applicant_person_id ? { applicantId: drafts[0].row.applicant_person_id } : {}),
        ...(key ? { idempotencyKey: key } : {}),
        requestHash: hashRequest({ drafts: drafts.map((d) => d.row.id).sort(), bundle }),
        describe: describer(req.locale, req.t, { townName: townName(), publicUrl: rt.config.publicUrl }),
      });
      return afterSend(req, reply, a, res.submission.id, res.statusToken);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (err.code === 'validation') return reply.redirect(bundle ? `/applications/bundles/${drafts[0]!.row.draft_group}?check=1` : `/applications/drafts/${drafts[0]!.row.id}?check=1`, 303);
      const problem = await submitProblem(rt, req, a, drafts, err);
      if (!problem) throw err;
      return render(problem.problem, problem.status);
    }
  }

  async function alreadySent(req: FastifyRequest, reply: FastifyReply, a: Actor, key: string | undefined) {
    const found = key ? await store.findIdempotencyKey(rt.db, ownerKeyOf(a), key) : undefined;
    return found ? afterSend(req, reply, a, found.submission_id, undefined) : undefined;
  }

  return { actor, home, signIn, issuesOf, afterSend, send, alreadySent };
}
