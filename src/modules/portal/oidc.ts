/**
 * Resident sign-in with OpenID Connect (Authorization Code + PKCE + state + nonce), and
 * the rule that turns an identity-provider account into a registry person: a stored link
 * first, else exactly one resident with the same name and date of birth. Zero or several
 * matches sign nobody in — the town never guesses who someone is.
 */
import * as client from 'openid-client';
import type { Config } from '../../platform/config.js';
import { safeEqual, signToken, verifyToken } from '../../platform/crypto.js';

export type OidcSettings = NonNullable<Config['oidc']>;

/** The short-lived cookie that carries one sign-in attempt from start to callback. */
export const FLOW_COOKIE = 'yk_oidc';
export const FLOW_COOKIE_PATH = '/auth/oidc';
export const FLOW_TTL_SECONDS = 600;
const SCOPE = 'openid profile';

interface FlowPayload extends Record<string, unknown> {
  /** Marks the token as a sign-in flow, so no other signed cookie can stand in for it. */
  typ: 'oidc-flow';
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

export interface ResidentClaims {
  familyName: string;
  givenName: string;
  birthDate: string;
}

/** What the portal needs from access and registry to finish a sign-in. */
export interface IdentityDeps {
  findResidentIdentity(issuer: string, subject: string): Promise<string | undefined>;
  linkResidentIdentity(issuer: string, subject: string, personId: string): Promise<void>;
  isResident(personId: string): Promise<boolean>;
  matchResident(claims: ResidentClaims): Promise<string[]>;
}

export type CallbackOutcome =
  | { kind: 'signed-in'; personId: string; linkedNow: boolean; next: string }
  | { kind: 'not-identified' }
  | { kind: 'failed'; reason: 'state' | 'idp' | 'exchange' }
  | { kind: 'unavailable' };

/** Plain-http issuers are allowed only on this machine, or in tests. */
export function allowsInsecure(issuer: string, env: Config['env']): boolean {
  const url = new URL(issuer);
  if (url.protocol !== 'http:') return false;
  return env === 'test' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Reads name and date of birth from standard claims. `name` is used only when it splits
 * into exactly two parts (family, given) on a space, ASCII or full-width. A birthdate
 * without a year (`0000-…`) or without month and day cannot identify anyone.
 */
export function residentClaims(claims: Record<string, unknown>): ResidentClaims | undefined {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  let familyName = str(claims.family_name);
  let givenName = str(claims.given_name);
  if (!familyName || !givenName) {
    const parts = str(claims.name).split(/[\s\u3000]+/).filter(Boolean);
    if (parts.length !== 2) return undefined;
    [familyName, givenName] = parts as [string, string];
  }
  const m = FULL_DATE.exec(str(claims.birthdate));
  if (!m || m[1] === '0000') return undefined;
  const date = new Date(`${m[0]}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== m[0]) return undefined;
  return { familyName, givenName, birthDate: m[0] };
}

/** A stored link wins; otherwise exactly one current resident must match the claims. */
export async function identifyResident(
  deps: IdentityDeps,
  issuer: string,
  subject: string,
  claims: Record<string, unknown>,
): Promise<{ personId: string; linkedNow: boolean } | undefined> {
  const linked = await deps.findResidentIdentity(issuer, subject);
  if (linked) return (await deps.isResident(linked)) ? { personId: linked, linkedNow: false } : undefined;
  const wanted = residentClaims(claims);
  if (!wanted) return undefined;
  const matches = await deps.matchResident(wanted);
  if (matches.length !== 1 || !matches[0]) return undefined;
  await deps.linkResidentIdentity(issuer, subject, matches[0]);
  return { personId: matches[0], linkedNow: true };
}

export interface OidcClient {
  /** Starts one attempt: the provider URL to redirect to and the flow cookie to set. */
  start(next: string): Promise<{ url: string; cookie: string } | { unavailable: true }>;
  /** Checks the provider's answer against the flow cookie and identifies the resident. */
  finish(query: URLSearchParams, cookie: string | undefined): Promise<CallbackOutcome>;
}

export interface OidcClientOptions {
  settings: OidcSettings;
  env: Config['env'];
  publicUrl: string;
  /** Key that signs the flow cookie. */
  cookieKey: Buffer;
  deps: IdentityDeps;
  log: { warn(obj: object, msg: string): void };
}

export function createOidcClient(o: OidcClientOptions): OidcClient {
  const redirectUri = `${o.publicUrl}/auth/oidc/callback`;
  // Discovery once per process; a failure is not cached, so the next attempt retries.
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = () => {
    if (!discovered) {
      const insecure = allowsInsecure(o.settings.issuer, o.env);
      discovered = client
        .discovery(
          new URL(o.settings.issuer),
          o.settings.clientId,
          o.settings.clientSecret || undefined,
          o.settings.clientSecret ? client.ClientSecretPost(o.settings.clientSecret) : client.None(),
          { timeout: 10, ...(insecure ? { execute: [client.allowInsecureRequests] } : {}) },
        )
        .catch((err: unknown) => {
          discovered = undefined;
          throw err;
        });
    }
    return discovered;
  };

  return {
    async start(next) {
      let config: client.Configuration;
      try {
        config = await configuration();
      } catch (err) {
        o.log.warn({ err }, 'OpenID Connect discovery failed');
        return { unavailable: true };
      }
      const verifier = client.randomPKCECodeVerifier();
      const flow: FlowPayload = { typ: 'oidc-flow', state: client.randomState(), nonce: client.randomNonce(), verifier, next };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: SCOPE,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
      return { url: url.href, cookie: signToken(o.cookieKey, flow, FLOW_TTL_SECONDS) };
    },

    async finish(query, cookie) {
      if (!cookie) return { kind: 'failed', reason: 'state' };
      const check = verifyToken<FlowPayload>(o.cookieKey, cookie);
      if (!check.ok || check.payload.typ !== 'oidc-flow') return { kind: 'failed', reason: 'state' };
      const flow = check.payload;
      const state = query.get('state');
      if (typeof state !== 'string' || !safeEqual(state, flow.state)) return { kind: 'failed', reason: 'state' };
      if (query.has('error')) return { kind: 'failed', reason: 'idp' };

      let config: client.Configuration;
      try {
        config = await configuration();
      } catch (err) {
        o.log.warn({ err }, 'OpenID Connect discovery failed');
        return { kind: 'unavailable' };
      }
      let subject: string;
      let claims: Record<string, unknown>;
      try {
        const currentUrl = new URL(redirectUri);
        currentUrl.search = query.toString();
        const tokens = await client.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
        const idToken = tokens.claims();
        if (!idToken) return { kind: 'failed', reason: 'exchange' };
        subject = idToken.sub;
        claims = { ...idToken };
        // Providers that follow the spec return profile claims from the UserInfo endpoint.
        if (config.serverMetadata().userinfo_endpoint && tokens.access_token) {
          claims = { ...claims, ...(await client.fetchUserInfo(config, tokens.access_token, subject)) };
        }
      } catch (err) {
        o.log.warn({ code: (err as { code?: unknown }).code, name: (err as Error).name }, 'OpenID Connect code exchange failed');
        return { kind: 'failed', reason: 'exchange' };
      }
      const issuer = config.serverMetadata().issuer;
      const found = await identifyResident(o.deps, issuer, subject, claims);
      if (!found) return { kind: 'not-identified' };
      return { kind: 'signed-in', personId: found.personId, linkedNow: found.linkedNow, next: flow.next };
    },
  };
}
