/**
 * The demo town's counter visits: one for each application its case history took at the
 * counter, ended, with a plausible duration, so the dashboard has visits on first start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/server.js';
import { installDemo } from '../../demo.js';
import { visitMetrics } from './metrics.js';

const TODAY = '2026-11-22';

describe('the demo town’s counter visits', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({}, { today: () => TODAY });
    await installDemo(t.db, t.server, { residents: 600, seed: 5, today: TODAY });
  }, 120_000);
  afterAll(async () => t?.close());

  it('has a visit for every application taken at the counter, with its reference, duration and fee', async () => {
    const [apps] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM applications.applications WHERE channel = 'counter' AND status <> 'draft' AND demo`);
    const visits = await t.db.query<{ reference: string; state: string; demo: boolean; minutes: number; applications: number }>(
      `SELECT v.reference, v.state, v.demo, extract(epoch FROM v.ended_at - v.started_at) / 60 AS minutes,
              (SELECT count(*)::int FROM counter.visit_applications a JOIN applications.applications x ON x.id = a.application_id AND x.reference = a.reference WHERE a.visit_id = v.id) AS applications
         FROM counter.visits v`,
    );
    expect(apps!.n).toBeGreaterThan(10);
    expect(visits.length).toBe(apps!.n);
    expect(new Set(visits.map((v) => v.reference)).size).toBe(visits.length);
    for (const v of visits) {
      expect(v).toMatchObject({ state: 'ended', demo: true, applications: 1 });
      expect(v.minutes).toBeGreaterThanOrEqual(5);
      expect(v.minutes).toBeLessThanOrEqual(25);
    }
    const fees = await t.db.query<{ code: string; amount: number }>(`SELECT code, amount FROM counter.visit_fees`);
    expect(fees.every((f) => f.code === 'residence-certificate-request' && f.amount === 300)).toBe(true);
    const f = await visitMetrics(t.db, { from: '2025-11-23', to: TODAY });
    expect(f.ended).toBe(visits.length);
    expect(f.formsNotHandwritten).toBe(apps!.n);
    expect(f.medianSeconds! / 60).toBeGreaterThan(5);
    expect(f.medianSeconds! / 60).toBeLessThan(25);
  });
});
