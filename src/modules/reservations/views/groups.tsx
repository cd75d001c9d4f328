/** The resident's registered groups (団体登録) and the form to register one. */
import { CsrfField, Layout, type PageContext } from '../../../platform/views/layout.js';
import type { GroupRow } from '../group-store.js';
import { ErrorSummary, Notice, Styles, type Problem } from './common.js';

export interface GroupsModel {
  groups: (GroupRow & { reductionName: string | null })[];
  values: { name: string; members: string; activity: string; contactEmail: string };
  problems: Problem[];
  notice?: string;
}

export function GroupsPage({ ctx, m }: { ctx: PageContext; m: GroupsModel }) {
  const { t } = ctx;
  const title = `${m.problems.length ? t('applications.page.errors.titlePrefix') : ''}${t('reservations.groups.title')}`;
  const invalid = (field: string) => m.problems.some((p) => p.field === field);
  return (
    <Layout ctx={ctx} title={title}>
      <Styles />
      <p class="back">
        <a href="/me/bookings">{t('reservations.back.mine')}</a>
      </p>
      <h1>{t('reservations.groups.title')}</h1>
      <p class="lead">{t('reservations.groups.lead')}</p>
      <ErrorSummary t={t} problems={m.problems} />
      <Notice text={m.notice} />
      <h2>{t('reservations.groups.mine')}</h2>
      {m.groups.length === 0 ? (
        <p>{t('reservations.groups.none')}</p>
      ) : (
        <ul>
          {m.groups.map((g) => (
            <li key={g.id}>
              {g.name}（{t('reservations.people', { n: g.members })}）：{t(`reservations.groups.state.${g.state}`)}
              {g.reductionName ? `・${g.reductionName}` : ''}
            </li>
          ))}
        </ul>
      )}
      <h2 id="new-h">{t('reservations.groups.new')}</h2>
      <form method="post" action="/me/facility-groups" aria-labelledby="new-h" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <div class={`field${invalid('g-name') ? ' field-error' : ''}`}>
          <label for="g-name">{t('reservations.groups.name')}</label>
          <input type="text" id="g-name" name="name" maxLength={100} value={m.values.name} required aria-invalid={invalid('g-name') ? 'true' : undefined} />
        </div>
        <div class={`field${invalid('g-members') ? ' field-error' : ''}`}>
          <label for="g-members">{t('reservations.groups.members')}</label>
          <input type="number" id="g-members" name="members" class="short" min={2} max={10000} inputMode="numeric" value={m.values.members} required aria-invalid={invalid('g-members') ? 'true' : undefined} />
        </div>
        <div class={`field${invalid('g-activity') ? ' field-error' : ''}`}>
          <label for="g-activity">{t('reservations.groups.activity')}</label>
          <textarea id="g-activity" name="activity" maxLength={500} required aria-invalid={invalid('g-activity') ? 'true' : undefined}>
            {m.values.activity}
          </textarea>
        </div>
        <div class="field">
          <label for="g-email">{t('reservations.book.email')}</label>
          <input type="email" id="g-email" name="contactEmail" autoComplete="email" maxLength={320} value={m.values.contactEmail} />
        </div>
        <button type="submit">{t('reservations.groups.submit')}</button>
      </form>
    </Layout>
  );
}
