/**
 * The lottery (抽選) and the facilities desk, mounted with one call from the module's routes:
 * the lottery's API and pages, the desk's set-up, day and figures pages and API, and their
 * places in the menus.
 */
import type { App } from '../../platform/http/app.js';
import { registerNav } from '../../platform/views/layout.js';
import './lottery-messages.js';
import './staff-messages.js';
import { registerLotteryApi } from './lottery-api.js';
import { registerLotteryPages } from './lottery-pages.js';
import type { ReservationsRuntime } from './runtime.js';
import { registerStaffApi } from './staff-api.js';
import { registerStaffDeskPages } from './staff-desk-pages.js';
import { registerStaffLotteryPages } from './staff-lottery-pages.js';
import { DESK_ROLES, registerStaffSetupPages } from './staff-pages.js';
import { DESK_CSS, DESK_CSS_HREF } from './views/desk-styles.js';

export { drawDueRounds } from './lottery.js';

export function registerLotteryAndDesk(app: App, rt: ReservationsRuntime): void {
  registerNav({ href: '/lotteries', label: 'nav.lotteries', audience: 'public' }, { href: '/staff/facilities', label: 'nav.facilityDesk', audience: 'staff', roles: DESK_ROLES });
  rt.access.addStaffLink({ href: '/staff/facilities', label: 'nav.facilityDesk', roles: DESK_ROLES });
  app.get(DESK_CSS_HREF, async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(DESK_CSS));
  registerLotteryApi(app, rt);
  registerLotteryPages(app, rt);
  registerStaffApi(app, rt);
  registerStaffSetupPages(app, rt);
  registerStaffDeskPages(app, rt);
  registerStaffLotteryPages(app, rt);
}
