/** The resident file as a page: shared by the staff detail page and the resident's own page. */
import type { Locale, Translate } from '../../../platform/i18n.js';
import { DateText } from '../../../platform/views/dates.js';
import { AccessLogTable } from '../../../platform/views/access-log.js';
import { TableWrap } from '../../../platform/views/layout.js';
import type { ResidentFile } from '../resident-file.js';

const name = (p: { family_name: string; given_name: string }) => `${p.family_name} ${p.given_name}`;
const kana = (p: { family_name_kana: string; given_name_kana: string }) => `${p.family_name_kana} ${p.given_name_kana}`;

export function DemoTag({ t, demo }: { t: Translate; demo: boolean }) {
  return demo ? <span class="tag">{t('registry.demoMark')}</span> : null;
}

export function PersonFile({
  t,
  locale,
  file,
  audience,
  personHref,
}: {
  t: Translate;
  locale: Locale;
  file: ResidentFile;
  audience: 'staff' | 'resident';
  personHref: ((id: string) => string) | undefined;
}) {
  const p = file.person;
  return (
    <>
      <section class="card">
        <h2 id="person-facts">
          {name(p)} <DemoTag t={t} demo={p.demo} />
        </h2>
        <dl class="facts">
          <dt>{t('registry.field.kana')}</dt>
          <dd>{kana(p)}</dd>
          <dt>{t('registry.field.birthDate')}</dt>
          <dd>
            <DateText iso={p.birth_date} locale={locale} />
          </dd>
          <dt>{t('registry.field.sex')}</dt>
          <dd>{t(`registry.sex.${p.sex}`)}</dd>
          <dt>{t('registry.field.status')}</dt>
          <dd>{t(`registry.status.${p.status}`)}</dd>
          <dt>{t('registry.field.relation')}</dt>
          <dd>{p.relation_to_head}</dd>
          <dt>{t('registry.field.address')}</dt>
          <dd>{file.address?.full ?? '—'}</dd>
          {audience === 'staff' && (
            <>
              <dt>{t('registry.field.myNumber')}</dt>
              <dd>{p.hasMyNumber ? t('registry.field.myNumber.registered') : t('registry.field.myNumber.none')}</dd>
              <dt>{t('registry.field.personId')}</dt>
              <dd>
                <code>{p.id}</code>
              </dd>
            </>
          )}
        </dl>
        {audience === 'staff' && p.status === 'resident' && (
          <p>
            <a class="button secondary" href={`/staff/applications/new?applicantId=${p.id}`}>
              {t('registry.file.keyInApplication')}
            </a>
          </p>
        )}
      </section>

      {file.household && (
        <section>
          <h2 id="household">{t('registry.person.household')}</h2>
          <TableWrap label={t('registry.person.household')}>
            <table>
              <caption class="visually-hidden">{t('registry.person.household')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('registry.field.name')}</th>
                  <th scope="col">{t('registry.field.relation')}</th>
                  <th scope="col">{t('registry.field.birthDate')}</th>
                </tr>
              </thead>
              <tbody>
                {file.household.members.map((m) => (
                  <tr key={m.id}>
                    <td>
                      {m.id === p.id || !personHref ? name(m) : <a href={personHref(m.id)}>{name(m)}</a>}
                      {m.id === file.household?.headId && <> <span class="tag">{t('registry.person.head')}</span></>}
                    </td>
                    <td>{m.relation_to_head}</td>
                    <td>
                      <DateText iso={m.birth_date} locale={locale} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </section>
      )}

      <section>
        <h2 id="history">{t('registry.person.history')}</h2>
        <TableWrap label={t('registry.person.history')}>
          <table>
            <caption class="visually-hidden">{t('registry.person.history')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('registry.field.period')}</th>
                <th scope="col">{t('registry.field.change')}</th>
                <th scope="col">{t('registry.field.name')}</th>
                <th scope="col">{t('registry.field.status')}</th>
                <th scope="col">{t('registry.field.address')}</th>
              </tr>
            </thead>
            <tbody>
              {file.history.map((h) => (
                <tr key={h.valid_from}>
                  <td>{`${h.valid_from} – ${h.valid_to ?? t('registry.person.untilNow')}`}</td>
                  <td>{t(h.changeType ? `registry.change.${h.changeType}` : 'registry.change.initial')}</td>
                  <td>{`${h.family_name} ${h.given_name}`}</td>
                  <td>{t(`registry.status.${h.status}`)}</td>
                  <td>{h.address?.full ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>

      {audience === 'staff' && (
        <section>
          <h2 id="access-log">{t('registry.person.accessLog')}</h2>
          <AccessLogTable t={t} entries={file.accessLog} caption={t('registry.person.accessLog')} forResident={false} />
        </section>
      )}
    </>
  );
}
