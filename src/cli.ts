/**
 * `yakuba <command>`: serve, migrate, seed, audit verify, openapi. The one entry point of
 * `npm start`, `npx yakuba` and the npm scripts.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { openDb, type Db } from './platform/db/db.js';
import { migrate } from './platform/db/migrate.js';
import { verifyChain } from './platform/audit.js';
import { getInstallation } from './platform/installation.js';
import { buildServer } from './server.js';
import { DEMO_CLIENTS, DEMO_PASSWORD, DEMO_STAFF, DemoRefused, installDemo } from './demo.js';
import { addClient, addStaff, AdminError, initInstallation, setStaffPositions } from './admin.js';
import { randomToken } from './platform/crypto.js';
import { assertPaperForms, DefinitionError, loadDefinitions } from './modules/applications/index.js';
import { loadCertificates } from './modules/counter/index.js';

const USAGE = `yakuba — the open digital town hall

usage: yakuba <command> [options]

  serve                     start the server (migrates; seeds the demo town into an empty database)
  migrate                   apply database migrations
  seed [--residents N] [--seed S]
                            install the demo town みどり町 into an empty database
  audit verify              check the audit trail's hash chain; names the first broken link
  openapi                   print the OpenAPI document
  procedures check [DIR]    check the procedure definitions (default: YAKUBA_PROCEDURES_DIR); names file and field

  setting up a real municipality (NODE_ENV=production, YAKUBA_SECRET and DATABASE_URL set):
  init --town NAME --lg-code CODE
                            record the municipality this installation serves
  staff add --login L --name N --department D --roles R[,R…] [--password-stdin]
                            create a staff account (a password is generated unless given on stdin)
  staff positions --login L --units DEPT:POSITION[,…]
                            where a staff member works on cases (positions: officer 担当,
                            chief 係長, manager 課長; departments of the procedures)
  client add --id ID --name N --purposes P[,P…] [--fields myNumber]
                            register a connected system; prints its client secret once

configuration comes from environment variables: see README.md`;

const say = (line = '') => process.stdout.write(`${line}\n`);

async function open(config: Config): Promise<Db> {
  return openDb({ url: config.databaseUrl, dataDir: config.databaseUrl ? undefined : join(config.dataDir, 'pglite') });
}

function printDemoSignIns(config: Config): void {
  say('');
  say('デモ環境のサインイン (demo sign-ins — fictional data):');
  say(`  職員 staff      ${config.publicUrl}/staff/sign-in   password: ${DEMO_PASSWORD}`);
  for (const s of DEMO_STAFF) say(`    ${s.login.padEnd(10)} ${s.roles.join(', ')} (${s.displayName})`);
  say(`  住民 residents  ${config.publicUrl}/auth/demo`);
  say('  spokes (OAuth client credentials at POST /oauth/token):');
  for (const c of DEMO_CLIENTS) say(`    ${c.id} / ${c.secret}   purposes: ${c.purposes.join(', ')}`);
}

async function seedIfEmpty(config: Config, db: Db, server: Awaited<ReturnType<typeof buildServer>>): Promise<void> {
  if (!config.demo || (await getInstallation(db))) return;
  say(`みどり町 (demo town) を作成しています… ${config.demoResidents} residents`);
  const started = Date.now();
  const counts = await installDemo(db, server, { residents: config.demoResidents, seed: 1 });
  say(`  ${counts.residents} residents in ${counts.households} households, ${counts.cases} cases of the past year (${counts.openCases} open) (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function serve(config: Config): Promise<void> {
  const db = await open(config);
  const applied = await migrate(db);
  if (applied.length > 0) say(`migrations applied: ${applied.join(', ')}`);
  let server = await buildServer(config, db);
  if (config.demo && !(await getInstallation(db))) {
    await seedIfEmpty(config, db, server);
    await server.close();
    server = await buildServer(config, db);
  }
  await server.app.listen({ host: config.host, port: config.port });
  server.startWorkers();
  const installation = await getInstallation(db);
  say('');
  say(`yakuba is running: ${config.publicUrl}  (database: ${db.kind === 'pglite' ? `embedded PGlite in ${join(config.dataDir, 'pglite')}` : 'PostgreSQL'})`);
  if (installation?.mode === 'demo') printDemoSignIns(config);
  if (!installation) say('this installation is not set up yet: run `yakuba init --town NAME --lg-code CODE`, then `yakuba staff add …`');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    await server.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function administer(config: Config, db: Db, command: string, rest: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      town: { type: 'string' }, 'lg-code': { type: 'string' }, login: { type: 'string' }, name: { type: 'string' },
      department: { type: 'string' }, roles: { type: 'string' }, 'password-stdin': { type: 'boolean' }, id: { type: 'string' },
      purposes: { type: 'string' }, fields: { type: 'string' }, units: { type: 'string' },
    },
  });
  if (command === 'init') {
    await initInstallation(db, { townName: values.town ?? '', lgCode: values['lg-code'] ?? '' });
    say(`this installation now serves ${values.town} (${values['lg-code']})`);
    return 0;
  }
  const sub = command === 'staff' && positionals[0] === 'positions' ? 'positions' : positionals[0];
  if (sub !== 'add' && sub !== 'positions') throw new AdminError(`usage: yakuba ${command} add …`);
  const server = await buildServer({ ...config, logLevel: 'silent' }, db);
  try {
    if (sub === 'positions') {
      const set = await setStaffPositions(db, server, { login: values.login, units: values.units });
      say(`"${set.login}" now works on cases as ${set.units.map((u) => `${u.position} of ${u.department}`).join(', ')}`);
      return 0;
    }
    if (command === 'staff') {
      const generated = !values['password-stdin'];
      const password = generated ? randomToken(15) : await readStdin();
      const staff = await addStaff(db, server, { login: values.login, name: values.name, department: values.department, roles: values.roles, password });
      say(`staff account "${staff.login}" created with roles ${staff.roles.join(', ')}`);
      if (generated) say(`initial password (shown once): ${password}`);
      return 0;
    }
    const client = await addClient(db, server, { id: values.id, name: values.name, purposes: values.purposes, fields: values.fields });
    say(`client "${client.id}" registered: purposes ${client.purposes.join(', ')}${client.fields.length ? `; fields ${client.fields.join(', ')}` : ''}`);
    say(`client secret (shown once, store it in the connected system): ${client.secret}`);
    return 0;
  } finally {
    await server.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    say(USAGE);
    return command ? 0 : 1;
  }
  const config = loadConfig();
  if (command === 'procedures' && rest[0] === 'check') {
    const dir = rest[1] ? resolve(rest[1]) : config.proceduresDir;
    const catalog = loadDefinitions(dir);
    await assertPaperForms(catalog, dir);
    const certificates = loadCertificates(dir);
    const forms = [...catalog.procedures.values()].filter((p) => p.paperForm.file).length;
    say(`procedure definitions are valid: ${catalog.procedures.size} procedures (${forms} with an official paper form), ${catalog.bundles.size} life events, ${certificates.length} counter certificates`);
    return 0;
  }
  if (command === 'serve') {
    await serve(config);
    return -1;
  }
  const db = await open(config);
  try {
    if (command === 'migrate') {
      const applied = await migrate(db);
      say(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
      return 0;
    }
    if (command === 'seed') {
      const { values } = parseArgs({ args: rest, options: { residents: { type: 'string' }, seed: { type: 'string' } } });
      const residents = values.residents ? Number(values.residents) : config.demoResidents;
      const seed = values.seed ? Number(values.seed) : 1;
      if (!Number.isInteger(residents) || residents < 1 || residents > 2_000_000) throw new ConfigError('--residents must be a whole number from 1 to 2000000');
      if (!Number.isInteger(seed)) throw new ConfigError('--seed must be a whole number');
      if (config.env === 'production') throw new ConfigError('the demo town is never seeded in production');
      await migrate(db);
      const server = await buildServer(config, db);
      const started = Date.now();
      let shown = 0;
      const counts = await installDemo(db, server, {
        residents,
        seed,
        onProgress: (done) => {
          if (done - shown >= 50_000) {
            shown = done;
            say(`  ${done} residents…`);
          }
        },
      });
      await server.close();
      say(`demo town seeded: ${counts.residents} residents in ${counts.households} households, ${counts.cases} cases of the past year (${counts.openCases} open) (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return 0;
    }
    if (command === 'init' || command === 'staff' || command === 'client') {
      await migrate(db);
      return await administer(config, db, command, rest);
    }
    if (command === 'audit' && rest[0] === 'verify') {
      const report = await verifyChain(db);
      if (report.ok) {
        say(`audit trail intact: ${report.checked} entries`);
        return 0;
      }
      say(`audit trail BROKEN at entry ${report.brokenAt}: ${report.reason} (${report.checked} entries verified before it)`);
      return 1;
    }
    if (command === 'openapi') {
      // From an empty in-memory database, so the document never depends on local data.
      const scratch = await openDb({});
      try {
        await migrate(scratch);
        const server = await buildServer({ ...config, logLevel: 'silent', demo: false }, scratch);
        say(JSON.stringify(server.app.swagger(), null, 2));
        await server.close();
      } finally {
        await scratch.close();
      }
      return 0;
    }
    say(USAGE);
    return 1;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof DemoRefused || err instanceof AdminError || err instanceof DefinitionError) {
      process.stderr.write(`yakuba: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`yakuba: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
