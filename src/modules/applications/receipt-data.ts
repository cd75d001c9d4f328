/** Gathers a submission's receipt: the applications (audited read) and the names as registered (audited read). */
import type { AccessContext } from '../access/index.js';
import { notFound } from '../../platform/errors.js';
import type { Locale, Translate } from '../../platform/i18n.js';
import { localized } from './form.js';
import { readSubmission, toView } from './read.js';
import * as store from './store.js';
import { renderReceipt } from './receipt.js';
import { procedureOf, readContext, type ApplicationsRuntime } from './runtime.js';

/** A name typed into a form without sign-in (the register does not know the person yet). */
function typedName(data: Record<string, unknown>): string {
  for (const v of [data.fullName, data.name, (data.applicant as Record<string, unknown> | undefined)?.fullName, (data.applicant as Record<string, unknown> | undefined)?.name]) {
    if (typeof v === 'string' && v) return v;
  }
  const family = data.familyName;
  const given = data.givenName;
  return typeof family === 'string' ? `${family} ${typeof given === 'string' ? given : ''}`.trim() : '';
}

/** Without sign-in the caller proved the status token; nothing of the register is read. */
async function unsignedSubmission(rt: ApplicationsRuntime, id: string) {
  const submission = await store.findSubmission(rt.db, id);
  if (!submission) throw notFound(`submission ${id}`);
  const apps = await store.applicationsOfSubmission(rt.db, id);
  return { submission, applications: apps.map((a) => toView(a, procedureOf(rt, a.procedure_code), [])) };
}

export async function receiptPdf(rt: ApplicationsRuntime, ctx: AccessContext | undefined, submissionId: string, t: Translate, locale: Locale, townName: string, statusUrl?: string): Promise<Uint8Array> {
  const { submission, applications } = ctx
    ? await readSubmission(rt, ctx, submissionId)
    : await unsignedSubmission(rt, submissionId);
  const ids = [...new Set(applications.flatMap((a) => [a.applicantId, a.subjectId]).filter((x): x is string => !!x))];
  const names = ctx && ids.length ? await rt.registry.readNames(readContext(rt, ctx), ids) : new Map<string, string>();
  const first = applications[0];
  const applicantName = (first?.applicantId && names.get(first.applicantId)) || (first ? typedName(first.data) : '');
  const bundle = submission.bundle ? rt.catalog.bundles.get(submission.bundle) : undefined;
  return renderReceipt(
    {
      reference: submission.reference,
      submittedAt: submission.submitted_at,
      townName,
      demo: submission.demo,
      applicantName,
      ...(bundle ? { bundleName: localized(bundle.names, locale) } : {}),
      items: applications.map((a) => {
        const p = procedureOf(rt, a.procedure.code);
        return {
          reference: a.reference ?? '',
          procedureName: localized(p.names, locale),
          subjectName: (a.subjectId && names.get(a.subjectId)) || applicantName,
          department: localized(p.department.names, locale),
          standardPeriodDays: p.standardPeriodDays,
          feeYen: p.fee.amount,
        };
      }),
      statusUrl: statusUrl ?? `${rt.config.publicUrl}/me/applications/${submission.id}`,
      channel: submission.channel === 'paper' ? 'paper' : 'online',
    },
    t,
    locale,
  );
}
