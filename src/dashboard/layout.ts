/** The page shell every dashboard page shares: head, navigation, the live-region, the one script. */
import type { Html } from './html.js';
import { html } from './html.js';
import type { Session } from './sessions.js';

export type Section = 'devices' | 'images' | 'events' | 'login';

export interface PageInput {
  readonly title: string;
  readonly section: Section;
  readonly session?: Session;
  readonly body: Html;
  /** What the client script follows live: `all`, a device name, or nothing. */
  readonly live?: { readonly device?: string };
}

const NAV: readonly [Section, string, string][] = [
  ['devices', '/ui/devices', 'Devices'],
  ['images', '/ui/images', 'Images'],
  ['events', '/ui/events', 'Events'],
];

export function page(input: PageInput): Html {
  const { session } = input;
  const flash = session?.flash;
  if (session) session.flash = undefined;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title} · metalboot</title>
<link rel="stylesheet" href="/ui/static/app.css">
<script src="/ui/static/app.js" defer></script>
</head>
<body${input.live ? html` data-live="${input.live.device ?? '*'}"` : ''}>
<a class="skip" href="#main">Skip to content</a>
<header>
<span class="brand">metalboot</span>
${session ? html`<nav aria-label="Sections"><ul>${NAV.map(([section, href, label]) => html`<li><a href="${href}"${section === input.section ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul></nav>
<form method="post" action="/ui/logout" class="logout"><input type="hidden" name="csrf" value="${session.csrf}"><span class="role">${session.role === 'write' ? 'operator' : 'read-only'}</span> <button type="submit">Log out</button></form>` : ''}
</header>
<main id="main">
${flash ? html`<p class="flash" role="status">${flash}</p>` : ''}
${input.body}
</main>
<div id="live" class="visually-hidden" aria-live="polite" aria-atomic="true"></div>
</body>
</html>
`;
}

/** "3 s ago", "5 min ago": how long since an ISO time, at render time. */
export function age(iso: string, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}
