/** A table of audit entries: auditors see who exactly; residents see the role or system. */
import type { AuditEntry } from '../audit.js';
import { defineMessages, type Translate } from '../i18n.js';
import { TableWrap } from './layout.js';

defineMessages({
  'accessLog.when': { ja: '日時', 'ja-easy': 'いつ', en: 'When' },
  'accessLog.who': { ja: '誰が', 'ja-easy': 'だれが', en: 'Who' },
  'accessLog.purpose': { ja: '利用目的', 'ja-easy': 'なんのために', en: 'Purpose' },
  'accessLog.action': { ja: '操作', 'ja-easy': 'したこと', en: 'Action' },
  'accessLog.fields': { ja: '項目', 'ja-easy': 'みた じょうほう', en: 'Fields' },
  'accessLog.seq': { ja: '番号', 'ja-easy': 'ばんごう', en: 'No.' },
  'accessLog.source': { ja: '接続元', 'ja-easy': 'どこから', en: 'From' },
  'accessLog.subjects': { ja: '対象者（住民ID）', 'ja-easy': 'だれの じょうほう', en: 'Whose data (person IDs)' },
  'accessLog.more': { ja: 'ほか{count}人', 'ja-easy': 'ほか {count}にん', en: '+{count} more' },
  'accessLog.empty': { ja: '記録はありません。', 'ja-easy': 'きろくは ありません。', en: 'No entries.' },
  'accessLog.self': { ja: 'ご本人', 'ja-easy': 'あなた', en: 'You' },
  'accessLog.household': { ja: '同じ世帯の方', 'ja-easy': 'いっしょに くらす かぞく', en: 'A member of your household' },
  'accessLog.resident': { ja: '住民本人（{id}…）', 'ja-easy': 'じゅうみん ほんにん（{id}…）', en: 'The resident ({id}…)' },
  'accessLog.system': { ja: 'システム', 'ja-easy': 'システム', en: 'System' },
  'accessLog.client': { ja: '連携システム「{name}」', 'ja-easy': 'つながっている システム「{name}」', en: 'Connected system “{name}”' },
  'accessLog.staff': { ja: '職員（{role}）', 'ja-easy': 'しょくいん（{role}）', en: 'Staff ({role})' },
  'action.person.read': { ja: '個人情報の閲覧', 'ja-easy': 'じょうほうを みた', en: 'Read a record' },
  'action.person.read-file': { ja: '住民詳細の閲覧', 'ja-easy': 'くわしい じょうほうを みた', en: 'Opened the resident file' },
  'action.person.read-history': { ja: '履歴の閲覧', 'ja-easy': 'むかしの じょうほうを みた', en: 'Read the history' },
  'action.person.search': { ja: '検索結果に表示', 'ja-easy': 'さがした けっかに でた', en: 'Shown in search results' },
  'action.household.read': { ja: '世帯情報の閲覧', 'ja-easy': 'せたいの じょうほうを みた', en: 'Read the household' },
  'action.registry.change': { ja: '異動の反映', 'ja-easy': 'じょうほうを かえた', en: 'Applied a registry change' },
  'action.events.read': { ja: '異動通知の取得', 'ja-easy': 'かわった ことの おしらせを うけとった', en: 'Read the change feed' },
  'action.audit.read': { ja: 'アクセス記録の閲覧', 'ja-easy': 'きろくを みた', en: 'Read the access log' },
  'action.access-log.read': { ja: 'アクセス記録の確認', 'ja-easy': 'きろくを たしかめた', en: 'Checked own access log' },
  'action.event.deliver': { ja: '異動通知の送信', 'ja-easy': 'かわった ことを システムへ しらせた', en: 'Sent a change notice to a connected system' },
  'action.subscription.create': { ja: '通知の購読登録', 'ja-easy': 'おしらせの とうろく', en: 'Subscribed to events' },
  'action.demo.list': { ja: 'デモ住民の一覧表示', 'ja-easy': 'デモの ひとの いちらん', en: 'Listed demo residents' },
});

const formatter = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'medium' });
export const formatDateTime = (d: Date) => formatter.format(d);

function who(t: Translate, e: AuditEntry, forResident: boolean, selfId: string | undefined): string {
  if (e.actorType === 'resident' && !forResident) return t('accessLog.resident', { id: e.actorId.slice(0, 8) });
  if (e.actorType === 'resident') return selfId === undefined || e.actorId === selfId ? t('accessLog.self') : t('accessLog.household');
  if (e.actorType === 'client') return t('accessLog.client', { name: e.actorName });
  if (e.actorType === 'system') return t('accessLog.system');
  const roles = (e.role ?? '').split(',').filter(Boolean).map((r) => t(`role.${r}`)).join('・');
  return forResident ? t('accessLog.staff', { role: roles }) : `${e.actorName}（${roles}）`;
}

export function AccessLogTable({
  t,
  entries,
  caption,
  forResident,
  selfId,
}: {
  t: Translate;
  entries: AuditEntry[];
  caption: string;
  forResident: boolean;
  selfId?: string;
}) {
  if (entries.length === 0) return <p>{t('accessLog.empty')}</p>;
  return (
    <TableWrap label={caption}>
      <table>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {!forResident && <th scope="col">{t('accessLog.seq')}</th>}
            <th scope="col">{t('accessLog.when')}</th>
            <th scope="col">{t('accessLog.who')}</th>
            <th scope="col">{t('accessLog.purpose')}</th>
            <th scope="col">{t('accessLog.action')}</th>
            {!forResident && <th scope="col">{t('accessLog.subjects')}</th>}
            {!forResident && <th scope="col">{t('accessLog.source')}</th>}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq}>
              {!forResident && <td>{e.seq}</td>}
              <td>
                <time dateTime={e.at.toISOString()}>{formatDateTime(e.at)}</time>
              </td>
              <td>
                {who(t, e, forResident, selfId)}
                {!forResident && (
                  <>
                    <br />
                    <small>{e.actorId}</small>
                  </>
                )}
              </td>
              <td>{t(`purpose.${e.purpose}`)}</td>
              <td>{t(`action.${e.action}`)}</td>
              {!forResident && (
                <td>
                  {e.subjectIds.slice(0, 3).map((id) => (
                    <small key={id} class="id">
                      {id}
                    </small>
                  ))}
                  {e.subjectIds.length > 3 && <small>{t('accessLog.more', { count: e.subjectIds.length - 3 })}</small>}
                  {e.subjectIds.length === 0 && '—'}
                </td>
              )}
              {!forResident && <td>{e.sourceIp ?? '—'}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
