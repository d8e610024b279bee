/**
 * `npm run package`: builds the npm package `nest-stripe-connect` (packages/nest-stripe-connect) from
 * src/stripe-connect, src/stripe-sandbox and src/stripe-connect-testing, packs it with `npm pack` to the fixed
 * name packages/nest-stripe-connect/nest-stripe-connect.tgz (what examples/marketplace installs), and prints its
 * size and file count. `--check` then runs check-package.mjs on it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = join(root, 'packages', 'nest-stripe-connect');
export const TARBALL = join(packageDir, 'nest-stripe-connect.tgz');

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
  return result;
}

rmSync(join(packageDir, 'dist'), { recursive: true, force: true });
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', packageDir]);

const destination = mkdtempSync(join(tmpdir(), 'nsc-pack-'));
const packed = run('npm', ['pack', '--json', '--pack-destination', destination], {
  cwd: packageDir,
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
});
const [report] = JSON.parse(packed.stdout);
renameSync(join(destination, report.filename), TARBALL);
rmSync(destination, { recursive: true, force: true });
console.log(
  `${TARBALL}: ${report.size} bytes packed (${report.unpackedSize} unpacked), ${report.entryCount} files`,
);

if (process.argv.includes('--check')) {
  run(process.execPath, [join(root, 'scripts', 'check-package.mjs'), TARBALL]);
}
