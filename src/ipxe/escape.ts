/**
 * Kernel arguments are data, not script. iPXE splits a line on whitespace; a token starting
 * with `#` starts a comment, and a token that is exactly `;`, `&&` or `||` ends the command.
 * `${name}` is expanded — repeatedly, until no `${…}` remains — so a literal `${…}` cannot be
 * passed at all. Pure.
 *
 * Escaping: a token that iPXE would treat as syntax is prefixed with `${metalboot-lit}`, a
 * setting that is never set and so expands to nothing *after* the line has been split: the
 * kernel receives the argument unchanged. What cannot be carried (src/util/kernel-arg.ts) is
 * rejected: the config loader refuses it in metalboot.yaml, this refuses it from image manifests.
 */
import { RenderError } from '../errors.js';
import { argumentProblem } from '../util/kernel-arg.js';

/** Never set by any script: expands to the empty string. */
export const LITERAL_PREFIX = '${metalboot-lit}';

const SYNTAX_TOKENS = new Set([';', '&&', '||']);

/** Returns the iPXE text for one kernel argument, or throws a RenderError naming the device and argument. */
export function escapeKernelArg(arg: string, context: { device: string; source: string }): string {
  const problem = argumentProblem(arg);
  if (problem !== undefined) {
    throw new RenderError(
      `device "${context.device}": kernel argument ${JSON.stringify(arg)} (from ${context.source}) cannot be put in an iPXE script: ${problem}`,
      { hint: `fix or remove it in ${context.source}` },
    );
  }
  // A quoted value may contain single spaces: iPXE splits it into tokens and joins them back with
  // one space, so each piece is escaped on its own.
  return arg.split(' ').map(escapeToken).join(' ');
}

function escapeToken(token: string): string {
  return token.startsWith('#') || SYNTAX_TOKENS.has(token) ? `${LITERAL_PREFIX}${token}` : token;
}

/** URLs placed in scripts come from config or --base-url; they must be single plain tokens. */
export function checkScriptUrl(url: string, what: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(url) || url.includes('${') || url.startsWith('#')) {
    throw new RenderError(`${what} ${JSON.stringify(url)} cannot be used in an iPXE script: it holds whitespace, a control character or "\${"`, {
      hint: 'use a plain http(s) URL such as http://boot.example.net:8080',
    });
  }
  return url;
}
