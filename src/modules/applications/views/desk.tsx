/**
 * The counter desk's part of the visit screen: for each procedure, what is already known
 * (from the register, from the pre-entry, or typed before) folded into one line, and only the
 * questions still open, as inputs named per draft so every procedure is asked on one page.
 */
import type { Locale, Translate } from '../../../platform/i18n.js';
import type { Field, Procedure } from '../definition-schema.js';
import { isGroup } from '../definitions.js';
import '../desk-messages.js';
import { deskInputName, type DeskItem } from '../desk.js';
import { describeIssue, localized, type FormData } from '../form.js';
import { slotId } from '../page-form.js';
import { Badge, isEmpty, valueText } from './common.js';
import { EditableField, whenOf, type FieldContext } from './fields.js';
import { Fragment } from 'preact';
import { COUNTER_SHARED } from '../drafts.js';

interface Known {
  label: string;
  value: string;
  fromRecord: boolean;
}

function knownValues(p: Procedure, data: FormData, prefilled: ReadonlySet<string>, locale: Locale, t: Translate): Known[] {
  const out: Known[] = [];
  const add = (f: Field, v: unknown, pointer: string, prefix: string) => {
    if (isGroup(f) || f.type === 'notice' || isEmpty(v) || f.id === 'personId') return;
    out.push({ label: prefix + localized(f.label, locale), value: valueText(f, v, locale, t), fromRecord: prefilled.has(pointer) });
  };
  for (const f of p.fields) {
    const v = data[f.id];
    if (!isGroup(f)) {
      add(f, v, `/${f.id}`, '');
      continue;
    }
    const label = localized(f.label, locale);
    if (f.repeat) {
      (Array.isArray(v) ? (v as FormData[]) : []).forEach((e, i) => f.fields.forEach((g) => add(g, e?.[g.id], `/${f.id}/${i}/${g.id}`, `${label}（${i + 1}）`)));
      continue;
    }
    const group = (v ?? {}) as FormData;
    f.fields.forEach((g) => add(g, group[g.id], `/${f.id}/${g.id}`, `${label}：`));
  }
  return out;
}

/** What a form says, as label and value lines (the signature tablet shows them before signing). */
export const formLines = (p: Procedure, data: FormData, locale: Locale, t: Translate): { label: string; value: string }[] =>
  knownValues(p, data, new Set(), locale, t).map(({ label, value }) => ({ label, value }));

export interface DeskFormsModel {
  items: readonly DeskItem[];
  /** Whom each procedure is for, by person id (names as registered). */
  subjectNames: ReadonlyMap<string, string>;
  /** Show the questions' own error messages (after an answer was posted). */
  showErrors: boolean;
  /** Where the full form of a draft opens. */
  fullFormHref: (draftId: string) => string;
  /** The button that takes a procedure out, if the page offers it. */
  removeAction?: (draftId: string) => string;
}

const valueAt = (data: FormData, pointer: string): unknown =>
  pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), data);

const domIdOf = (draftId: string, pointer: string) => `q-${draftId.slice(0, 8)}${pointer.replace(/[^A-Za-z0-9]+/g, '-')}`;

/** The procedures of a visit, each asking only what is still open. Goes inside the caller's form. */
export function DeskForms({ t, locale, m }: { t: Translate; locale: Locale; m: DeskFormsModel }) {
  /** Contact questions already shown (pointer → the draft that asks it). */
  const sharedAsked = new Map<string, string>();
  return (
    <>
      {m.items.map((item, n) => {
        const p = item.procedure;
        const known = knownValues(p, item.data, item.prefilled, locale, t);
        // Only what was typed wrongly is an error; a question still open is simply asked.
        const errors = new Map(m.showErrors ? item.questions.filter((q) => q.issue.code !== 'required').map((q) => [q.pointer, describeIssue(p, q.issue, locale, t)]) : []);
        const fc: FieldContext = {
          t, locale, p, top: item.data, prefilled: item.prefilled, corrections: new Map(), errors,
          action: '', names: { name: (ptr) => deskInputName(item.draftId, ptr), id: (ptr) => domIdOf(item.draftId, ptr) },
        };
        const subject = item.subjectId ? m.subjectNames.get(item.subjectId) : undefined;
        const headingId = `desk-${item.draftId.slice(0, 8)}`;
        return (
          <section class="desk-item" aria-labelledby={headingId} key={item.draftId}>
            <h3 id={headingId}>
              {n + 1}. {localized(p.names, locale)}
              {subject && <span class="desk-subject">{t('applications.desk.for', { name: subject })}</span>}{' '}
              {item.issues.length + item.missingAttachments.length === 0 ? <Badge kind="state">{t('applications.desk.complete')}</Badge> : <Badge kind="warn">{t('applications.desk.open', { n: item.issues.length + item.missingAttachments.length })}</Badge>}
            </h3>
            {known.length > 0 && (
              <details class="desk-known">
                <summary>{t('applications.desk.known', { n: known.length, records: known.filter((k) => k.fromRecord).length })}</summary>
                <dl>
                  {known.map((k, i) => (
                    <div key={i}>
                      <dt>{k.label}</dt>
                      <dd>
                        {k.value}
                        {k.fromRecord && <span class="visually-hidden">{t('applications.desk.fromRecord')}</span>}
                      </dd>
                    </div>
                  ))}
                </dl>
              </details>
            )}
            {item.questions.map((q, i) => {
              const parts = q.pointer.split('/');
              const top = parts[1]!;
              // The applicant's contact is asked once: saving it fills the other procedures.
              if (COUNTER_SHARED.has(top) && sharedAsked.has(q.pointer) && sharedAsked.get(q.pointer) !== item.draftId) return <p class="hint" key={q.pointer}>{t('applications.desk.sameContact', { field: localized(q.field.label, locale) })}</p>;
              if (COUNTER_SHARED.has(top)) sharedAsked.set(q.pointer, item.draftId);
              const group = parts.length > 2 ? p.fields.find((f) => f.id === top) : undefined;
              const prevTop = item.questions[i - 1]?.pointer.split('/')[1];
              const siblings = group && isGroup(group) ? group.fields : p.fields;
              const when = whenOf(fc, q.field.visibleWhen, parts.slice(0, -1).join('/'), siblings);
              return (
                <Fragment key={q.pointer}>
                  {group && prevTop !== top && <h4 class="desk-group">{localized(group.label, locale)}</h4>}
                  <EditableField fc={fc} f={q.field} pointer={q.pointer} value={valueAt(item.data, q.pointer)} when={{ attrs: {}, hint: when.hint }} />
                </Fragment>
              );
            })}
            {item.needsFullForm && <p class="notice">{t('applications.desk.needsFullForm')}</p>}
            {item.missingAttachments.length > 0 && (
              <p class="notice">
                {t('applications.desk.attach', { names: item.missingAttachments.map((a) => `「${localized(a.label, locale)}」`).join('') })}{' '}
                <a href={`${m.fullFormHref(item.draftId)}#${slotId(item.missingAttachments[0]!.slot)}`} data-attach>
                  {t('applications.desk.attachLink')}
                </a>
              </p>
            )}
            <p class="desk-links">
              <a href={m.fullFormHref(item.draftId)}>{t('applications.desk.fullForm', { name: localized(p.names, locale) })}</a>
              {m.removeAction && (
                <>
                  {' '}
                  <button type="submit" formaction={m.removeAction(item.draftId)} formnovalidate class="secondary small">
                    {t('applications.desk.remove')}
                    <span class="visually-hidden">{localized(p.names, locale)}</span>
                  </button>
                </>
              )}
            </p>
          </section>
        );
      })}
    </>
  );
}
