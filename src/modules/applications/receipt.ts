/**
 * The receipt (申請受付票) of an application: what was received, when, under which
 * reference numbers, who handles it, how long it usually takes and where to follow it.
 * Names are printed as registered (variant characters kept); labels follow the locale.
 */
import { createPdf } from '../../platform/pdf.js';
import { formatDate } from '../../platform/views/dates.js';
import type { Locale, Translate } from '../../platform/i18n.js';
import type { ReceiptMessageKey } from './receipt-messages.js';
import './receipt-messages.js';

export interface ReceiptData {
  /** 受付番号, e.g. '2026-000123'. */
  reference: string;
  submittedAt: Date;
  townName: string;
  /** Demo installations print 「デモ（架空のデータ）」 on every page. */
  demo: boolean;
  /** As registered, variant characters kept (髙橋 﨑子). */
  applicantName: string;
  /** The life event when several procedures were submitted together, e.g. '出生に関する手続'. */
  bundleName?: string;
  items: {
    reference: string;
    procedureName: string;
    subjectName: string;
    department: string;
    standardPeriodDays: number;
    feeYen: number;
  }[];
  /** Where the applicant follows the status. */
  statusUrl: string;
  channel: 'online' | 'paper';
}

const tokyo = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The moment as read in Japan: 令和8年（2026年）11月22日 14時05分 (the town's clock, wherever the server runs). */
export function receivedAtText(at: Date, t: Translate, locale: Locale): string {
  const part = (type: Intl.DateTimeFormatPartTypes) => tokyo.formatToParts(at).find((p) => p.type === type)?.value ?? '';
  const date = formatDate(`${part('year')}-${part('month')}-${part('day')}`, locale);
  const hour = part('hour');
  const time = t('applications.receipt.time', { hour: locale === 'en' ? hour : Number(hour), minute: part('minute') });
  return `${date}${locale === 'en' ? ', ' : '　'}${time}`;
}

export async function renderReceipt(data: ReceiptData, t: Translate, locale: Locale): Promise<Uint8Array> {
  const m = (key: ReceiptMessageKey, params?: Record<string, string | number>) => t(key, params);
  const yen = (amount: number) =>
    amount === 0 ? m('applications.receipt.free') : m('applications.receipt.yen', { amount: amount.toLocaleString('ja-JP') });
  const days = (n: number) =>
    n === 0 ? m('applications.receipt.sameDay') : n === 1 ? m('applications.receipt.oneDay') : m('applications.receipt.days', { days: n });
  const title = m('applications.receipt.title');

  const pdf = await createPdf({
    title: `${title} ${data.reference}`,
    subject: title,
    author: data.townName,
    lang: locale === 'en' ? 'en' : 'ja',
    createdAt: data.submittedAt,
    footer: (page, pages) => m('applications.receipt.footer', { town: data.townName, reference: data.reference, page, pages }),
    ...(data.demo ? { mark: m('applications.receipt.demo') } : {}),
    lineBreaks: locale === 'ja-easy' ? 'spaces' : 'japanese',
  });

  pdf.paragraph(data.townName, { size: 12, gapAfter: 2 });
  pdf.paragraph(title, { size: 22, bold: true, gapAfter: 10 });

  // The reference stands out: it is what a resident quotes at the counter or on the phone.
  pdf.paragraph(m('applications.receipt.reference'), { size: 10, gapAfter: 0 });
  pdf.paragraph(data.reference, { size: 28, bold: true, gapAfter: 8 });
  pdf.paragraph(m('applications.receipt.intro'), { gapAfter: 10 });

  const rows: [string, string][] = [
    [m('applications.receipt.receivedAt'), receivedAtText(data.submittedAt, t, locale)],
    [m('applications.receipt.applicant'), data.applicantName],
  ];
  if (data.bundleName) rows.push([m('applications.receipt.bundle'), data.bundleName]);
  rows.push([m('applications.receipt.channel'), m(`applications.receipt.channel.${data.channel}`)]);
  pdf.keyValue(rows, { keyShare: 0.28, size: 10.5 });

  pdf.heading(m('applications.receipt.items'));
  pdf.table(
    [{ share: 0.21 }, { share: 0.25 }, { share: 0.14 }, { share: 0.14 }, { share: 0.14, align: 'right' }, { share: 0.12, align: 'right' }],
    [
      m('applications.receipt.col.reference'),
      m('applications.receipt.col.procedure'),
      m('applications.receipt.col.subject'),
      m('applications.receipt.col.department'),
      m('applications.receipt.col.period'),
      m('applications.receipt.col.fee'),
    ],
    data.items.map((i) => [i.reference, i.procedureName, i.subjectName, i.department, days(i.standardPeriodDays), yen(i.feeYen)]),
    { size: 9.5 },
  );
  const total = data.items.reduce((sum, i) => sum + i.feeYen, 0);
  if (total > 0) {
    const text = m('applications.receipt.feeTotal', { amount: yen(total) });
    pdf.ensureSpace(20);
    pdf.textAt(text, pdf.left + pdf.contentWidth - 4, pdf.y - 6, { size: 10.5, bold: true, align: 'right' });
    pdf.space(16);
  }

  pdf.heading(m('applications.receipt.nextHeading'));
  pdf.paragraph(m('applications.receipt.next'));
  pdf.paragraph(m('applications.receipt.status'), { gapAfter: 2 });
  pdf.paragraph(data.statusUrl, { indent: 12, bold: true, gapAfter: 10 });
  pdf.rule();
  pdf.paragraph(m('applications.receipt.keep'), { size: 9.5 });
  return pdf.save();
}
