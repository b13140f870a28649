// Starts the server under test (gws-sim serving the built widget) on a free loopback port, and stops it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const simBinary =
  process.env.GWS_SIM_BIN ??
  [join(repoRoot, 'target', 'release', 'gws-sim'), join(repoRoot, 'target', 'debug', 'gws-sim')].find(existsSync);
export const distDir = process.env.DIST_DIR ?? join(repoRoot, 'dist');

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts gws-sim on 127.0.0.1 with a free port. Resolves to { url, control, stop }.
 * @param {{ args?: string[], startTimeoutMs?: number }} options
 */
export async function startSimulator({ args = [], startTimeoutMs = 10_000 } = {}) {
  if (!simBinary || !existsSync(simBinary)) {
    throw new Error(`gws-sim binary not found (${simBinary}); run cargo build -p gws-sim or set GWS_SIM_BIN`);
  }
  const child = spawn(simBinary, ['--addr', '127.0.0.1:0', '--dist', distDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });

  const url = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gws-sim did not start within ${startTimeoutMs} ms. stderr:\n${stderr}`));
    }, startTimeoutMs);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = stdout.match(/gws-sim listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gws-sim exited with ${code} before listening. stderr:\n${stderr}`));
    });
  });
  child.stdout.resume();

  /** Calls the simulator's /_sim control API; resolves to the parsed JSON reply. */
  async function control(method, path, body) {
    const response = await fetch(`${url}/_sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /_sim${path} → ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async function stop() {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
    await exited;
    clearTimeout(timer);
    running.delete(child);
  }

  return { url, control, stop, stderr: () => stderr };
}

/**
 * The simulator every browser test starts from: no scenario (nobody writes unless the test says
 * so) and CometD polls held 5 s (a test's stop is never waiting on a 30 s poll); `extra` adds flags.
 */
export const startTestSimulator = (...extra) => startSimulator({ args: ['--scenario', 'none', '--poll-timeout-ms', '5000', ...extra] });
