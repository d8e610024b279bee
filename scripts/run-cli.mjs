/**
 * `npm run cli -- …`: runs the built CLI, building first only when a source is newer than the last build
 * (a call on a current build starts at once instead of compiling the project).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const stamp = join(root, 'dist', '.cli-build-stamp');
const sources = [
  'src',
  'bench',
  'ormconfig.ts',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (sources.some((source) => newest(join(root, source)) > built)) {
  console.error('(building: sources changed since the last build)');
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 3);
  writeFileSync(stamp, new Date().toISOString());
}
const run = spawnSync(
  process.execPath,
  [join(root, 'dist', 'src', 'cli.js'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
process.exit(run.status ?? 3);
