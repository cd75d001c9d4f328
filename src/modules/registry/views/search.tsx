import { Layout, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import { DateText } from '../../../platform/views/dates.js';
import type { SearchHitView } from '../service.js';
import { DemoTag } from './person.js';

export interface SearchState {
  q: string;
  includeAll: boolean;
  items: SearchHitView[] | undefined;
  nextHref: string | undefined;
  error: string | undefined;
}

export function SearchPage({ ctx, s }: { ctx: PageContext; s: SearchState }) {
  const { t } = ctx;
  const purpose = ctx.principal?.kind === 'staff' ? ctx.principal.taskPurpose : undefined;
  return (
    <Layout ctx={ctx} title={t('registry.search.title')}>
      <h1>{t('registry.search.title')}</h1>
      {purpose && (
        <p class="notice">
          {t('staff.purpose.current', { purpose: t(`purpose.${purpose}`) })} <a href="/staff/purpose?next=/staff/residents">{t('staff.purpose.change')}</a>
        </p>
      )}
      <form method="get" action="/staff/residents" role="search">
        <div class="field">
          <label for="q">{t('registry.search.q')}</label>
          <p class="hint" id="q-hint">
            {t('registry.search.lead')}
          </p>
          {s.error && (
            <p class="error" id="q-error" role="alert">
              {s.error}
            </p>
          )}
          <input
            type="search"
            id="q"
            name="q"
            value={s.q}
            maxLength={100}
            aria-describedby={s.error ? 'q-hint q-error' : 'q-hint'}
            aria-invalid={s.error ? 'true' : undefined}
          />
        </div>
        <div class="radio">
          <input type="checkbox" id="all" name="status" value="all" checked={s.includeAll} />
          <label for="all">{t('registry.search.includeAll')}</label>
        </div>
        <p>
          <button type="submit">{t('registry.search.submit')}</button>
        </p>
      </form>
      {s.items && (
        <section aria-live="polite">
          <h2 id="results">{t('registry.search.results', { count: s.items.length })}</h2>
          {s.items.length === 0 ? (
            <>
              <p>{t('registry.search.none')}</p>
              {/[0-9０-９]/.test(s.q) && <p class="hint">{t('registry.search.dateHint')}</p>}
            </>
          ) : (
            <TableWrap label={t('registry.search.results', { count: s.items.length })}>
              <table>
                <caption class="visually-hidden">{t('registry.search.results', { count: s.items.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('registry.field.name')}</th>
                    <th scope="col">{t('registry.field.kana')}</th>
                    <th scope="col">{t('registry.field.birthDate')}</th>
                    <th scope="col">{t('registry.field.town')}</th>
                    <th scope="col">{t('registry.field.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {s.items.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <a href={`/staff/residents/${p.id}`}>{`${p.familyName} ${p.givenName}`}</a> <DemoTag t={t} demo={p.demo === true} />
                      </td>
                      <td>{`${p.familyNameKana} ${p.givenNameKana}`}</td>
                      <td>
                        <DateText iso={p.birthDate} locale={ctx.locale} />
                      </td>
                      <td>{p.town}</td>
                      <td>{t(`registry.status.${p.status}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          {s.nextHref && (
            <p class="pager">
              <a href={s.nextHref}>{t('registry.search.more')}</a>
            </p>
          )}
        </section>
      )}
    </Layout>
  );
}
