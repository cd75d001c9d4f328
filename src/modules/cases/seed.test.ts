import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '../applications/index.js';
import { loadConfig } from '../../platform/config.js';
import { installDemo, DEMO_PASSWORD, DEMO_STAFF } from '../../demo.js';
import { cookieHeader, csrfFrom, startTestServer, type TestServer } from '../../testing/server.js';
import { caseTown } from './testing.js';
import type { CaseView } from './read.js';
import { Random, dayOf, isOpenDay, startOf, OPENS, CLOSES } from './seed-calendar.js';
import { ageOn, type SeedPerson } from './seed-people.js';
import { planHistory, planProcedures, signInResidents, staffByDepartment, type PlanInput, type PlannedCase } from './seed.js';
import { DEFAULT_ROUTE, isOpen, nextState, type CaseAction, type CaseState } from './states.js';

const TODAY = '2026-11-22';
const catalog = loadDefinitions(loadConfig({ NODE_ENV: 'test' }).proceduresDir);
const DEPARTMENTS = ['jumin', 'kodomo', 'kaigo', 'kenko-fukushi', 'bosai'];
const STAFF = [
  { id: '00000000-0000-4000-8000-000000000001', name: '担当 一', units: DEPARTMENTS.map((department) => ({ department, position: 'officer' as const })) },
  { id: '00000000-0000-4000-8000-000000000004', name: '担当 二', units: ['jumin', 'kaigo'].map((department) => ({ department, position: 'officer' as const })) },
  { id: '00000000-0000-4000-8000-000000000002', name: '係長 三', units: DEPARTMENTS.map((department) => ({ department, position: 'chief' as const })) },
  { id: '00000000-0000-4000-8000-000000000003', name: '課長 四', units: DEPARTMENTS.map((department) => ({ department, position: 'manager' as const })) },
];

