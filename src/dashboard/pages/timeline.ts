/**
 * A boot as a timeline: one bar per phase in an SVG (sizes are attributes, so the strict CSP needs
 * no inline style), and the same phases as an ordered list for screen readers and for reading.
 */
import type { Html } from '../html.js';
import { html } from '../html.js';
import type { Boot, PhaseSpan } from '../phases.js';

const WIDTH = 600;
const HEIGHT = 18;

export function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function timeline(boot: Boot, now: number = Date.now()): Html {
  const start = Date.parse(boot.start);
  const last = boot.phases.at(-1);
  const terminal = last?.phase === 'booted' || last?.phase === 'failed' || last?.phase === 'installed';
  const end = Math.max(start + 1, terminal ? Date.parse(last!.start) + 1 : now, ...boot.phases.map((p) => Date.parse(p.end ?? p.start)));
  const scale = WIDTH / (end - start);
  const endOf = (span: PhaseSpan): number => (span.end ? Date.parse(span.end) : terminal ? Date.parse(span.start) : end);
  const bars = boot.phases.map((span) => {
    const x = Math.round((Date.parse(span.start) - start) * scale);
    const w = Math.max(3, Math.round((endOf(span) - Date.parse(span.start)) * scale));
    return html`<rect class="bar phase-${span.phase}" x="${Math.min(x, WIDTH - 3)}" y="0" width="${Math.min(w, WIDTH - Math.min(x, WIDTH - 3))}" height="${HEIGHT}"><title>${span.phase}</title></rect>`;
  });
  return html`<svg class="timeline" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" aria-hidden="true" focusable="false">${bars}</svg>
<ol class="phases">${boot.phases.map((span) => html`<li data-phase="${span.phase}"><span class="badge phase-${span.phase}">${span.phase}</span> at +${duration(Date.parse(span.start) - start)}${span.end ? html`, ${duration(Date.parse(span.end) - Date.parse(span.start))}` : terminal && span === last ? '' : ' (now)'}</li>`)}</ol>`;
}
