/**
 * The pages as a browser without JavaScript uses them: the facilities, the month and week
 * calendars (tables with headers, every slot in words), booking a room by the form, paying
 * on the simulated provider's page, seeing it confirmed, cancelling within the rules and
 * seeing the refund; the waiting list; the calendar feeds (RFC 5545); registered groups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { formFields, pageClient, withValues, type PageClient } from '../applications/testing.js';
import { payAsPayer } from '../payments/testing.js';
import { facilitiesOf, residents, testClock, tripOn, type Resident } from './testing.js';
import { hasMessage } from '../../platform/i18n.js';
import { SLOT_STATUSES } from './calendar.js';
import { RULE_NAMES } from './rules.js';
import { STATES } from './states.js';

const clock = testClock('2026-11-23T10:00:00+09:00');
const main = (body: string) => body.replace(/^[\s\S]*<main[^>]*>/, '').replace(/<\/main>[\s\S]*$/, '');
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('the facility and booking pages', () => {
  let t: TestServer;
  let c: PageClient;
  let me: Resident;
  let other: Resident;

  beforeAll(async () => {
    t = await startTestServer({}, { now: clock.now });
    await facilitiesOf(t, '2026-11-23');
    c = pageClient(t);
    const family = await residents(t);
    me = family[0]!;
    other = family[1]!;
  });
  afterAll(async () => t?.close());

  it('lists the facilities and tells one’s hours, fees and rules to anyone', async () => {
    const list = await c.get('/facilities', '');
    expect(list.statusCode).toBe(200);
    expect(text(main(list.body))).toContain('中央公民館');
    expect(list.body).toContain('href="/facilities/taiikukan/calendar"');
    const f = await c.get('/facilities/kominkan', '');
    expect(f.statusCode).toBe(200);
    const words = text(main(f.body));
    expect(words).toContain('月曜日 休館日');
    expect(words).toContain('第1会議室 30人 400円');
    expect(words).toContain('町内の方は利用日の90日前、町外の方は30日前の09:00から予約できます');
    expect(words).toContain('65歳以上の方：50%減額');
    expect((await c.get('/facilities/nowhere', '')).statusCode).toBe(404);
  });

  it('shows a month as a table of days, each saying in words what is free', async () => {
    const res = await c.get('/facilities/kominkan/calendar?month=2026-12', '');
    expect(res.statusCode).toBe(200);
    const m = main(res.body);
    expect(m).toContain('<caption>中央公民館 2026年12月の空き状況</caption>');
    expect(m).toMatch(/<th scope="col"><abbr title="日曜日">日<\/abbr><\/th>/);
    expect(text(m)).toContain('空き12枠'); // four rooms, three periods
    expect(text(m)).toContain('休館日'); // Mondays
    expect(m).toContain('href="/facilities/kominkan/week?from=2026-12-01"');
    // Before this month: shown from this month.
    expect(main((await c.get('/facilities/kominkan/calendar?month=2020-01', '')).body)).toContain('2026年11月');
  });

  it('shows a week per room: rows of periods, columns of days, each cell a word and a link that says what it books', async () => {
    const res = await c.get('/facilities/kominkan/week?from=2026-12-01', me.cookie);
    expect(res.statusCode).toBe(200);
    const m = main(res.body);
    expect(m).toContain('<h2 id="u-kaigi-1">第1会議室</h2>');
    expect(m).toContain('<th scope="row"><span>午前 </span><span class="time">9:00〜12:00</span></th>');
    expect(m).toMatch(/<th scope="col">12月1日（火）<\/th>/);
    expect(m).toContain('href="/facilities/kominkan/book?unit=kaigi-1&amp;start=2026-12-01T00%3A00%3A00.000Z"');
    expect(text(m)).toContain('空き ：第1会議室 令和8年（2026年）12月1日（火） 午前 9:00〜12:00を予約する');
  });

  it('names the rule, on a page with the way back, for a slot that does not exist (outside opening hours)', async () => {
    const odd = await c.get(`/facilities/kominkan/book?unit=kaigi-1&start=${encodeURIComponent('2026-12-01T03:30:00.000Z')}`, me.cookie);
    expect(odd.statusCode).toBe(422);
    expect(text(main(odd.body))).toContain('その時間は予約できません（開館時間・利用区分の外です）。');
    expect(main(odd.body)).toContain('href="/facilities/kominkan/week"');
  });

  it('books a room by the form, pays on the provider’s page, is confirmed, cancels within the rules and sees the refund', async () => {
    const start = '2026-12-01T00:00:00.000Z';
    const form = await c.get(`/facilities/kominkan/book?unit=kaigi-1&start=${encodeURIComponent(start)}`, me.cookie);
    expect(form.statusCode).toBe(200);
    expect(text(main(form.body))).toContain('令和8年（2026年）12月1日（火） 9:00〜12:00');
    // Nothing filled in: 400 with the problems listed and linked to their fields.
    const empty = await c.post('/facilities/kominkan/book', me.cookie, formFields(form.body, '/facilities/kominkan/book'));
    expect(empty.statusCode).toBe(400);
    expect(main(empty.body)).toContain('<a href="#people">利用人数を数字で入力してください。</a>');
    const fields = withValues(formFields(form.body, '/facilities/kominkan/book'), { people: '8', purposeOfUse: '自治会の役員会', contactEmail: 'me@example.jp' });
    const made = await c.post('/facilities/kominkan/book', me.cookie, fields);
    const to = c.location(made);
    expect(to).toMatch(/^\/me\/bookings\/[0-9a-f-]{36}\?made=1$/);
    const id = to.split('/').pop()!.split('?')[0]!;
    const held = await c.get(to, me.cookie);
    expect(text(main(held.body))).toContain('仮予約しました');
    expect(text(main(held.body))).toContain('1,200円');

    // The same slot is now taken for everyone else: 409, and the way to the waiting list.
    const second = await c.get(`/facilities/kominkan/book?unit=kaigi-1&start=${encodeURIComponent(start)}`, other.cookie);
    const taken = await c.post('/facilities/kominkan/book', other.cookie, withValues(formFields(second.body, '/facilities/kominkan/book'), { people: '3', purposeOfUse: '会議' }));
    expect(taken.statusCode).toBe(409);
    expect(text(main(taken.body))).toContain('この枠はすでに予約されています。');
    expect(main(taken.body)).toContain('/facilities/kominkan/wait?unit=kaigi-1');

    // Pay by card on the simulated provider's page, come back, see it confirmed.
    const pay = await c.post(`/me/bookings/${id}/pay`, me.cookie, withValues(formFields(held.body, `/me/bookings/${id}/pay`), { method: 'card' }));
    const nextUrl = c.location(pay);
    const visit = await payAsPayer(t, nextUrl, 'pay', me.cookie);
    const back = await c.get(visit.returnedTo!.replace(t.config.publicUrl, ''), me.cookie);
    expect(back.statusCode).toBe(200);
    expect(text(main(back.body))).toContain('お支払いが完了し、予約が確定しました。');
    expect(text(main(back.body))).toContain('今取り消すと、1,200円（使用料の100%）をお返しします');

    // Cancel within the rules: all of it back.
    const confirm = await c.get(`/me/bookings/${id}/cancel`, me.cookie);
    expect(text(main(confirm.body))).toContain('お返しする額 1,200円');
    const cancelled = await c.post(`/me/bookings/${id}/cancel`, me.cookie, formFields(confirm.body, `/me/bookings/${id}/cancel`));
    const after = await c.get(c.location(cancelled), me.cookie);
    expect(text(main(after.body))).toContain('予約を取り消しました。1,200円を返金します。');
    expect(text(main(after.body))).toContain('返金の手続きをしました');
    // The other resident may book it now.
    const again = await c.post('/facilities/kominkan/book', other.cookie, withValues(formFields(second.body, '/facilities/kominkan/book'), { people: '3', purposeOfUse: '会議' }));
    expect(again.statusCode).toBe(303);
  });

  it('names the rule in words when a booking is refused', async () => {
    const start = '2027-03-16T00:00:00.000Z'; // more than 90 days ahead
    const form = await c.get(`/facilities/kominkan/book?unit=washitsu&start=${encodeURIComponent(start)}`, me.cookie);
    const res = await c.post('/facilities/kominkan/book', me.cookie, withValues(formFields(form.body, '/facilities/kominkan/book'), { people: '3', purposeOfUse: '茶道' }));
    expect(res.statusCode).toBe(422);
    expect(text(main(res.body))).toContain('この枠の予約受付はまだ始まっていません（令和8年（2026年）12月16日（水） 9:00から受け付けます）。');
  });

  it('joins the waiting list of a booked slot and shows the place in line', async () => {
    const start = '2026-12-02T04:00:00.000Z'; // 13:00 in Japan
    const form = await c.get(`/facilities/kominkan/book?unit=kaigi-2&start=${encodeURIComponent(start)}`, other.cookie);
    c.location(await c.post('/facilities/kominkan/book', other.cookie, withValues(formFields(form.body, '/facilities/kominkan/book'), { people: '3', purposeOfUse: '会議' })));
    const week = await c.get('/facilities/kominkan/week?from=2026-12-02', me.cookie);
    expect(main(week.body)).toContain(`/facilities/kominkan/wait?unit=kaigi-2&amp;start=${encodeURIComponent(start)}`);
    const wait = await c.get(`/facilities/kominkan/wait?unit=kaigi-2&start=${encodeURIComponent(start)}`, me.cookie);
    expect(main(wait.body)).toContain('メールアドレス（必須）');
    // The offer is held only for a while: an address to tell it at is required.
    const noEmail = await c.post('/facilities/kominkan/wait', me.cookie, withValues(formFields(wait.body, '/facilities/kominkan/wait'), { people: '4', purposeOfUse: '書道' }));
    expect(noEmail.statusCode).toBe(400);
    expect(main(noEmail.body)).toContain('href="#contactEmail"');
    expect(text(main(noEmail.body))).toContain('順番が来たときにお知らせするため、メールアドレスを入力してください。');
    const joined = await c.post('/facilities/kominkan/wait', me.cookie, withValues(formFields(wait.body, '/facilities/kominkan/wait'), { people: '4', purposeOfUse: '書道', contactEmail: 'wait@example.jp' }));
    const list = await c.get(c.location(joined), me.cookie);
    expect(text(main(list.body))).toContain('キャンセル待ちをしました。');
    expect(text(main(list.body))).toContain('待っています（1番目）');
    // Reading one's waiting list is recorded, on the page and through the API.
    const reads = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.entries WHERE action = 'waitlist.list' AND $1 = ANY(subject_ids)`, [me.id]))[0]!.n;
    const onPage = await reads();
    expect(onPage).toBeGreaterThan(0);
    expect((await t.inject({ method: 'GET', url: '/api/v1/waitlist', headers: me.headers })).statusCode).toBe(200);
    expect(await reads()).toBe(onPage + 1);
    const leave = await c.post(list.body.match(/action="(\/me\/waitlist\/[^"]+\/leave)"/)![1]!, me.cookie, formFields(list.body, /\/me\/waitlist\/.+\/leave/));
    expect(text(main((await c.get(c.location(leave), me.cookie)).body))).toContain('キャンセル待ちをやめました。');
  });

  it('gives the resident a calendar feed at a secret address, and the facility a public one without names', async () => {
    const list = await c.get('/me/bookings', me.cookie);
    const url = /id="feed-url" readOnly="" value="([^"]+)"|id="feed-url"[^>]*value="([^"]+)"/.exec(list.body);
    const feed = (url![1] ?? url![2]!).replace(/&amp;/g, '&').replace(t.config.publicUrl, '');
    const ics = await t.inject({ method: 'GET', url: feed });
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body).toMatch(/^BEGIN:VCALENDAR\r\n/);
    for (const line of ics.body.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics.body).toContain('STATUS:CANCELLED'); // the booking cancelled above
    expect(ics.body).toMatch(/UID:booking-[0-9a-f-]{36}@/);
    expect((await t.inject({ method: 'GET', url: feed.replace(/token=[^.]+/, 'token=AAAAAAAAAAAAAAAAAAAAAAAA') })).statusCode).toBe(404);
    // A new address revokes the old one.
    const renew = await c.post('/me/bookings/feed', me.cookie, formFields(list.body, '/me/bookings/feed'));
    expect(renew.statusCode).toBe(303);
    expect((await t.inject({ method: 'GET', url: feed })).statusCode).toBe(404);

    const pub = await t.inject({ method: 'GET', url: '/facilities/kominkan/calendar.ics' });
    expect(pub.statusCode).toBe(200);
    expect(pub.body).toContain('SUMMARY:第2会議室 予約済み');
    expect(pub.body).not.toMatch(/一郎|花子|翔太|自治会|会議室 会議/);
  });

  it('tells calendar apps what changed (SEQUENCE, LAST-MODIFIED), and shows a bus trip once however many seats are taken', async () => {
    clock.set('2026-11-23T10:00:00+09:00');
    const unfold = (ics: string) => ics.replace(/\r\n /g, '');
    const eventsOf = (ics: string) => unfold(ics).split('BEGIN:VEVENT').slice(1);
    const trip = await tripOn(t, '2026-11-27');
    const seat = async (who: Resident) => {
      const res = await t.inject({ method: 'POST', url: '/api/v1/bookings', headers: who.headers, payload: { facility: 'bus', trip, people: 1 } });
      expect(res.statusCode, res.body).toBe(201);
      return (res.json() as { id: string }).id;
    };
    const mine = await seat(me);
    await seat(other);
    clock.advance(5 * 60_000);
    const p = (await t.inject({ method: 'POST', url: `/api/v1/bookings/${mine}/payment`, headers: me.headers, payload: { method: 'card' } })).json() as { nextUrl: string };
    await payAsPayer(t, p.nextUrl, 'pay', me.cookie);
    const list = await c.get('/me/bookings', me.cookie);
    const url = /id="feed-url"[^>]*value="([^"]+)"/.exec(list.body)!;
    const feed = await t.inject({ method: 'GET', url: url[1]!.replace(/&amp;/g, '&').replace(t.config.publicUrl, '') });
    const event = eventsOf(feed.body).find((e) => e.includes(`UID:booking-${mine}@`))!;
    expect(event).toContain('SEQUENCE:1\r\n'); // made, then confirmed
    expect(event).toContain('LAST-MODIFIED:20261123T010500Z\r\n'); // when it was paid, not when it was made
    const pub = await t.inject({ method: 'GET', url: '/facilities/bus/calendar.ics' });
    const trips = eventsOf(pub.body).filter((e) => e.includes('DTSTART:20261127T000000Z'));
    expect(trips).toHaveLength(1);
    expect(trips[0]).toContain(`UID:trip-${trip}@`);
    expect(trips[0]).toContain('SUMMARY:町有バス みどり号 予約2席（全25席）');
    expect(trips[0]).toContain('LAST-MODIFIED:20261123T010500Z');
    clock.set('2026-11-23T10:00:00+09:00');
  });

  it('registers a group for the desk to approve', async () => {
    const page = await c.get('/me/facility-groups', me.cookie);
    expect(page.statusCode).toBe(200);
    const bad = await c.post('/me/facility-groups', me.cookie, withValues(formFields(page.body, '/me/facility-groups'), { name: '', members: '1', activity: '' }));
    expect(bad.statusCode).toBe(400);
    expect(main(bad.body)).toContain('href="#g-members"');
    const ok = await c.post('/me/facility-groups', me.cookie, withValues(formFields(page.body, '/me/facility-groups'), { name: 'みどり書道会', members: '12', activity: '書道の練習' }));
    expect(text(main((await c.get(c.location(ok), me.cookie)).body))).toContain('みどり書道会（12人）：審査中');
    // Reading one's groups through the API is recorded too.
    const listed = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.entries WHERE action = 'group.list' AND $1 = ANY(subject_ids)`, [me.id]))[0]!.n;
    const before = await listed();
    expect(((await t.inject({ method: 'GET', url: '/api/v1/facility-groups', headers: me.headers })).json() as { items: unknown[] }).items).toHaveLength(1);
    expect(await listed()).toBe(before + 1);
  });

  it('has every word it builds at run time in Japanese, やさしい日本語 and English, and shows no key on a page', async () => {
    const keys = [
      ...STATES.map((x) => `reservations.state.${x}`),
      ...SLOT_STATUSES.flatMap((x) => [`reservations.status.${x}`, `reservations.legend.${x}`]),
      ...['available', 'full', 'closed', 'lottery', 'not-yet-open', 'past', 'no-slots'].map((x) => `reservations.day.${x}`),
      ...RULE_NAMES.map((x) => `reservations.rule.${x}`),
      ...['room', 'gym', 'court', 'hall', 'bus'].map((x) => `reservations.kind.${x}`),
      ...['card', 'qr', 'konbini'].map((x) => `reservations.method.${x}`),
      ...['online', 'counter', 'free'].map((x) => `reservations.paidBy.${x}`),
      ...['submitted', 'succeeded', 'failed', 'at-counter', 'paid-at-counter'].map((x) => `reservations.refund.${x}`),
      ...['failed', 'cancelled', 'expired'].map((x) => `reservations.booking.payment.${x}`),
      ...['waiting', 'offered', 'booked', 'lapsed', 'withdrawn'].map((x) => `reservations.wait.state.${x}`),
      ...['applied', 'approved', 'rejected', 'withdrawn'].map((x) => `reservations.groups.state.${x}`),
      ...[0, 1, 2, 3, 4, 5, 6].flatMap((x) => [`reservations.weekday.${x}`, `reservations.weekdayShort.${x}`]),
      ...['held', 'confirmed', 'cancelled', 'released', 'offered', 'late-refund'].flatMap((x) => [`reservations.mail.${x}.subject`, `reservations.mail.${x}.body`]),
    ];
    expect(keys.filter((k) => !hasMessage(k))).toEqual([]);
    for (const lang of ['en', 'ja-easy']) {
      for (const url of ['/facilities', '/facilities/tennis', '/facilities/tennis/calendar', '/facilities/tennis/week', '/facilities/bus/week', '/me/bookings', '/me/facility-groups']) {
        const res = await c.get(`${url}?lang=${lang}`, me.cookie);
        expect(res.statusCode, url).toBe(200);
        expect(text(main(res.body)), `${url} in ${lang}`).not.toMatch(/reservations\.[a-z]/);
      }
    }
  });

  it('sends visitors who are not signed in to sign in', async () => {
    expect((await c.get('/me/bookings', '')).statusCode).toBe(303);
    const res = await c.get('/facilities/kominkan/book?unit=kaigi-1&start=2026-12-01T00%3A00%3A00.000Z', '');
    expect(res.statusCode).toBe(303);
    expect(String(res.headers.location)).toMatch(/^\/auth\/sign-in\?next=/);
  });
});
