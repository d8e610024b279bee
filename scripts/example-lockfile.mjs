/**
 * `node scripts/example-lockfile.mjs [--fix]`: the lockfile of examples/marketplace must not pin the integrity
 * of the packed nest-stripe-connect tarball. The tarball changes with every change to the library, and npm
 * installs a `file:` tarball whose lockfile entry has an integrity from its cache by that integrity, so a stale
 * integrity installs a stale package without a word. Without one, `npm ci` installs the tarball as it is now.
 * `npm install` in the example writes the integrity back: `--fix` removes it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'examples', 'marketplace', 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const entry = lock.packages?.['node_modules/nest-stripe-connect'];
if (!entry || !String(entry.resolved).endsWith('nest-stripe-connect.tgz')) {
  console.error(`${file}: nest-stripe-connect is not installed from the packed tarball`);
  process.exit(1);
}
if (entry.integrity === undefined) {
  console.log(`${file}: nest-stripe-connect has no pinned integrity`);
} else if (process.argv.includes('--fix')) {
  delete entry.integrity;
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`${file}: removed the integrity of nest-stripe-connect`);
} else {
  console.error(
    `${file}: nest-stripe-connect's entry pins an integrity, so npm ci would install a stale tarball ` +
      'from its cache: run node scripts/example-lockfile.mjs --fix',
  );
  process.exit(1);
}
