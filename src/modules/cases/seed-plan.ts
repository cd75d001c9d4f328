/**
 * The plan of a year of demo case history for a fictional town: how many applications of
 * each procedure arrive on which day (weekday-heavy, fewer in August and over the New Year,
 * a burst after the fictional disaster, online share rising over the year), who applies, and
 * each case's timeline — cut at the start of `today`, so recent cases are still open. A
 * backlog is kept open in every state, so the inbox and the approvers' queues have work on
 * first start. Pure: the same input gives the same plan.
 */
import { DEFAULT_ROUTE, isOpen, type ApproverPosition, type CaseState } from './states.js';
import { DAY, Random, counterMoment, dateOf, dayOf, dayOfDate, isOpenDay, monthOf, residentMoment, startOf, MINUTE } from './seed-calendar.js';
import { People, type SeedPerson, type Who } from './seed-people.js';
import { askStep, replay, timeline, type CaseRowPlan, type DepartmentStaff, type PlannedStep } from './seed-timeline.js';

export interface PlanProcedure {
  code: string;
  department: string;
  standardDays: number;
  route: readonly ApproverPosition[] | undefined;
  subjectStatus: 'resident' | 'deceased' | undefined;
  /** Youngest and oldest subject age the procedure's rules allow, if they say. */
  ages: { atLeast?: number | undefined; under?: number | undefined };
  category: string;
  /** Top-level choice fields: a plausible payload picks one value of each. */
  choices: readonly { id: string; values: readonly string[] }[];
}

export interface PlanInput {
  seed: number;
  /** YYYY-MM-DD in Japan: the history covers the 365 days before it. */
  today: string;
  /** How many residents the volumes are scaled to (5,000 is the reference town). */
  residents: number;
  people: readonly SeedPerson[];
  procedures: readonly PlanProcedure[];
  /** Staff per department code. */
  staff: ReadonlyMap<string, DepartmentStaff>;
  /** The counter clerk who keys in counter and paper applications. */
  clerkId: string | null;
  /**
   * Residents offered on the demo sign-in page: they get some of the past (closed)
   * applications, so their pages show history; nobody of their households is the subject of
   * an open one, so whatever someone tries with them is not refused as a duplicate.
   */
  preferred?: readonly string[];
}

export interface PlannedCase extends CaseRowPlan {
  caseId: string;
  applicationId: string;
  submissionId: string;
  procedureCode: string;
  department: string;
  channel: 'online' | 'counter' | 'paper';
  receivedAt: Date;
  createdAt: Date;
  standardDays: number;
  applicantId: string;
  subjectId: string | null;
  actingAs: 'self' | 'household';
  applicantRelation: string;
  subjectRelation: string | null;
  keyedBy: string | null;
  data: Record<string, unknown>;
  steps: PlannedStep[];
}

interface Profile {
  /** Applications a year in a town of 5,000. */
  perYear: number;
  who: Who;
  /** Working days to a decision: triangular lo, mode, hi (calendar days, before pauses). */
  days: [number, number, number];
  /** At the counter, when it is usually done while the resident waits. */
  counterDays?: [number, number, number];
  /** Chance of asking the resident for more information. */
  info: number;
  season?: Partial<Record<number, number>>;
  /** After the fictional disaster: how many more, and how soon. */
  burst?: { size: number; delay: number; decay: number; slower: number };
  onlineBoost?: number;
}

const WINTER = { 1: 1.4, 2: 1.3, 12: 1.2 };

