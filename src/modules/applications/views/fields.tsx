/**
 * The fields of a procedure's form, rendered from its definition: what the town already
 * knows read-only in a box marked 「町の記録から」 (with a correction to flag beside each
 * value), everything else as labelled inputs with help, 「必須」 in words and the field's own
 * error. Conditional fields are all shown, each saying when it applies; a script hides them.
 */
import type { Locale, Translate } from '../../../platform/i18n.js';
import type { Condition, Field, GroupField, InputField, Procedure } from '../definition-schema.js';
import { isGroup } from '../definitions.js';
import { localized, type FormData } from '../form.js';
import { correctionName, domId, inputName, isMemberLink, removeName } from '../page-form.js';
import { Badge, RecordBadge, valueText } from './common.js';

export interface FieldContext {
  t: Translate;
  locale: Locale;
  p: Procedure;
  /** The whole form's data (conditions on top-level fields read it). */
  top: FormData;
  prefilled: ReadonlySet<string>;
  corrections: ReadonlyMap<string, string>;
  /** Pointer → the message shown beside it. */
  errors: ReadonlyMap<string, string>;
  /** Where the form posts (an add button returns to the new entry, not the top of the page). */
  action: string;
  /** Input names and ids when several forms share one page (the counter desk); default `d:<pointer>`. */
  names?: { name(pointer: string): string; id(pointer: string): string };
}

interface When {
  attrs: Record<string, string>;
  hint: string | undefined;
}

/** Where a condition's field is, and the words saying when the conditional part applies. */
export function whenOf(fc: FieldContext, c: Condition | undefined, base: string, siblings: readonly Field[]): When {
  if (!c) return { attrs: {}, hint: undefined };
  const { t, locale } = fc;
  const sibling = siblings.find((f) => f.id === c.field);
  const target = sibling ?? fc.p.fields.find((f) => f.id === c.field);
  const name = inputName(sibling ? `${base}/${c.field}` : `/${c.field}`);
  const wanted = (c.in ?? [c.equals]).map((v) => String(v));
  const attrs = { 'data-when-name': name, 'data-when-values': JSON.stringify(wanted) };
  const label = target ? localized(target.label, locale) : c.field;
  if (target?.type === 'checkbox') return { attrs, hint: t(wanted[0] === 'false' ? 'applications.page.when.unchecked' : 'applications.page.when.checked', { label }) };
  const options = target && !isGroup(target) ? target.options : undefined;
  if (options) {
    const labels = wanted.map((v) => `「${localized(options.find((o) => o.value === v)?.label ?? { ja: v, 'ja-easy': v, en: v }, locale)}」`);
    return { attrs, hint: t(labels.length > 1 ? 'applications.page.when.anyOf' : 'applications.page.when.chosen', { labels: labels.join('') }) };
  }
  return { attrs, hint: t('applications.page.when.other', { label }) };
}

const Required = ({ t }: { t: Translate }) => (
  <>
    {' '}
    <span class="req">{t('applications.page.required')}</span>
  </>
);

function ErrorText({ t, id, message }: { t: Translate; id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="error" id={id}>
      <span class="visually-hidden">{t('applications.page.errorPrefix')}</span>
      {message}
    </p>
  );
}

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const isoDate = (v: unknown) => v === undefined || v === '' || (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v));

