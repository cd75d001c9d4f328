/** The `yakuba` command as an administrator uses it: a real process on a fresh data folder. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = new URL('../bin/yakuba.js', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'yakuba-cli-'));
const env = { ...process.env, NODE_ENV: 'production', YAKUBA_SECRET: 's'.repeat(40), YAKUBA_DATA_DIR: dataDir, DATABASE_URL: '', TEST_DATABASE_URL: '' };
const yakuba = (args: string[], input?: string) => spawnSync(process.execPath, [bin, ...args], { env, input, encoding: 'utf8', timeout: 60_000 });

// Each step is a fresh process that opens the embedded database: slow on a busy machine.
describe('the yakuba command', { timeout: 180_000 }, () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('sets up a municipality: init, a staff account from stdin, a client; audit verify', () => {
    const init = yakuba(['init', '--town', '廿日市市', '--lg-code', '342131']);
    expect(init.stdout).toContain('now serves 廿日市市');
    expect(init.status).toBe(0);
    const staff = yakuba(['staff', 'add', '--login', 'tanaka', '--name', '田中 太郎', '--department', '住民課', '--roles', 'counter-clerk', '--password-stdin'], 'a long enough password\n');
    expect(staff.stdout).toContain('staff account "tanaka" created');
    expect(staff.stdout).not.toContain('a long enough password');
    const client = yakuba(['client', 'add', '--id', 'jukiki', '--name', '基幹系住基', '--purposes', 'registry-maintenance']);
    expect(client.stdout).toMatch(/client secret \(shown once, store it in the connected system\): \S{40,}/);
    const verify = yakuba(['audit', 'verify']);
    expect(verify.stdout).toContain('audit trail intact');
    expect(verify.status).toBe(0);
  });

  it('names bad input and exits 2, and refuses the demo town in production', () => {
    const bad = yakuba(['staff', 'add', '--login', 'sato', '--name', '佐藤', '--department', '住民課', '--roles', 'mayor']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown role: mayor');
    const seed = yakuba(['seed', '--residents', '10']);
    expect(seed.status).toBe(2);
    expect(seed.stderr).toContain('never seeded in production');
    const config = spawnSync(process.execPath, [bin, 'migrate'], { env: { ...env, PORT: 'abc' }, encoding: 'utf8' });
    expect(config.status).toBe(2);
    expect(config.stderr).toContain('PORT must be a whole number');
  });
});
