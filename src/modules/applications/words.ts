/** The words a submission needs (errors, receipt mail), in the reader's language. */
import type { Locale, Translate } from '../../platform/i18n.js';
import type { Procedure } from './definition-schema.js';
import { describeIssue, localized } from './form.js';
import { formatBytes } from './attachments.js';
import type { SubmitRequest } from './submit.js';

const TYPE_NAMES: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

export function describeAttachment(p: Procedure, slotId: string, problem: string, locale: Locale, t: Translate): string {
  const slot = p.attachments.find((a) => a.id === slotId);
  if (!slot) return t('applications.attachment.unknown-slot');
  return t(`applications.attachment.${problem}`, {
    slot: localized(slot.label, locale),
    types: slot.types.map((x) => TYPE_NAMES[x] ?? x).join('・'),
    max: formatBytes(slot.maxBytes),
    n: slot.maxFiles ?? 1,
  });
}

export function describer(locale: Locale, t: Translate, opts: { townName: string; publicUrl: string }): SubmitRequest['describe'] {
  return {
    locale,
    issue: (p, issue) => describeIssue(p, issue, locale, t),
    violation: (_p, v) => {
      const bounds = [v.atLeast !== undefined ? t('applications.rule.bounds.atLeast', { n: v.atLeast }) : '', v.under !== undefined ? t('applications.rule.bounds.under', { n: v.under }) : '']
        .filter(Boolean)
        .join('・');
      return t(`applications.rule.${v.rule}`, { bounds, n: v.under ?? '' });
    },
    attachment: (p, slot, problem) => describeAttachment(p, slot, problem, locale, t),
    receiptMail: (s, apps, statusPath) => ({
      subject: t('applications.mail.subject', { town: opts.townName, reference: s.reference }),
      text: t('applications.mail.body', {
        town: opts.townName,
        reference: s.reference,
        items: apps.map((a) => `・${a.reference} ${localized(a.procedure.names, locale)}`).join('\n'),
        url: `${opts.publicUrl}${statusPath}`,
      }),
    }),
  };
}