/** Volumes and speeds of みどり町's procedures; other procedures get a default from their definition. */
const PROFILES: Record<string, Profile> = {
  'residence-certificate-request': { perYear: 520, who: 'adult', days: [0.2, 0.8, 3], counterDays: [0.005, 0.015, 0.2], info: 0.03, season: { 3: 1.5, 4: 1.4 } },
  'move-in-visit-notice': { perYear: 45, who: 'adult', days: [0.02, 0.5, 3], info: 0.05, season: { 3: 2.2, 4: 1.8 }, onlineBoost: 0.25 },
  'child-allowance-claim': { perYear: 30, who: 'parent', days: [4, 12, 34], info: 0.2, season: { 3: 1.5, 4: 1.8 } },
  'child-medical-subsidy': { perYear: 35, who: 'child', days: [2, 6, 18], info: 0.12, season: { 4: 1.6 } },
  'childcare-facility-application': { perYear: 24, who: 'preschool', days: [12, 26, 50], info: 0.25, season: { 10: 3, 11: 3, 12: 1.5, 1: 1.5 } },
  'pregnancy-notification': { perYear: 30, who: 'woman', days: [0.5, 2, 7], counterDays: [0.01, 0.03, 0.3], info: 0.04 },
  'newborn-visit-notice': { perYear: 25, who: 'infant', days: [1, 4, 10], info: 0.04 },
  // 要介護認定: the law says 30 days; the national median is ~36 and few towns meet 30 on average.
  'long-term-care-certification': { perYear: 150, who: 'elder', days: [20, 32, 55], info: 0.15 },
  'care-burden-certificate-reissue': { perYear: 25, who: 'elder', days: [0.5, 2.5, 9], counterDays: [0.01, 0.03, 1], info: 0.04, season: { 8: 2.5 } },
  'care-insurance-loss': { perYear: 70, who: 'deceased', days: [3, 8, 20], info: 0.08, season: WINTER },
  'funeral-expenses': { perYear: 40, who: 'deceased', days: [5, 14, 35], info: 0.15, season: WINTER },
  'disaster-certificate': { perYear: 8, who: 'head', days: [4, 14, 35], info: 0.2, burst: { size: 110, delay: 1, decay: 12, slower: 2.2 } },
  'disaster-relief-grant': { perYear: 1, who: 'head', days: [25, 50, 90], info: 0.3, burst: { size: 25, delay: 10, decay: 30, slower: 1.2 } },
};

function profileOf(p: PlanProcedure): Profile {
  const known = PROFILES[p.code];
  if (known) return known;
  const std = Math.max(1, p.standardDays);
  const who: Who =
    p.subjectStatus === 'deceased' ? 'deceased'
    : p.ages.under !== undefined && p.ages.under <= 1 ? 'infant'
    : p.ages.under !== undefined && p.ages.under <= 6 ? 'preschool'
    : p.ages.under !== undefined && p.ages.under <= 18 ? 'child'
    : (p.ages.atLeast ?? 0) >= 40 ? 'elder'
    : 'adult';
  return { perYear: 20, who, days: [0.1 * std, 0.5 * std, 1.2 * std], info: 0.1 };
}

const MONTH = { 8: 0.8, 12: 0.95, 1: 0.9 } as Partial<Record<number, number>>;

/** The weight of each day of the year for a procedure's arrivals. */
function dayWeights(first: number, days: number, prof: Profile, disaster: number): { background: number[]; burst: number[] } {
  const background: number[] = [];
  const burst: number[] = [];
  for (let i = 0; i < days; i++) {
    const d = first + i;
    const m = monthOf(d);
    background.push((isOpenDay(d) ? 1 : 0.2) * (MONTH[m] ?? 1) * (prof.season?.[m] ?? 1));
    const since = d - disaster - (prof.burst?.delay ?? 0);
    burst.push(prof.burst && since >= 0 ? Math.exp(-since / prof.burst.decay) * (isOpenDay(d) ? 1 : 0.5) : 0);
  }
  return { background, burst };
}

const cumulative = (xs: readonly number[]): number[] => {
  let sum = 0;
  return xs.map((x) => (sum += x));
};

interface Draft {
  p: PlanProcedure;
  prof: Profile;
  route: readonly ApproverPosition[];
  receivedAt: number;
  channel: PlannedCase['channel'];
  steps: PlannedStep[];
}

/** Minimum open backlog per state, for a town of 5,000 (at least 1–2 in any town). */
const BACKLOG: [CaseState, number][] = [['approved', 3], ['proposed', 6], ['waiting', 4], ['in-review', 8], ['received', 5]];

