import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirOf } from '../config/app-config.js';
import { sandboxAddressFile } from '../sandbox/sandbox-address-file.js';
import { UsageError } from './cli-errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The address of the sandbox the commands talk to: `--url`, else `SANDBOX_URL`, else `STRIPE_API_BASE` when it
 * points at a sandbox (`http://127.0.0.1…`), else the embedded sandbox of the app running on this data folder
 * (it publishes its address in `<PGLITE_DIR>/stripe-sandbox.address.json` while it runs).
 */
export function resolveSandboxUrl(env: Record<string, string | undefined>, url?: string): string {
  const given = url ?? env.SANDBOX_URL;
  if (given) return given;
  const base = env.STRIPE_API_BASE;
  if (base && /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?$/.test(base)) return base;
  const file = sandboxAddressFile(join(dataDirOf(env), 'stripe-sandbox.jsonl'));
  if (existsSync(file)) {
    const address = JSON.parse(readFileSync(file, 'utf8')) as { url: string; pid: number };
    if (alive(address.pid)) return address.url;
  }
  throw new UsageError(
    'No sandbox found: start the app without STRIPE_SECRET_KEY (npm start), or the standalone sandbox ' +
      '(npm run sandbox) with STRIPE_API_BASE, or pass --url http://127.0.0.1:<port>',
  );
}
