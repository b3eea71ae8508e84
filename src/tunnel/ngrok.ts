/** ngrok tunnel through @ngrok/ngrok (in-process agent); the auth token comes from NGROK_AUTHTOKEN only. */
import { MetalbootError } from '../errors.js';
import type { Tunnel, TunnelTarget } from './types.js';
import { trimBase } from '../util/url.js';

export async function openNgrokTunnel(target: TunnelTarget, env: NodeJS.ProcessEnv): Promise<Tunnel> {
  const authtoken = env.NGROK_AUTHTOKEN;
  if (!authtoken) {
    throw new MetalbootError('--tunnel ngrok needs NGROK_AUTHTOKEN in the environment', {
      code: 'E_TUNNEL',
      hint: 'export NGROK_AUTHTOKEN=<token from https://dashboard.ngrok.com/get-started/your-authtoken>',
    });
  }
  try {
    const ngrok = await import('@ngrok/ngrok');
    const listener = await ngrok.forward({ addr: `${target.host}:${target.port}`, authtoken });
    const url = listener.url();
    if (!url) throw new Error('ngrok returned no URL');
    return { url: trimBase(url), close: () => listener.close() };
  } catch (error) {
    throw new MetalbootError(`could not open the ngrok tunnel: ${redact((error as Error).message, authtoken)}`, {
      code: 'E_TUNNEL',
      hint: 'check NGROK_AUTHTOKEN and that this machine can reach ngrok (outbound TLS to *.ngrok.com)',
    });
  }
}

function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join('[NGROK_AUTHTOKEN]') : text;
}
