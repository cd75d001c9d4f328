import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { PageContext } from './layout.js';

let site = { demo: false, townName: '' };

/** Set once at start from the installation record. */
export function setSiteInfo(info: { demo: boolean; townName: string }): void {
  site = info;
}

/** The installation as pages show it (the town's name; whether it is a demo). */
export const siteInfo = (): { demo: boolean; townName: string } => site;

export function pageContext(req: FastifyRequest): PageContext {
  return {
    t: req.t,
    locale: req.locale,
    principal: req.principal,
    csrfToken: req.csrfToken,
    demo: site.demo,
    townName: site.townName,
    path: req.url,
  };
}

/** Sends a server-rendered page. Pages that show personal data are never cached. */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(`<!doctype html>${renderToString(page)}`);
}
