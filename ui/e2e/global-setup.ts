// Starts the real server binary with a fresh data directory on a free port, waits for
// /health, and hands the address to the tests (E2E_BASE_URL). Returns the teardown.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const uiDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

async function waitForHealth(base: string, exited: () => string | null): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const gone = exited();
    if (gone) throw new Error(`the server stopped before it was healthy (${gone}); see test-results/server.log`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no 200 from ${base}/health within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const bin = resolve(uiDir, process.env.ORDER_SYSTEM_BIN ?? '../target/release/order-system');
  const dataDir = mkdtempSync(join(tmpdir(), 'order-system-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  mkdirSync(join(uiDir, 'test-results'), { recursive: true });
  const log = openSync(join(uiDir, 'test-results', 'server.log'), 'w');

  const child = spawn(bin, ['--data-dir', dataDir, 'serve', '--http', `127.0.0.1:${port}`], {
    env: { ...process.env, ORDER_SYSTEM_BCRYPT_COST: '4' },
    stdio: ['ignore', log, log],
  });
  let exit: string | null = null;
  child.on('exit', (code, signal) => {
    exit = `exit ${code ?? signal}`;
  });
  child.on('error', (err) => {
    exit = err.message;
  });

  await waitForHealth(base, () => exit);
  process.env.E2E_BASE_URL = base;
  process.env.E2E_DIST_DIR = join(uiDir, 'dist');

  return async () => {
    if (!exit) {
      const stopped = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await stopped;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
}
