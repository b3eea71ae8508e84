/**
 * How the dashboard answers: every page with the same security headers — a strict
 * Content-Security-Policy (only this origin's script and stylesheet; no inline script or style, no
 * CDN), no framing, no sniffing, no caching, no referrer to other sites (same-origin: with none, Chromium sends `Origin: null` on form posts).
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { sendBody } from '../server/respond.js';
import type { Html } from './html.js';

export const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
  "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'",
].join('; ');

export const SECURITY_HEADERS: OutgoingHttpHeaders = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export function sendHtml(res: ServerResponse, status: number, page: Html, headers: OutgoingHttpHeaders = {}): void {
  sendBody(res, status, 'text/html; charset=utf-8', page.text, { ...SECURITY_HEADERS, ...headers });
}

/** 303 See Other: after a POST, and to the login page. */
export function redirect(res: ServerResponse, location: string, headers: OutgoingHttpHeaders = {}): void {
  sendBody(res, 303, 'text/plain; charset=utf-8', `see ${location}\n`, { ...SECURITY_HEADERS, ...headers, Location: location });
}
