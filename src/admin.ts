/**
 * Setting up a real municipality from the command line: the installation record, the
 * first staff accounts and the spokes' client credentials. Each operation checks its input
 * and names what is wrong; none of them prints or logs personal data of residents.
 */
import type { Db } from './platform/db/db.js';
import { randomToken } from './platform/crypto.js';
import { getInstallation, isValidLgCode, setInstallation } from './platform/installation.js';
import { SENSITIVE_FIELDS } from './modules/access/index.js';
import type { Server } from './server.js';

export class AdminError extends Error {
  override name = 'AdminError';
}

const LOGIN = /^[a-z0-9._-]{3,64}$/;
const MIN_PASSWORD = 12;

export async function initInstallation(db: Db, o: { townName: string; lgCode: string }): Promise<void> {
  const townName = o.townName.trim();
  if (!townName || townName.length > 40) throw new AdminError('--town must name the municipality (1–40 characters)');
  if (!isValidLgCode(o.lgCode)) throw new AdminError('--lg-code must be the 6-digit 全国地方公共団体コード with its check digit');
  const existing = await getInstallation(db);
  if (existing) throw new AdminError(`this database is already set up (${existing.mode === 'demo' ? 'the demo town' : existing.townName})`);
  await setInstallation(db, { mode: 'production', townName, lgCode: o.lgCode });
}

function list(raw: string | undefined, what: string): string[] {
  const items = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new AdminError(`--${what} needs at least one value (comma-separated)`);
  return [...new Set(items)];
}

export async function addStaff(
  db: Db,
  server: Pick<Server, 'access'>,
  o: { login?: string | undefined; name?: string | undefined; department?: string | undefined; roles?: string | undefined; password: string },
): Promise<{ login: string; roles: string[] }> {
  const login = (o.login ?? '').trim().toLowerCase();
  if (!LOGIN.test(login)) throw new AdminError('--login must be 3–64 characters of a–z, 0–9, dot, underscore or hyphen');
  const name = (o.name ?? '').trim();
  if (!name || name.length > 60) throw new AdminError('--name must be the staff member\'s name (1–60 characters)');
  const department = (o.department ?? '').trim();
  if (!department || department.length > 60) throw new AdminError('--department must name a department (1–60 characters)');
  const roles = list(o.roles, 'roles');
  const unknown = roles.filter((r) => !server.access.roleCodes().includes(r));
  if (unknown.length > 0) throw new AdminError(`unknown role: ${unknown.join(', ')} (roles: ${server.access.roleCodes().join(', ')})`);
  if (o.password.length < MIN_PASSWORD) throw new AdminError(`the password must be at least ${MIN_PASSWORD} characters`);
  try {
    await server.access.createStaff(db, { login, displayName: name, department, roles, password: o.password, demo: false });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new AdminError(`a staff account with login "${login}" already exists`);
    throw err;
  }
  return { login, roles };
}

export async function addClient(
  db: Db,
  server: Pick<Server, 'access'>,
  o: { id?: string | undefined; name?: string | undefined; purposes?: string | undefined; fields?: string | undefined },
): Promise<{ id: string; secret: string; purposes: string[]; fields: string[] }> {
  const id = (o.id ?? '').trim().toLowerCase();
  if (!LOGIN.test(id)) throw new AdminError('--id must be 3–64 characters of a–z, 0–9, dot, underscore or hyphen');
  const name = (o.name ?? '').trim();
  if (!name || name.length > 80) throw new AdminError('--name must name the connected system (1–80 characters)');
  const purposes = list(o.purposes, 'purposes');
  const unknown = purposes.filter((p) => !server.access.purposeCodes().includes(p) || p === 'self-service');
  if (unknown.length > 0) throw new AdminError(`unknown purpose for a client: ${unknown.join(', ')}`);
  const fields = o.fields ? list(o.fields, 'fields') : [];
  const badFields = fields.filter((f) => !(SENSITIVE_FIELDS as readonly string[]).includes(f));
  if (badFields.length > 0) throw new AdminError(`--fields grants sensitive fields only (${SENSITIVE_FIELDS.join(', ')}); not: ${badFields.join(', ')}`);
  const secret = randomToken(32);
  try {
    await server.access.createClient(db, { id, name, secret, purposes, fields, demo: false });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new AdminError(`a client with id "${id}" already exists`);
    throw err;
  }
  return { id, secret, purposes, fields };
}

const POSITIONS = ['officer', 'chief', 'manager'] as const;

/**
 * Where a staff member works on cases: `--units jumin:officer,kodomo:chief` (department code
 * of the procedures, then 担当 officer / 係長 chief / 課長 manager). Replaces what they had.
 */
export async function setStaffPositions(
  db: Db,
  server: Pick<Server, 'access' | 'cases' | 'applications'>,
  o: { login?: string | undefined; units?: string | undefined },
): Promise<{ login: string; units: { department: string; position: (typeof POSITIONS)[number] }[] }> {
  const login = (o.login ?? '').trim().toLowerCase();
  const id = LOGIN.test(login) ? await server.access.findStaffId(login) : undefined;
  if (!id) throw new AdminError(`no staff account with login "${login}"`);
  const departments = new Set([...server.applications.catalog.procedures.values()].map((p) => p.department.code));
  const units = list(o.units, 'units').map((u) => {
    const [department = '', position = ''] = u.split(':');
    if (!departments.has(department)) throw new AdminError(`unknown department "${department}" (departments of the procedures: ${[...departments].sort().join(', ')})`);
    const p = POSITIONS.find((x) => x === position);
    if (!p) throw new AdminError(`unknown position "${position}" in "${u}" (positions: ${POSITIONS.join(', ')})`);
    return { department, position: p };
  });
  await server.cases.setPositions(db, id, units);
  return { login, units };
}
