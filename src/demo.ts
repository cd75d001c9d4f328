/**
 * The demo town みどり町: fictional residents, staff accounts for each role and two spoke
 * clients, all marked demo. Installed only into an empty database, never beside real data.
 */
import type { Db } from './platform/db/db.js';
import { getInstallation, setInstallation } from './platform/installation.js';
import { setSiteInfo } from './platform/views/render.js';
import { DEMO_TOWN, todayInJapan } from './modules/registry/index.js';
import { seedCaseHistory, type Position } from './modules/cases/index.js';
import type { Server } from './server.js';

export const DEMO_PASSWORD = 'yakuba-demo';

export const DEMO_STAFF = [
  { login: 'madoguchi', displayName: '窓口 花子', department: '住民課', roles: ['counter-clerk'] },
  { login: 'shinsa', displayName: '審査 一郎', department: '福祉課', roles: ['case-officer'] },
  { login: 'kessai', displayName: '決裁 和子', department: '福祉課', roles: ['approver'] },
  { login: 'kacho', displayName: '課長 正子', department: '福祉課', roles: ['approver'] },
  { login: 'kansa', displayName: '監査 次郎', department: '総務課', roles: ['auditor'] },
  { login: 'kanri', displayName: '管理 三郎', department: '情報政策課', roles: ['administrator'] },
  { login: 'shisetsu', displayName: '施設 予約子', department: '生涯学習課', roles: ['facility-manager'] },
  { login: 'kaikei', displayName: '会計 花子', department: '会計課', roles: ['accountant'] },
] as const;

/** The departments (procedure department codes) whose cases the demo staff work. */
export const DEMO_DEPARTMENTS = ['jumin', 'kodomo', 'kaigo', 'kenko-fukushi', 'bosai'] as const;

/** Where each demo login works on cases: 担当 (officer), 係長 (chief), 課長 (manager) in every department. */
export const DEMO_POSITIONS: Partial<Record<(typeof DEMO_STAFF)[number]['login'], Position>> = {
  shinsa: 'officer',
  kessai: 'chief',
  kacho: 'manager',
};

export const DEMO_CLIENTS = [
  { id: 'demo-spoke', name: 'デモ連携システム', secret: 'demo-spoke-secret', purposes: ['application-review', 'registry-maintenance'], fields: [] as string[] },
  { id: 'demo-auditor', name: 'デモ監査システム', secret: 'demo-auditor-secret', purposes: ['audit'], fields: [] as string[] },
];

export class DemoRefused extends Error {
  override name = 'DemoRefused';
}

export async function installDemo(
  db: Db,
  server: Pick<Server, 'access' | 'registry' | 'applications' | 'cases' | 'counter' | 'reservations'>,
  opts: { residents: number; seed: number; today?: string; onProgress?: (done: number) => void },
): Promise<{ residents: number; households: number; cases: number; openCases: number }> {
  const existing = await getInstallation(db);
  if (existing?.mode === 'production') throw new DemoRefused('this database holds a real municipality: demo data is never added to it');
  if (existing?.mode === 'demo') throw new DemoRefused('the demo town is already installed');
  if (await server.registry.hasPersons()) throw new DemoRefused('the registry already holds persons: demo data is installed only into an empty database');

  const today = opts.today ?? todayInJapan();
  const counts = await server.registry.seedDemoTown({
    residents: opts.residents,
    seed: opts.seed,
    today,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const unitsOf = (login: string) => {
    const position = DEMO_POSITIONS[login as keyof typeof DEMO_POSITIONS];
    return position ? DEMO_DEPARTMENTS.map((department) => ({ department, position })) : [];
  };
  const staff = await db.transaction(async (tx) => {
    const created: { id: string; login: string; name: string; units: { department: string; position: Position }[] }[] = [];
    for (const s of DEMO_STAFF) {
      const id = await server.access.createStaff(tx, { ...s, roles: [...s.roles], password: DEMO_PASSWORD, demo: true });
      const units = unitsOf(s.login);
      if (units.length) await server.cases.setPositions(tx, id, units);
      created.push({ id, login: s.login, name: s.displayName, units });
    }
    for (const c of DEMO_CLIENTS) await server.access.createClient(tx, { ...c, demo: true });
    return created;
  });
  // A year of case history, so the inbox, the approvers' queue and the metrics have something on first start.
  const history = await seedCaseHistory(
    { db, registry: server.registry, applications: server.applications },
    { seed: opts.seed, today, staff: staff.filter((s) => s.units.length), clerkId: staff.find((s) => s.login === 'madoguchi')?.id ?? null },
  );
  // The applications taken at the counter came through visits: the dashboard shows their durations.
  const clerk = staff.find((s) => s.login === 'madoguchi');
  if (clerk) await server.counter.seedVisitHistory(history.atCounter, clerk.id);
  // みどり町's facilities and town bus, with bookings of the coming weeks by adult residents.
  const adultsBorn = `${Number(today.slice(0, 4)) - 20}${today.slice(4)}`;
  const bookers = (await server.registry.demoPeople(400)).filter((p) => p.birthDate <= adultsBorn).map((p) => p.id);
  await server.reservations.seedDemo({ seed: opts.seed, today, people: bookers });
  await db.transaction((tx) => setInstallation(tx, { mode: 'demo', townName: DEMO_TOWN.name, lgCode: DEMO_TOWN.lgCode }));
  setSiteInfo({ demo: true, townName: DEMO_TOWN.name });
  return { ...counts, cases: history.cases, openCases: history.cases - history.byState.completed - history.byState.withdrawn };
}
