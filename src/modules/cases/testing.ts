/**
 * A town hall to test case processing in: a family in the register, a department's officer,
 * 係長 and 課長 with their sessions, and a helper that submits an application online and
 * returns the case it opened.
 */
import type { TestServer } from '../../testing/server.js';
import { moveInFamily, person } from '../registry/testing.js';
import { isVisible, sampleData, SAMPLE_FILES } from '../applications/testing.js';
import type { Procedure } from '../applications/index.js';
import type { Position } from './states.js';
import type { CasesRuntime } from './runtime.js';
import type { CaseActor } from './service.js';

export interface StaffSession {
  id: string;
  login: string;
  /** cookie + x-csrf-token + x-purpose: application-review */
  headers: Record<string, string>;
}

export interface CaseTown {
  family: string[];
  resident: { cookie: string; csrf: string; headers: Record<string, string> };
  officer: StaffSession;
  chief: StaffSession;
  manager: StaffSession;
  /** Submits an application online as the resident; returns the ids of the application and its case. */
  apply(procedure?: string, subjectId?: string, lang?: 'ja' | 'ja-easy' | 'en'): Promise<{ applicationId: string; caseId: string; reference: string }>;
  staff(login: string, roles: string[], units: { department: string; position: Position }[]): Promise<StaffSession>;
}

let seq = 0;

/** The departments of the shipped procedures. */
export const DEPARTMENTS = ['jumin', 'kodomo', 'kaigo', 'kenko-fukushi', 'bosai'];

/** A family and the staff of `departments` (all by default): an officer, a 係長 and a 課長 in each. */
export async function caseTown(t: TestServer, departments: readonly string[] = DEPARTMENTS): Promise<CaseTown> {
  const core = await t.tokenFor({ id: 'core-jukiki', purposes: ['registry-maintenance'] });
  const moved = await t.inject({
    method: 'POST',
    url: '/api/v1/registry/changes',
    headers: { authorization: `Bearer ${core}`, 'x-purpose': 'registry-maintenance' },
    payload: moveInFamily({
      persons: [
        person(),
        person({ givenName: '花子', givenNameKana: 'ハナコ', sex: 2, birthDate: '1985-08-15', relationToHead: '妻' }),
        person({ givenName: '翔太', givenNameKana: 'ショウタ', birthDate: '2018-03-03', relationToHead: '子' }),
      ],
    }),
  });
  if (moved.statusCode !== 201) throw new Error(`move-in failed: ${moved.statusCode}`);
  const family = (moved.json() as { personIds: string[] }).personIds;
  const resident = await t.residentSession(family[0]!);

  async function staff(login: string, roles: string[], units: { department: string; position: Position }[]): Promise<StaffSession> {
    const cookie = await t.staffCookie({ login, roles, purpose: 'application-review' });
    const id = (await t.server.access.findStaffId(login))!;
    await t.server.cases.setPositions(t.db, id, units);
    const page = await t.inject({ method: 'GET', url: '/staff/purpose', headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    return { id, login, headers: { cookie, 'x-csrf-token': csrf, 'x-purpose': 'application-review' } };
  }

  const n = (seq += 1);
  const all = (position: Position) => departments.map((department) => ({ department, position }));
  const officer = await staff(`tanto-${n}`, ['case-officer'], all('officer'));
  const chief = await staff(`kakari-${n}`, ['approver'], all('chief'));
  const manager = await staff(`kacho-${n}`, ['approver'], all('manager'));

  async function apply(procedure = 'child-medical-subsidy', subjectId = family[2]!, lang?: 'ja' | 'ja-easy' | 'en') {
    const pre = await t.inject({ method: 'GET', url: `/api/v1/procedures/${procedure}/prefill?subjectId=${subjectId}`, headers: resident.headers });
    if (pre.statusCode !== 200) throw new Error(`prefill failed: ${pre.statusCode} ${pre.body.slice(0, 200)}`);
    const def = (await t.inject({ method: 'GET', url: `/api/v1/procedures/${procedure}` })).json() as { definition: Procedure };
    const data = sampleData(def.definition, (pre.json() as { data: Record<string, unknown> }).data);
    // Where the town tells the resident about their case.
    if (data.contact && typeof data.contact === 'object') (data.contact as Record<string, unknown>).email = 'resident@example.jp';
    // The required attachments the form shows, as small files of a type each slot takes.
    const attachments = def.definition.attachments
      .filter((a) => a.required && isVisible(a.visibleWhen, data, data))
      .map((a) => {
        const type = a.types.includes('application/pdf') ? 'application/pdf' : a.types.includes('image/png') ? 'image/png' : 'image/jpeg';
        return { slot: a.id, filename: type === 'application/pdf' ? 'a.pdf' : 'a.png', content: SAMPLE_FILES[type as keyof typeof SAMPLE_FILES].toString('base64') };
      });
    const res = await t.inject({
      method: 'POST',
      url: `/api/v1/applications${lang ? `?lang=${lang}` : ''}`,
      headers: { ...resident.headers, 'idempotency-key': `case-town-${n}-${procedure}-${subjectId}-${Date.now()}` },
      payload: { procedure, subjectId, data, ...(attachments.length ? { attachments } : {}) },
    });
    if (res.statusCode !== 201) throw new Error(`submit failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
    const app = (res.json() as { applications: { id: string; reference: string }[] }).applications[0]!;
    const [row] = await t.db.query<{ id: string }>('SELECT id FROM cases.cases WHERE application_id = $1', [app.id]);
    if (!row) throw new Error('no case was opened for the application');
    return { applicationId: app.id, caseId: row.id, reference: app.reference };
  }

  return { family, resident, officer, chief, manager, apply, staff };
}

/** The services' runtime over a test server, for calling them directly (clock and town name as given). */
export function testRuntime(t: TestServer, o: { today: () => string; now: () => Date; townName: () => string }): CasesRuntime {
  return {
    db: t.db, config: t.config, access: t.server.access, registry: t.server.registry, applications: t.server.applications,
    today: o.today, now: o.now, demo: () => false, townName: o.townName, log: { warn: () => {}, error: () => {} }, dashboardSections: [],
  };
}

/** A staff session as the services' actor, with purpose application-review (as the pages and API make it). */
export function staffActor(s: StaffSession, roles: string[], name = `職員 ${s.login}`): CaseActor {
  const principal = {
    kind: 'staff' as const, id: s.id, name, login: s.login, department: '住民課', roles, purposes: ['application-review'],
    fields: [], fieldsByPurpose: {}, taskPurpose: 'application-review',
  };
  return { kind: 'staff', id: s.id, name, ctx: { principal, purpose: 'application-review', requestId: 'test', sourceIp: '127.0.0.1' } };
}
