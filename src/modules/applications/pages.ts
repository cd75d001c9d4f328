/** Resident and staff pages of online applications (filled in by the pages work). */
import type { App } from '../../platform/http/app.js';
import type { ApplicationsRuntime } from './runtime.js';

export function registerApplicationPages(_app: App, _rt: ApplicationsRuntime, _townName: () => string): void {}
