/**
 * portal — the resident-facing front door: the home page, resident sign-in with the
 * town's OpenID Connect provider, and (in a demo installation only) sign-in as a
 * fictional resident. Other modules use only what this file exports.
 */
import type { ModuleContext, YakubaModule } from '../../platform/module.js';
import { deriveKey } from '../../platform/crypto.js';
import type { Access } from '../access/index.js';
import type { Registry } from '../registry/index.js';
import './messages.js';
import { createDemoSignIn, demoSignInAvailable } from './demo-sign-in.js';
import { registerPortalRoutes } from './routes.js';

export { DEMO_LIST_SIZE } from './demo-sign-in.js';

export function createPortal(ctx: ModuleContext & { access: Access; registry: Registry; demo: boolean }): YakubaModule {
  const { db, config, access, registry } = ctx;
  return {
    name: 'portal',
    routes: (app) =>
      registerPortalRoutes(app, {
        config,
        access,
        demo: demoSignInAvailable(ctx.demo, config.env) ? createDemoSignIn(db, registry) : undefined,
        identities: {
          findResidentIdentity: (issuer, subject) => access.findResidentIdentity(issuer, subject),
          linkResidentIdentity: (issuer, subject, personId) => access.linkResidentIdentity(issuer, subject, personId),
          isResident: (personId) => registry.isResident(personId),
          matchResident: (claims) => registry.matchResident(claims),
        },
        cookieKey: deriveKey(config.secret, 'cookie'),
      }),
  };
}
