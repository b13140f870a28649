// A plain static web server, as a host site would have: serves folders at URL prefixes (a sub-path
// for the widget's dist/), optionally forwards /api/ and /_sim/ to gws-sim (a reverse proxy in front
// of GWS, so the API is same-origin) and adds response headers (a strict Content-Security-Policy).
//
// Try the example agent desktop: node e2e/lib/static-server.mjs  (with gws-sim on 127.0.0.1:8080
// and a release build in dist/), then open the printed URL.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The Content-Security-Policy the issue asks the widget to run under. */
export const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'";

/**
 * @param {{ mounts: Record<string, string>, proxyTo?: string, headers?: Record<string, string>, port?: number }} options
 *   `mounts`: URL prefix (ending in /) → folder; the longest matching prefix wins.
 * @returns {Promise<{ url: string, requests: string[], stop: () => Promise<void> }>}
 */
export async function startStaticServer({ mounts, proxyTo, headers = {}, port = 0 }) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const requests = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push(`${req.method} ${path}`);
    if (proxyTo && (path.startsWith('/api/') || path.startsWith('/_sim/'))) {
      const upstream = httpRequest(
        new URL(req.url, proxyTo),
        { method: req.method, headers: { ...req.headers, host: new URL(proxyTo).host } },
        (reply) => {
          res.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
      // As a reverse proxy does: a request the browser gave up on (an aborted long-poll) is given up upstream.
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      return;
    }
    if (path === '/favicon.ico') {
      // A host site has its own icon; an empty one keeps the browser's request from being a 404.
      res.writeHead(204, headers);
      res.end();
      return;
    }
    const prefix = prefixes.find((p) => path.startsWith(p));
    let file = prefix && normalize(join(mounts[prefix], path.slice(prefix.length)));
    if (file && !file.startsWith(normalize(mounts[prefix]))) file = undefined;
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      ...headers,
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The example agent desktop at /desk/ with the built widget at /desk/widget/. */
export const deskMounts = () => ({
  '/desk/': join(repoRoot, 'examples', 'host-page'),
  '/desk/widget/': process.env.DIST_DIR ?? join(repoRoot, 'dist'),
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await startStaticServer({
    mounts: deskMounts(),
    proxyTo: process.env.GWS_URL ?? 'http://127.0.0.1:8080',
    headers: { 'content-security-policy': STRICT_CSP },
    port: Number(process.env.PORT ?? 8082),
  });
  console.log(`example agent desktop on ${server.url}/desk/ (API proxied to ${process.env.GWS_URL ?? 'http://127.0.0.1:8080'})`);
}
