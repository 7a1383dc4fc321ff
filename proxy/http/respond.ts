import { pipeline } from 'node:stream';
import type { Call, Outcome } from './call.js';
import { writeError } from './error-response.js';
import { downstreamHeaders } from './headers.js';

/** Writes the outcome of a call to the client: the upstream's response streamed through, or an error. */
export function respond(call: Call, outcome: Outcome): void {
  if (outcome.kind === 'error') {
    call.error = outcome.error;
    writeError(call.res, outcome.error, call.trace.requestId);
    return;
  }
  const { response } = outcome;
  const { res } = call;
  if (res.destroyed) {
    response.destroy();
    return;
  }
  res.writeHead(response.statusCode ?? 502, response.statusMessage, downstreamHeaders(response, call.trace.requestId));
  // pipeline tears down both sides when either fails: an upstream that dies
  // mid-body cuts the client off instead of leaving it waiting forever.
  pipeline(response, res, (err) => {
    if (err && !call.flags.includes('BODY_INTERRUPTED')) call.flags.push('BODY_INTERRUPTED');
  });
}
