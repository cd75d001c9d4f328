/** What every module receives, and what it gives back to the server that mounts it. */
import type { Config } from './config.js';
import type { Db } from './db/db.js';
import type { App } from './http/app.js';

export interface ModuleContext {
  db: Db;
  config: Config;
}

export interface YakubaModule {
  name: string;
  /** Mounts the module's API routes and pages. */
  routes?(app: App): Promise<void> | void;
  /** Starts background work (workers); called once the server listens. */
  start?(): void;
  /** Stops background work; awaited before the database closes. */
  stop?(): Promise<void>;
}