export function planHistory(input: PlanInput): PlannedCase[] {
  const rng = new Random(input.seed);
  const end = startOf(dayOfDate(input.today));
  const last = dayOf(end) - 1;
  const first = last - 364;
  const scale = Math.max(0, input.residents) / 5000;
  const disaster = last - rng.int(110, 170);
  const people = new People(input.people, input.today);
  const drafts: Draft[] = [];

  for (const p of [...input.procedures].sort((a, b) => a.code.localeCompare(b.code))) {
    const prof = profileOf(p);
    const staff = input.staff.get(p.department);
    const route = p.route ?? DEFAULT_ROUTE;
    if (!staff || staff.officer.length === 0 || route.some((pos) => staff[pos].length === 0) || people.size(prof.who) === 0) continue;
    const w = dayWeights(first, 365, prof, disaster);
    const cumBackground = cumulative(w.background);
    const cumBurst = cumulative(w.burst);
    const n = rng.round(prof.perYear * scale);
    const m = prof.burst ? rng.round(prof.burst.size * scale) : 0;
    for (let i = 0; i < n + m; i++) {
      const inBurst = i >= n;
      const day = first + rng.weighted(inBurst ? cumBurst : cumBackground);
      const progress = (day - first) / 364;
      const open = isOpenDay(day);
      const online = !open || rng.chance(Math.min(0.95, 0.15 + 0.25 * progress + (prof.onlineBoost ?? 0)));
      const channel = online ? 'online' : rng.chance(0.7) ? 'counter' : 'paper';
      const receivedAt = online ? residentMoment(day, rng) : counterMoment(day, rng);
      const slower = prof.burst && day - disaster < 30 && day >= disaster ? prof.burst.slower : 1;
      // Slightly faster as the year goes on: more arrives online, complete and typed.
      const days = rng.tri(...(channel === 'counter' && prof.counterDays ? prof.counterDays : prof.days)) * slower * (1.06 - 0.12 * progress);
      const steps = timeline({ receivedAt, days, route, staff, online, infoChance: prof.info, grant: p.category === 'disaster' || p.code === 'funeral-expenses' }, rng);
      drafts.push({ p, prof, route, receivedAt, channel, steps });
    }
  }
  drafts.sort((a, b) => a.receivedAt - b.receivedAt || a.p.code.localeCompare(b.p.code));

  // What has happened by the start of today; the rest has not happened yet.
  for (const d of drafts) d.steps = d.steps.filter((s) => s.at.getTime() < end);
  const stateOf = (d: Draft) => d.steps[d.steps.length - 1]!.to;

  // Who applied: open applications of one procedure have different subjects.
  const openSubjects = new Map<string, Set<string>>();
  const taken = (code: string) => openSubjects.get(code) ?? openSubjects.set(code, new Set()).get(code)!;
  const byId = new Map(input.people.map((p) => [p.id, p]));
  const preferred = (input.preferred ?? []).map((id) => byId.get(id)).filter((p): p is SeedPerson => !!p);
  const reserved = people.householdsOf(input.preferred ?? [], byId);
  const blocked = (code: string) => ({ has: (id: string) => reserved.has(id) || taken(code).has(id) });
  /** The preferred residents from a random one on, so no one of them gets every open case. */
  const rotated = () => {
    const k = rng.int(0, Math.max(0, preferred.length - 1));
    return [...preferred.slice(k), ...preferred.slice(0, k)];
  };
  const planned: { d: Draft; c: Omit<PlannedCase, keyof CaseRowPlan> }[] = [];
  for (const d of drafts) {
    const open = isOpen(stateOf(d));
    const date = dateOf(dayOf(d.receivedAt));
    const parties = open
      ? people.pick(d.prof.who, date, rng, blocked(d.p.code))
      : people.pick(d.prof.who, date, rng, new Set<string>(), preferred.length && rng.chance(0.05) ? rotated() : []);
    if (!parties) continue;
    if (open && parties.subject) taken(d.p.code).add(parties.subject.id);
    for (const s of d.steps) if (s.actorKind === 'resident') s.actorId = parties.applicant.id;
    const keyedBy = d.channel === 'online' ? null : input.clerkId;
    planned.push({
      d,
      c: {
        caseId: rng.uuid(), applicationId: rng.uuid(), submissionId: rng.uuid(), procedureCode: d.p.code, department: d.p.department, channel: d.channel,
        receivedAt: new Date(d.receivedAt), createdAt: new Date(d.receivedAt - rng.int(3, d.channel === 'online' ? 40 : 12) * MINUTE),
        standardDays: d.p.standardDays, applicantId: parties.applicant.id, subjectId: parties.subject?.id ?? null, actingAs: parties.actingAs,
        applicantRelation: parties.applicant.relationToHead, subjectRelation: parties.subject?.relationToHead ?? null, keyedBy,
        data: Object.fromEntries(d.p.choices.map((f) => [f.id, rng.pick(f.values)])), steps: d.steps,
      },
    });
  }

  keepBacklog(planned, end, scale, blocked, (code, id) => taken(code).add(id), rng);

  // A resident offered on the demo sign-in page has a question from the town waiting for
  // them, so a visitor sees the resident's side of a case on first start.
  const waiting = planned.filter((x) => stateOf(x.d) === 'waiting');
  hosting: for (const host of preferred) {
    for (const x of waiting) {
      const parties = people.partiesFor(x.d.prof.who, host, dateOf(dayOf(x.d.receivedAt)), rng);
      // About someone in the resident's household (not a deceased person's estate), and not already open for them.
      if (!parties?.subject || parties.applicant.id !== host.id || taken(x.d.p.code).has(parties.subject.id)) continue;
      if (x.c.subjectId) taken(x.d.p.code).delete(x.c.subjectId);
      taken(x.d.p.code).add(parties.subject.id);
      Object.assign(x.c, {
        applicantId: parties.applicant.id, subjectId: parties.subject.id, actingAs: parties.actingAs,
        applicantRelation: parties.applicant.relationToHead, subjectRelation: parties.subject.relationToHead,
      });
      for (const s of x.d.steps) if (s.actorKind === 'resident') s.actorId = host.id;
      break hosting;
    }
  }

  return planned.map(({ d, c }) => {
    c.steps = d.steps;
    return { ...c, ...replay(d.steps, { receivedDate: dateOf(dayOf(d.receivedAt)), standardDays: d.p.standardDays, route: d.route }) };
  });
}

