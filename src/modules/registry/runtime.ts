import type { Db } from '../../platform/db/db.js';
import type { Config } from '../../platform/config.js';
import type { Access } from '../access/index.js';
import type { FieldKeys } from './mynumber.js';

/** What the registry's routes and pages share. */
export interface RegistryRuntime {
  db: Db;
  config: Config;
  access: Access;
  keys: { field: FieldKeys; cursor: Buffer };
  /** Today's date (YYYY-MM-DD) in Japan. */
  today: () => string;
}

/** The calendar date in Japan (UTC+9, no daylight saving). */
export function todayInJapan(now: Date = new Date()): string {
  return new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}
