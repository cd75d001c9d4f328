import type { Locale, Translate } from '../i18n.js';
import type { Principal } from '../auth/principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
    principal: Principal | undefined;
    /** How the principal was authenticated: a bearer token needs no CSRF token. */
    authMethod: 'bearer' | 'cookie' | undefined;
    csrfToken: string;
  }
  interface FastifyContextConfig {
    /** The route renders HTML: errors become an HTML page, not problem+json. */
    page?: boolean;
    /** Set false on routes that take no cookie-authenticated browser posts (e.g. /oauth/token). */
    csrf?: boolean;
    /** The path carries a secret (a capability link): logs show the route pattern instead. */
    secretPath?: boolean;
  }
}
export {};