/** The last step before the end that led into `state`, or -1. */
function lastInto(steps: readonly PlannedStep[], state: CaseState): number {
  for (let i = steps.length - 2; i >= 0; i--) if (steps[i]!.to === state) return i;
  return -1;
}

/**
 * Leaves recent cases open where the backlog of a state would otherwise be thin: the notice
 * not yet issued, the proposal still with the approver, the resident not yet answered, the
 * review not finished, the application not yet opened.
 */
function keepBacklog(
  planned: { d: Draft; c: { subjectId: string | null } }[],
  end: number,
  scale: number,
  blocked: (code: string) => { has(id: string): boolean },
  take: (code: string, id: string) => void,
  rng: Random,
): void {
  const last = (x: { d: Draft }) => x.d.steps[x.d.steps.length - 1]!;
  /** Cuts a completed case after step `cut` (and adds `then`), unless its subject has an open application of the procedure already. */
  const leaveOpen = (x: { d: Draft; c: { subjectId: string | null } }, cut: number, then: PlannedStep[] = []): boolean => {
    if (last(x).to !== 'completed' || (x.c.subjectId && blocked(x.d.p.code).has(x.c.subjectId))) return false;
    x.d.steps = [...x.d.steps.slice(0, cut + 1), ...then];
    if (x.c.subjectId) take(x.d.p.code, x.c.subjectId);
    return true;
  };
  for (const [state, per5000] of BACKLOG) {
    const want = Math.max(state === 'approved' || state === 'waiting' ? 1 : 2, Math.round(per5000 * Math.min(scale, 10)));
    let have = planned.filter((x) => last(x).to === state).length;
    // Recent work first; a resident who has not answered for weeks is common. A tiny town looks further back.
    for (const days of state === 'waiting' ? [45, 90, 180] : [21, 60, 180]) {
      if (have >= want) break;
      const candidates = planned
        .map((x) => ({ x, cut: lastInto(x.d.steps, state) }))
        .filter(({ x, cut }) => cut >= 0 && last(x).to === 'completed' && x.d.steps[cut]!.at.getTime() >= end - days * DAY)
        .sort((a, b) => b.x.d.steps[b.cut]!.at.getTime() - a.x.d.steps[a.cut]!.at.getTime());
      for (const { x, cut } of candidates) if (have < want && leaveOpen(x, cut)) have++;
      if (state !== 'waiting') continue;
      // Nobody was asked anything lately: the officer asks instead of proposing, and no answer has come yet.
      const asked = planned
        .map((x) => ({ x, cut: x.d.steps.findIndex((s) => s.action === 'propose') - 1 }))
        .filter(({ x, cut }) => cut >= 1 && last(x).to === 'completed' && x.d.steps[cut]!.to === 'in-review' && x.d.steps[cut + 1]!.at.getTime() >= end - days * DAY)
        .sort((a, b) => b.x.d.steps[b.cut + 1]!.at.getTime() - a.x.d.steps[a.cut + 1]!.at.getTime());
      for (const { x, cut } of asked) {
        const proposal = x.d.steps[cut + 1]!;
        if (have < want && leaveOpen(x, cut, [askStep(proposal, proposal.at, rng)])) have++;
      }
    }
  }
}
