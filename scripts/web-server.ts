// The web server the launcher runs: Next.js's request handler behind node:http, so that the
// client address comes from the socket (and only the trusted proxy hops), never from a header
// a client can choose. Next's own `next start` keeps a client-sent X-Forwarded-For.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import next from 'next';
import { env } from '@/env';
import { logger, redactConsoleErrors } from '@/lib/logger';
import { CLIENT_IP_HEADER, resolveClientIp } from '@/lib/http';
import { AppError } from '@/lib/errors';
import { badPathEncoding } from '@/lib/request-gate';
import { isApiPath, securityHeaders } from '@/lib/security/headers';
import { onStopRequest } from './lib/supervised';

const log = logger.child({ scope: 'web' });
const e = env();
const dev = process.argv.includes('--dev');

redactConsoleErrors();

function stampClientAddress(req: IncomingMessage) {
  const xff = req.headers['x-forwarded-for'];
  const forwardedFor = Array.isArray(xff) ? xff.join(',') : xff;
  req.headers[CLIENT_IP_HEADER] = resolveClientIp(forwardedFor, req.socket.remoteAddress, e.TRUSTED_PROXY_HOPS);
  if (e.TRUSTED_PROXY_HOPS === 0) {
    // Nothing in front of us is trusted: what a client says about addresses is dropped.
    delete req.headers['x-forwarded-for'];
    delete req.headers['x-real-ip'];
  }
}

const app = next({ dev, hostname: e.BIND_HOST, port: e.PORT, dir: process.cwd() });
const handle = app.getRequestHandler();

/**
 * The API's share of what proxy.ts does for pages, done here because the proxy does not run
 * for /api/: the security headers (Next.js keeps headers set before it answers), and a 400
 * for a path that does not decode, which Next.js would answer with a 500. True when the
 * request has been answered.
 */
function screenApiRequest(req: IncomingMessage, res: ServerResponse): boolean {
  let pathname: string;
  try {
    // The WHATWG parser resolves dot segments, as Next.js's router does.
    pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return false;
  }
  if (!isApiPath(pathname)) return false;
  const headers = securityHeaders({
    pathname,
    nonce: '',
    tileUrl: e.MAP_TILE_URL,
    development: dev,
    siteUrl: e.NEXTAUTH_URL,
  });
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (!badPathEncoding(pathname)) return false;
  res.writeHead(400, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify(new AppError('validation_failed', 'The request path contains a malformed percent-escape.').toBody()),
  );
  return true;
}

// Set once a stop is requested: each answer from then on closes its connection.
let stopping = false;

const server = createServer((req, res) => {
  // A client that keeps a keep-alive connection busy (the simulator, a drone posting telemetry)
  // would otherwise hold the server open until the stop's deadline.
  if (stopping) res.setHeader('connection', 'close');
  stampClientAddress(req);
  if (screenApiRequest(req, res)) return;
  handle(req, res).catch((err: unknown) => {
    log.error('Request handler failed', { err });
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again.' },
      }),
    );
  });
});
// An idle keep-alive connection stays open 65 s (Node's default is 5 s). A client or a load
// balancer that reuses a connection the server has just closed gets a reset (ECONNRESET, or a
// 502 from the balancer), so the server must be the side that waits longest: common balancers
// keep idle upstream connections 60 s. The headers timeout must be longer still.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
if (dev) {
  const upgrade = app.getUpgradeHandler();
  server.on('upgrade', (req, socket, head) => {
    stampClientAddress(req);
    void upgrade(req, socket, head);
  });
}

onStopRequest((reason) => {
  log.info('Stopping the web server: no new connections, requests in flight finish', { reason });
  stopping = true;
  server.close(() => process.exit(0));
  // Keep-alive connections between requests close now, and each one that goes idle later (its
  // request finished after the stop began) within 100 ms; a request still running gets 10 s.
  server.closeIdleConnections();
  setInterval(() => server.closeIdleConnections(), 100).unref();
  setTimeout(() => process.exit(0), 10_000).unref();
}, 15_000);

await app.prepare();

server.once('error', (err) => {
  log.error('The web server could not listen', { err, host: e.BIND_HOST, port: e.PORT });
  process.exit(1);
});
server.listen(e.PORT, e.BIND_HOST, () => {
  log.info('Web server listening', { host: e.BIND_HOST, port: e.PORT, trusted_proxy_hops: e.TRUSTED_PROXY_HOPS });
});