/** A small fictional town: elders alone and in couples, families with children of every age, three generations. */
function fakeTown(residents: number, seed: number): SeedPerson[] {
  const rng = new Random(seed);
  const people: SeedPerson[] = [];
  const born = (age: number) => {
    const d = new Date(`${TODAY}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - Math.floor(age * 365.2425) - rng.int(1, 360));
    return d.toISOString().slice(0, 10);
  };
  while (people.length < residents) {
    const householdId = rng.uuid();
    const add = (age: number, sex: number, relationToHead: string) => people.push({ id: rng.uuid(), householdId, birthDate: born(age), sex, relationToHead });
    const kind = rng.float();
    if (kind < 0.3) add(rng.int(66, 95), rng.int(1, 2), '本人');
    else if (kind < 0.55) {
      add(rng.int(66, 90), 1, '本人');
      add(rng.int(64, 88), 2, '妻');
    } else if (kind < 0.8) {
      add(rng.int(28, 50), 1, '本人');
      add(rng.int(26, 45), 2, '妻');
      for (let k = rng.int(1, 3); k > 0; k--) add(rng.int(0, 17), rng.int(1, 2), '子');
    } else if (kind < 0.9) add(rng.int(19, 60), rng.int(1, 2), '本人');
    else {
      add(rng.int(45, 60), 1, '本人');
      add(rng.int(43, 58), 2, '妻');
      add(rng.int(75, 92), 2, '母');
      add(rng.int(0, 20), rng.int(1, 2), '子');
    }
  }
  return people.sort((a, b) => a.id.localeCompare(b.id));
}

const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  seed: 11,
  today: TODAY,
  residents: 5000,
  people: fakeTown(2500, 5),
  procedures: planProcedures(catalog.procedures.values()),
  staff: staffByDepartment(STAFF),
  clerkId: '00000000-0000-4000-8000-000000000009',
  ...over,
});

/** Replays a case's steps through the table of transitions, as the service would; the final state. */
function replayed(
  c: { procedureCode: string; rejects: boolean },
  steps: readonly { action: string; from: CaseState | null; to: CaseState }[],
): CaseState {
  const route = catalog.procedures.get(c.procedureCode)!.approvalRoute ?? DEFAULT_ROUTE;
  expect(steps[0]).toMatchObject({ action: 'receive', from: null, to: 'received' });
  let state: CaseState = 'received';
  let levels = 0;
  let routeLength = 0;
  let proposal: 'approve' | 'reject' | null = null;
  for (const s of steps.slice(1)) {
    const to = nextState(s.action as CaseAction, state, { approvedLevels: levels, routeLength, proposal });
    expect(to, `${c.procedureCode}: ${s.action} from ${state}`).toBe(s.to);
    expect(s.from).toBe(state);
    if (s.action === 'propose') [levels, routeLength, proposal] = [0, route.length, c.rejects ? 'reject' : 'approve'];
    if (s.action === 'approve') levels++;
    if (s.action === 'send-back') [levels, routeLength, proposal] = [0, 0, null];
    state = to!;
  }
  return state;
}

const rejects = (c: PlannedCase) => ({ procedureCode: c.procedureCode, rejects: c.decision === 'rejected' || c.proposalOutcome === 'reject' });
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const jstDate = (d: Date) => new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);

describe('the plan of a year of case history', () => {
  const plan = planHistory(input());
  const open = plan.filter((c) => isOpen(c.state));
  const count = (state: CaseState) => plan.filter((c) => c.state === state).length;

  it('is the same for the same seed and another for another seed', () => {
    const again = planHistory(input());
    expect(again).toEqual(plan);
    const other = planHistory(input({ seed: 12 }));
    expect(other.map((c) => c.caseId)).not.toEqual(plan.map((c) => c.caseId));
  });

  it('has a realistic volume: hundreds of 住民票, ~150 要介護認定, a disaster burst', () => {
    const of = (code: string) => plan.filter((c) => c.procedureCode === code).length;
    expect(plan.length).toBeGreaterThan(900);
    expect(of('residence-certificate-request')).toBeGreaterThan(400);
    expect(of('long-term-care-certification')).toBeGreaterThan(120);
    expect(of('pregnancy-notification')).toBeGreaterThan(15);
    const disaster = plan.filter((c) => c.procedureCode === 'disaster-certificate').map((c) => c.receivedAt.getTime()).sort((a, b) => a - b);
    const median = disaster[Math.floor(disaster.length / 2)]!;
    expect(disaster.filter((t) => Math.abs(t - median) < 30 * 86_400_000).length / disaster.length).toBeGreaterThan(0.6);
  });

  it('walks every case through the table of states, ending in its state', () => {
    for (const c of plan) expect(replayed(rejects(c), c.steps)).toBe(c.state);
  });

  it('mostly completes, some withdrawn or rejected, and leaves a backlog open in every state', () => {
    expect(count('completed') / plan.length).toBeGreaterThanOrEqual(0.8);
    expect(count('withdrawn')).toBeGreaterThan(0);
    expect(plan.filter((c) => c.decision === 'rejected').length).toBeGreaterThan(0);
    for (const s of ['received', 'in-review', 'waiting', 'proposed', 'approved'] as const) expect(count(s), s).toBeGreaterThan(0);
    expect(open.some((c) => c.dueDate < TODAY && !c.pausedSince)).toBe(true);
  });

  it('takes 要介護認定 past the 30-day legal period on average', () => {
    const care = plan.filter((c) => c.procedureCode === 'long-term-care-certification' && c.completedAt);
    const days = care.map((c) => (c.completedAt!.getTime() - c.receivedAt.getTime()) / 86_400_000);
    expect(days.reduce((a, b) => a + b, 0) / days.length).toBeGreaterThan(30);
    expect(days.filter((d) => d <= 30).length / days.length).toBeLessThan(0.4);
  });

  it('moves due dates by the days spent waiting, and pauses open waiting cases', () => {
    for (const c of plan) expect(c.dueDate).toBe(addDays(addDays(jstDate(c.receivedAt), c.standardDays), c.pausedDays));
    expect(plan.some((c) => c.pausedDays > 0)).toBe(true);
    for (const c of plan) expect(c.pausedSince !== null).toBe(c.state === 'waiting');
  });

  it('never has two open applications of one procedure for one subject', () => {
    const keys = open.filter((c) => c.subjectId).map((c) => `${c.procedureCode}:${c.subjectId}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('picks subjects that fit the procedure on the day it was submitted', () => {
    const byId = new Map(input().people.map((p) => [p.id, p]));
    const age = (c: PlannedCase) => ageOn(byId.get(c.subjectId!)!.birthDate, jstDate(c.receivedAt));
    for (const c of plan) {
      if (c.procedureCode === 'long-term-care-certification') expect(age(c)).toBeGreaterThanOrEqual(65);
      if (c.procedureCode === 'child-medical-subsidy') expect(age(c)).toBeLessThan(18);
      if (c.procedureCode === 'newborn-visit-notice') expect(age(c)).toBe(0);
      if (c.procedureCode === 'pregnancy-notification') expect(byId.get(c.subjectId!)!.sex).toBe(2);
      if (catalog.procedures.get(c.procedureCode)!.subjectStatus === 'deceased') expect(c.subjectId).toBeNull();
    }
  });

  it('works in office hours on open days, stays before today, and has residents answer for themselves', () => {
    const end = startOf(dayOf(Date.parse(`${TODAY}T12:00:00+09:00`)));
    for (const c of plan) {
      for (const s of c.steps) {
        expect(s.at.getTime()).toBeLessThan(end);
        if (s.actorKind === 'staff') {
          const day = dayOf(s.at.getTime());
          const off = s.at.getTime() - startOf(day);
          expect(isOpenDay(day) && off >= OPENS && off <= CLOSES, `${s.action} ${s.at.toISOString()}`).toBe(true);
          expect(s.actorName).toBeTruthy();
        }
        if (s.actorKind === 'resident') expect(s.actorId).toBe(c.applicantId);
        if (s.action === 'approve') expect(s.actorId).not.toBe(c.steps.find((x) => x.action === 'propose')!.actorId);
      }
    }
  });

  it('has more applications on weekdays and a rising share online', () => {
    const weekday = plan.filter((c) => isOpenDay(dayOf(c.receivedAt.getTime()))).length;
    expect(weekday / plan.length).toBeGreaterThan(0.85);
    const sorted = [...plan].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
    const share = (xs: PlannedCase[]) => xs.filter((c) => c.channel === 'online').length / xs.length;
    const q = Math.floor(sorted.length / 4);
    expect(share(sorted.slice(-q))).toBeGreaterThan(share(sorted.slice(0, q)) + 0.1);
    expect(new Set(plan.map((c) => c.channel))).toEqual(new Set(['online', 'counter', 'paper']));
  });

  it('gives the residents offered on the demo sign-in page past applications, one of them a question waiting, and no other open one about their households', () => {
    const people = input().people;
    const preferred = signInResidents(people);
    const withPreferred = planHistory(input({ preferred }));
    const households = new Set(people.filter((p) => preferred.includes(p.id)).map((p) => p.householdId));
    const inThem = new Set(people.filter((p) => households.has(p.householdId)).map((p) => p.id));
    const openInThem = withPreferred.filter((c) => isOpen(c.state) && c.subjectId && inThem.has(c.subjectId));
    expect(openInThem.map((c) => c.state)).toEqual(['waiting']);
    expect(preferred).toContain(openInThem[0]!.applicantId);
    const question = openInThem[0]!.steps.filter((s) => s.action === 'request-info').at(-1);
    expect(question?.comment).toBeTruthy();
    const past = withPreferred.filter((c) => preferred.includes(c.applicantId));
    expect(new Set(past.map((c) => c.applicantId)).size).toBeGreaterThan(preferred.length / 2);
    for (const s of ['received', 'in-review', 'waiting', 'proposed', 'approved'] as const) expect(withPreferred.some((c) => c.state === s), s).toBe(true);
  });

  it('scales with the town and still leaves work in a tiny one', () => {
    const tiny = planHistory(input({ residents: 300, people: fakeTown(300, 6) }));
    expect(tiny.length).toBeLessThan(plan.length / 5);
    expect(tiny.some((c) => isOpen(c.state))).toBe(true);
    for (const c of tiny) expect(replayed(rejects(c), c.steps)).toBe(c.state);
  });
});

describe('the demo town with its case history, in the database', () => {
  let t: TestServer;
  const RESIDENTS = 1200;

  beforeAll(async () => {
    t = await startTestServer({}, { today: () => TODAY });
    await installDemo(t.db, t.server, { residents: RESIDENTS, seed: 3, today: TODAY });
  });
  afterAll(async () => t?.close());

  it('writes what was planned, every row marked demo', async () => {
    const people = await t.server.registry.demoPeople(50_000);
    const ids = new Map((await t.server.access.staffDirectory()).map((s) => [s.login, s]));
    const staff = (['shinsa', 'kessai', 'kacho'] as const).map((login, i) => ({
      id: ids.get(login)!.id, name: ids.get(login)!.name,
      units: DEPARTMENTS.map((department) => ({ department, position: (['officer', 'chief', 'manager'] as const)[i]! })),
    }));
    const plan = planHistory({
      seed: 3, today: TODAY, residents: people.length, people, procedures: planProcedures(catalog.procedures.values()),
      staff: staffByDepartment(staff), clerkId: ids.get('madoguchi')!.id,
      preferred: signInResidents(people),
    });
    const [counts] = await t.db.query<{ cases: number; apps: number; subs: number; steps: number; demo_cases: number; demo_apps: number; demo_subs: number }>(
      `SELECT (SELECT count(*) FROM cases.cases)::int AS cases, (SELECT count(*) FROM applications.applications)::int AS apps,
              (SELECT count(*) FROM applications.submissions)::int AS subs, (SELECT count(*) FROM cases.steps)::int AS steps,
              (SELECT count(*) FROM cases.cases WHERE demo)::int AS demo_cases, (SELECT count(*) FROM applications.applications WHERE demo)::int AS demo_apps,
              (SELECT count(*) FROM applications.submissions WHERE demo)::int AS demo_subs`,
    );
    expect(counts!.cases).toBeGreaterThan(200);
    expect(counts).toMatchObject({ apps: counts!.cases, subs: counts!.cases, demo_cases: counts!.cases, demo_apps: counts!.cases, demo_subs: counts!.cases });
    // Same seed, same town: the same history.
    expect(counts!.cases).toBe(plan.length);
    const states = await t.db.query<{ state: CaseState; n: number }>('SELECT state, count(*)::int AS n FROM cases.cases GROUP BY state');
    for (const s of ['received', 'in-review', 'waiting', 'proposed', 'approved'] as const) {
      expect(states.find((r) => r.state === s)?.n ?? 0, s).toBeGreaterThan(0);
    }
    const completed = states.find((r) => r.state === 'completed')!.n;
    expect(completed / counts!.cases).toBeGreaterThanOrEqual(0.8);
  });

  it('keeps application status, case state and the timeline consistent', async () => {
    const mismatched = await t.db.query(
      `SELECT c.id FROM cases.cases c JOIN applications.applications a ON a.id = c.application_id
        WHERE a.reference <> c.reference OR a.procedure_code <> c.procedure_code OR a.channel <> c.channel
           OR a.status <> CASE c.state WHEN 'completed' THEN 'closed' WHEN 'withdrawn' THEN 'withdrawn' ELSE 'submitted' END
           OR c.due_date <> (c.received_at AT TIME ZONE 'Asia/Tokyo')::date + c.standard_days + c.paused_days
           OR c.lock_version <> (SELECT count(*) FROM cases.steps s WHERE s.case_id = c.id)
           OR c.state <> (SELECT s.to_state FROM cases.steps s WHERE s.case_id = c.id ORDER BY s.seq DESC LIMIT 1)`,
    );
    expect(mismatched).toEqual([]);
    const steps = await t.db.query<{ case_id: string; procedure_code: string; rejects: boolean; action: string; from_state: CaseState | null; to_state: CaseState }>(
      `SELECT s.case_id, c.procedure_code, (c.decision = 'rejected' OR c.proposal_outcome = 'reject') IS TRUE AS rejects, s.action, s.from_state, s.to_state
         FROM cases.steps s JOIN cases.cases c ON c.id = s.case_id ORDER BY s.case_id, s.seq`,
    );
    const byCase = new Map<string, typeof steps>();
    for (const s of steps) (byCase.get(s.case_id) ?? byCase.set(s.case_id, []).get(s.case_id)!).push(s);
    for (const list of byCase.values()) replayed({ procedureCode: list[0]!.procedure_code, rejects: list[0]!.rejects }, list.map((s) => ({ action: s.action, from: s.from_state, to: s.to_state })));
    const dupes = await t.db.query(
      `SELECT procedure_code, subject_person_id FROM applications.applications WHERE status = 'submitted' AND subject_person_id IS NOT NULL
        GROUP BY 1, 2 HAVING count(*) > 1`,
    );
    expect(dupes).toEqual([]);
  });

  it('numbers history from the shared sequence, so a live application gets a fresh reference and a case', async () => {
    const refs = await t.db.query<{ reference: string }>('SELECT reference FROM applications.applications ORDER BY submitted_at');
    for (const r of refs) expect(r.reference).toMatch(/^\d{4}-\d{6,}-01$/);
    const numbers = refs.map((r) => Number(r.reference.split('-')[1]));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    const town = await caseTown(t);
    const live = await town.apply();
    expect(Number(live.reference.split('-')[1])).toBeGreaterThan(Math.max(...numbers));
  });

  /** A demo login's session for case work: cookie, CSRF token and the purpose application-review. */
  async function demoStaff(login: string): Promise<Record<string, string>> {
    const form = await t.inject({ method: 'GET', url: '/staff/sign-in' });
    let cookie = cookieHeader(form.headers['set-cookie']);
    const signIn = await t.inject({
      method: 'POST', url: '/staff/sign-in', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ login, password: DEMO_PASSWORD, _csrf: csrfFrom(form.body) }).toString(),
    });
    expect(signIn.statusCode).toBe(303);
    cookie = cookieHeader(signIn.headers['set-cookie'], cookie);
    const page = await t.inject({ method: 'GET', url: '/staff/purpose', headers: { cookie } });
    const chosen = await t.inject({
      method: 'POST', url: '/staff/purpose', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ purpose: 'application-review', _csrf: csrfFrom(page.body) }).toString(),
    });
    expect(chosen.statusCode).toBe(303);
    cookie = cookieHeader(chosen.headers['set-cookie'], cookie);
    const again = await t.inject({ method: 'GET', url: '/staff/purpose', headers: { cookie } });
    return { cookie, 'x-csrf-token': csrfFrom(again.body), 'x-purpose': 'application-review' };
  }

  it('hands the demo staff a working inbox: a seeded proposal is approved along its route and the notice issued', async () => {
    const [shinsa, kessai, kacho] = [await demoStaff('shinsa'), await demoStaff('kessai'), await demoStaff('kacho')];
    const inbox = await t.inject({ method: 'GET', url: '/api/v1/cases?state=open&limit=200', headers: shinsa });
    expect(inbox.statusCode, inbox.body).toBe(200);
    const items = (inbox.json() as { items: CaseView[]; total: number }).items;
    expect(new Set(items.map((c) => c.state))).toEqual(new Set(['received', 'in-review', 'waiting', 'proposed', 'approved']));
    const queue = await t.inject({ method: 'GET', url: '/api/v1/cases?state=proposed', headers: kacho });
    expect((queue.json() as { total: number }).total).toBeGreaterThan(0);

    const [row] = await t.db.query<{ id: string }>(
      `SELECT id FROM cases.cases WHERE state = 'proposed' AND proposal_outcome = 'approve' AND approved_levels = 0 AND subject_person_id IS NOT NULL
        ORDER BY cardinality(route) DESC, reference LIMIT 1`,
    );
    const act = async (headers: Record<string, string>, body: object) => {
      const seen = await t.inject({ method: 'GET', url: `/api/v1/cases/${row!.id}`, headers });
      expect(seen.statusCode, seen.body).toBe(200);
      const res = await t.inject({ method: 'POST', url: `/api/v1/cases/${row!.id}/actions`, headers: { ...headers, 'if-match': String(seen.headers.etag) }, payload: body });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as CaseView;
    };
    let c = await act(kessai, { action: 'approve' });
    if (c.state === 'proposed') c = await act(kacho, { action: 'approve', comment: '承認します。' });
    expect(c.state).toBe('approved');
    c = await act(shinsa, { action: 'issue-notice' });
    expect(c.state).toBe('completed');
    const [app] = await t.db.query<{ status: string }>('SELECT a.status FROM applications.applications a JOIN cases.cases c ON c.application_id = a.id WHERE c.id = $1', [row!.id]);
    expect(app!.status).toBe('closed');
  });

  it('gives the demo 課長 and the positions of the demo staff', async () => {
    expect(DEMO_STAFF.map((s) => s.login)).toContain('kacho');
    const units = await t.db.query<{ login: string; position: string; n: number }>(
      `SELECT st.login, u.position, count(*)::int AS n FROM cases.staff_units u JOIN access.staff st ON st.id = u.staff_id
        WHERE st.login = ANY($1::text[]) GROUP BY 1, 2 ORDER BY 1`,
      [DEMO_STAFF.map((s) => s.login)],
    );
    expect(units).toEqual([
      { login: 'kacho', position: 'manager', n: 5 },
      { login: 'kessai', position: 'chief', n: 5 },
      { login: 'shinsa', position: 'officer', n: 5 },
    ]);
  });
});
