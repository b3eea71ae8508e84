/**
 * Kernel arguments are data, not script. iPXE splits a line on whitespace; a token starting
 * with `#` starts a comment, and a token that is exactly `;`, `&&` or `||` ends the command.
 * `${name}` is expanded — repeatedly, until no `${…}` remains — so a literal `${…}` cannot be
 * passed at all. Pure.
 *
 * Escaping: a token that iPXE would treat as syntax is prefixed with `${metalboot-lit}`, a
 * setting that is never set and so expands to nothing *after* the line has been split: the
 * kernel receives the argument unchanged. What cannot be carried is rejected.
 */
import { RenderError } from '../errors.js';

/** Never set by any script: expands to the empty string. */
export const LITERAL_PREFIX = '${metalboot-lit}';

const SYNTAX_TOKENS = new Set([';', '&&', '||']);

/** Why `arg` cannot be passed through iPXE, or undefined when it can. */
export function argumentProblem(arg: string): string | undefined {
  if (arg === '') return 'it is empty';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(arg)) return 'it holds a newline, tab or other control character';
  if (/\$\{[^}]*\}/.test(arg)) return 'it holds "${…}", which iPXE always expands as a setting (there is no escape for it)';
  if (/ {2}/.test(arg) || arg.startsWith(' ') || arg.endsWith(' ')) return 'it holds leading, trailing or repeated spaces, which iPXE collapses';
  if (arg.includes(' ') && !/^[^" ]*"[^"]*"$/.test(arg)) {
    return 'it holds a space outside a quoted value; the kernel would see two arguments (quote the value: key="a b")';
  }
  if ((arg.match(/"/g)?.length ?? 0) % 2 !== 0) return 'it holds an unbalanced double quote, which would swallow the following arguments';
  return undefined;
}

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
