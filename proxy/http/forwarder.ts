import { Agent, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createProxyMiddleware, type Plugin } from 'http-proxy-middleware';
import { upstreamFailure } from '../errors.js';
import type { Call, Handler, Outcome } from './call.js';
import { prepareUpstreamHeaders } from './headers.js';

const CALL = Symbol('faultmesh.call');
type WithCall = IncomingMessage & { [CALL]?: Call };

/**
 * The innermost layer: sends the call to `call.endpoint` through
 * http-proxy-middleware over one shared keep-alive agent, and settles with the
 * upstream's response (headers received, body not yet read) or a typed error.
 * The response body is streamed by http/respond.ts, never buffered.
 */
export function createForwarder(): { forward: Handler; agent: Agent } {
  // At most 512 connections per upstream instance.
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });

  // Our own event wiring instead of HPM's default plugins: they log and write
  // error pages, which error-response.ts does in one place for the whole proxy.
  const wire: Plugin = (proxyServer) => {
    // http-proxy's deleteLength pass turns a chunked DELETE into an empty one;
    // drop it so such bodies reach the upstream intact.
    const server = proxyServer as unknown as { webPasses: Array<{ name: string }> };
    server.webPasses = server.webPasses.filter((pass) => pass.name !== 'deleteLength');
    proxyServer.on('proxyReq', (proxyReq: ClientRequest, req: WithCall) => {
      const call = req[CALL];
      if (call) call.upstream = proxyReq;
    });
    proxyServer.on('proxyRes', (response: IncomingMessage, req: WithCall) => {
      req[CALL]?.settle?.({ kind: 'response', response });
    });
    proxyServer.on('error', (err: Error, req: WithCall) => {
      const call = req[CALL];
      call?.settle?.({ kind: 'error', error: upstreamFailure(call.endpoint?.id ?? '?', err as NodeJS.ErrnoException) });
    });
  };

  const middleware = createProxyMiddleware<IncomingMessage, ServerResponse>({
    router: (req) => (req as WithCall)[CALL]!.endpoint!.target,
    agent,
    selfHandleResponse: true,
    changeOrigin: false,
    // req.url is already origin-form (request-target.ts made it so): toProxy
    // makes http-proxy use it as is instead of re-parsing it with url.parse.
    toProxy: true,
    ejectPlugins: true,
    plugins: [wire],
  });

  const forward: Handler = (call) =>
    new Promise<Outcome>((resolve) => {
      let settled = false;
      call.settle = (outcome) => {
        if (settled) {
          // A late response after a timeout: free its socket.
          if (outcome.kind === 'response') outcome.response.destroy();
          return;
        }
        settled = true;
        resolve(outcome);
      };
      (call.req as WithCall)[CALL] = call;
      prepareUpstreamHeaders(call);
      void middleware(call.req, call.res, (err?: unknown) => {
        call.settle?.({ kind: 'error', error: upstreamFailure(call.endpoint?.id ?? '?', err as NodeJS.ErrnoException) });
      });
    });

  return { forward, agent };
}