/** One input field a person types or chooses. */
export function EditableField({ fc, f, pointer, value, when }: { fc: FieldContext; f: InputField; pointer: string; value: unknown; when: When }) {
  const { t, locale } = fc;
  const id = fc.names ? fc.names.id(pointer) : domId(pointer);
  const name = fc.names ? fc.names.name(pointer) : inputName(pointer);
  const error = fc.errors.get(pointer);
  const help = f.help ? localized(f.help, locale) : undefined;
  const described = [help && `${id}-hint`, when.hint && `${id}-when`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const invalid = error ? ('true' as const) : undefined;
  const label = localized(f.label, locale);
  const hints = (
    <>
      {help && (
        <p class="hint" id={`${id}-hint`}>
          {help}
        </p>
      )}
      {when.hint && (
        <p class="hint when-hint" id={`${id}-when`}>
          {when.hint}
        </p>
      )}
      <ErrorText t={t} id={`${id}-error`} message={error} />
    </>
  );
  const wrapClass = `field${error ? ' field-error' : ''}`;

  if (f.type === 'radio' || f.type === 'checkboxes') {
    const chosen = (Array.isArray(value) ? value : [value]).map(String);
    return (
      <fieldset class={wrapClass} {...when.attrs} aria-describedby={described}>
        <legend>
          {label}
          {f.required && <Required t={t} />}
        </legend>
        {hints}
        {f.options!.map((o, i) => {
          const oid = i === 0 ? id : `${id}-${i}`;
          return (
            <div class="radio" key={o.value}>
              <input type={f.type === 'radio' ? 'radio' : 'checkbox'} id={oid} name={name} value={o.value} checked={chosen.includes(o.value)} aria-invalid={invalid} />
              <label for={oid}>{localized(o.label, locale)}</label>
            </div>
          );
        })}
      </fieldset>
    );
  }
  if (f.type === 'checkbox') {
    return (
      <div class={wrapClass} {...when.attrs}>
        <div class="radio">
          <input type="checkbox" id={id} name={name} value="true" checked={value === true} aria-describedby={described} aria-invalid={invalid} />
          <label for={id}>
            {label}
            {f.required && <Required t={t} />}
          </label>
        </div>
        {hints}
      </div>
    );
  }
  const common = { id, name, 'aria-describedby': described, 'aria-invalid': invalid, required: f.required === true, autoComplete: f.autocomplete };
  let control;
  if (f.type === 'select') {
    control = (
      <select {...common}>
        <option value="">{t('applications.page.choose')}</option>
        {f.options!.map((o) => (
          <option key={o.value} value={o.value} selected={String(value) === o.value}>
            {localized(o.label, locale)}
          </option>
        ))}
      </select>
    );
  } else if (f.type === 'textarea') {
    control = <textarea {...common} rows={5} maxLength={f.maxLength} value={text(value)} />;
  } else {
    const numeric = f.type === 'number' || f.type === 'tel' || f.type === 'postal-code';
    const type = f.type === 'date' ? (isoDate(value) ? 'date' : 'text') : f.type === 'tel' ? 'tel' : f.type === 'email' ? 'email' : 'text';
    control = (
      <input
        {...common}
        type={type}
        value={text(value)}
        inputMode={numeric ? 'numeric' : undefined}
        maxLength={f.type === 'text' ? f.maxLength : undefined}
        spellcheck={f.type === 'email' || numeric ? false : undefined}
        class={f.type === 'number' || f.type === 'postal-code' || f.type === 'date' ? 'short' : undefined}
      />
    );
  }
  return (
    <div class={wrapClass} {...when.attrs}>
      <label for={id}>
        {label}
        {f.required && <Required t={t} />}
      </label>
      {hints}
      {control}
    </div>
  );
}

/** Values from the town's records, read-only, each with a correction the resident may flag. */
function RecordBox({ fc, items, brief }: { fc: FieldContext; items: { f: InputField; pointer: string; value: unknown }[]; brief: boolean }) {
  const { t, locale } = fc;
  return (
    <div class="record-box">
      <p class="record-title">
        <RecordBadge t={t} /> {brief ? '' : t('applications.page.fromRecords.hint')}
      </p>
      {items.map(({ f, pointer, value }) => {
        const id = domId(pointer);
        const note = fc.corrections.get(pointer);
        const label = localized(f.label, locale);
        return (
          <div class="record-item" key={pointer}>
            <p class="record-label">{label}</p>
            <p class="record-value" id={id} tabIndex={-1}>
              {valueText(f, value, locale, t)}
            </p>
            <ErrorText t={t} id={`${id}-error`} message={fc.errors.get(pointer)} />
            <details open={!!note}>
              <summary>
                {t('applications.page.correct.summary')}
                <span class="visually-hidden">{t('applications.page.correct.of', { field: label })}</span>
              </summary>
              <div class="field">
                <label for={`c${id}`}>{t('applications.page.correct.label', { field: label })}</label>
                <p class="hint" id={`c${id}-hint`}>
                  {t('applications.page.correct.hint')}
                </p>
                <input type="text" id={`c${id}`} name={correctionName(pointer)} value={note ?? ''} maxLength={500} aria-describedby={`c${id}-hint`} />
              </div>
            </details>
          </div>
        );
      })}
    </div>
  );
}

/** A list of fields: runs of pre-filled values in one box, the rest as inputs. */
export function FieldList({ fc, fields, base, scope, group }: { fc: FieldContext; fields: readonly Field[]; base: string; scope: FormData; group: GroupField | undefined }) {
  const out = [];
  let run: { f: InputField; pointer: string; value: unknown }[] = [];
  const flush = () => {
    // Inside an entry of a repeatable group the badge alone says it; the section said the rest.
    if (run.length) out.push(<RecordBox key={`r-${run[0]!.pointer}`} fc={fc} items={run} brief={!!group?.repeat} />);
    run = [];
  };
  for (const f of fields) {
    const pointer = `${base}/${f.id}`;
    if (isGroup(f)) {
      flush();
      out.push(<GroupSection key={pointer} fc={fc} g={f} />);
      continue;
    }
    if (group && isMemberLink(group, f)) continue;
    if (f.type === 'notice') {
      flush();
      out.push(
        <div class="notice" key={pointer}>
          <p>{localized(f.label, fc.locale)}</p>
          {f.help && <p>{localized(f.help, fc.locale)}</p>}
        </div>,
      );
      continue;
    }
    // Pre-filled values stay as the register has them (readonlyWhenPrefilled: false
    // included, which the service restores on save); a correction is flagged instead.
    if (fc.prefilled.has(pointer)) {
      run.push({ f, pointer, value: scope[f.id] });
      continue;
    }
    flush();
    out.push(<EditableField key={pointer} fc={fc} f={f} pointer={pointer} value={scope[f.id]} when={whenOf(fc, f.visibleWhen, base, fields)} />);
  }
  flush();
  return <>{out}</>;
}

function Entry({ fc, g, i, entry }: { fc: FieldContext; g: GroupField; i: number; entry: FormData }) {
  const { t } = fc;
  const base = `/${g.id}/${i}`;
  const id = domId(base);
  const linked = typeof entry.personId === 'string' && entry.personId !== '';
  const nameField = g.fields.find((f) => f.prefill === 'member.fullName');
  const name = linked && nameField && typeof entry[nameField.id] === 'string' ? (entry[nameField.id] as string) : undefined;
  return (
    <fieldset class="entry" id={id} tabIndex={-1}>
      <legend>
        {t('applications.page.entry', { n: i + 1 })}
        {name ? `：${name}` : ''} {linked && <Badge>{t('applications.page.fromHousehold')}</Badge>}
      </legend>
      {linked && <input type="hidden" name={inputName(`${base}/personId`)} value={entry.personId as string} />}
      <ErrorText t={t} id={`${id}-error`} message={fc.errors.get(base)} />
      <FieldList fc={fc} fields={g.fields} base={base} scope={entry} group={g} />
      <div class="radio remove">
        <input type="checkbox" id={`${id}-remove`} name={removeName(base)} value="on" />
        <label for={`${id}-remove`}>{t('applications.page.entry.remove')}</label>
      </div>
    </fieldset>
  );
}

/** A group: a section with its heading; a repeatable one has an entry per person and an add button. */
export function GroupSection({ fc, g, extra = 0 }: { fc: FieldContext; g: GroupField; extra?: number }) {
  const { t, locale } = fc;
  const pointer = `/${g.id}`;
  const id = domId(pointer);
  const when = whenOf(fc, g.visibleWhen, '', fc.p.fields);
  const value = fc.top[g.id];
  const entries = g.repeat ? [...(Array.isArray(value) ? (value as FormData[]) : []), ...Array.from({ length: extra }, () => ({}))] : [];
  return (
    <section class="form-section" id={id} tabIndex={-1} aria-labelledby={`${id}-h`} {...when.attrs}>
      <h2 id={`${id}-h`}>{localized(g.label, locale)}</h2>
      {g.help && <p class="hint">{localized(g.help, locale)}</p>}
      {g.members && entries.length > 0 && <p class="hint">{t('applications.page.fromRecords.hint')}</p>}
      {when.hint && <p class="hint when-hint">{when.hint}</p>}
      <ErrorText t={t} id={`${id}-error`} message={fc.errors.get(pointer)} />
      {g.repeat ? (
        <>
          {entries.length === 0 && <p>{t('applications.page.entry.none')}</p>}
          {entries.map((e, i) => (
            <Entry key={i} fc={fc} g={g} i={i} entry={e} />
          ))}
          {entries.length < g.repeat.max && (
            <p>
              <button
                type="submit"
                name="action"
                value={`add:${g.id}`}
                class="secondary"
                aria-describedby={`${id}-h`}
                formAction={`${fc.action}#${domId(`/${g.id}/${entries.length}`)}`}
              >
                {t('applications.page.entry.add')}
              </button>
            </p>
          )}
        </>
      ) : (
        <FieldList fc={fc} fields={g.fields} base={pointer} scope={(value as FormData | undefined) ?? {}} group={g} />
      )}
    </section>
  );
}

/** The top level: groups as sections, loose fields in sections of their own. */
export function ProcedureFields({ fc, extra }: { fc: FieldContext; extra: Readonly<Record<string, number>> }) {
  const out = [];
  let loose: Field[] = [];
  const flush = () => {
    if (loose.length) {
      out.push(
        <div class="form-section" key={`loose-${loose[0]!.id}`}>
          <FieldList fc={fc} fields={loose} base="" scope={fc.top} group={undefined} />
        </div>,
      );
    }
    loose = [];
  };
  for (const f of fc.p.fields) {
    if (!isGroup(f)) {
      loose.push(f);
      continue;
    }
    flush();
    out.push(<GroupSection key={f.id} fc={fc} g={f} extra={extra[f.id] ?? 0} />);
  }
  flush();
  return <>{out}</>;
}
