/** What this installation is: a demo town or a real municipality. Demo data never mixes with real. */
import type { Queryable } from './db/db.js';

export interface Installation {
  mode: 'demo' | 'production';
  townName: string;
  lgCode: string;
}

export async function getInstallation(db: Queryable): Promise<Installation | undefined> {
  const rows = await db.query<{ mode: 'demo' | 'production'; town_name: string; lg_code: string }>(
    'SELECT mode, town_name, lg_code FROM platform.installation',
  );
  const r = rows[0];
  return r ? { mode: r.mode, townName: r.town_name, lgCode: r.lg_code } : undefined;
}

export async function setInstallation(db: Queryable, i: Installation): Promise<void> {
  await db.query(
    `INSERT INTO platform.installation (mode, town_name, lg_code) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET mode = EXCLUDED.mode, town_name = EXCLUDED.town_name, lg_code = EXCLUDED.lg_code`,
    [i.mode, i.townName, i.lgCode],
  );
}

/**
 * 全国地方公共団体コード: five digits and a check digit,
 * (11 − Σ dᵢ·(6,5,4,3,2) mod 11) mod 10.
 */
export function isValidLgCode(code: string): boolean {
  if (!/^[0-9]{6}$/.test(code)) return false;
  const weights = [6, 5, 4, 3, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(code[i]), 0);
  return (11 - (sum % 11)) % 10 === Number(code[5]);
}
