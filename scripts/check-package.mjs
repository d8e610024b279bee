/**
 * `node scripts/check-package.mjs <tarball>`: fails (exit 1, naming each problem) when the packed package
 * holds what a user must not get or cannot use:
 * - a file outside its three built parts (dist/stripe-connect, dist/stripe-sandbox, dist/stripe-connect-testing)
 *   and the package's own package.json, README.md, TESTING.md, LICENSE: the host app, tests, sources, maps;
 * - a test file, a TypeScript source, a source map, a build info file, an env file, a key or .npmrc;
 * - a secret in any file: a live Stripe key, a Stripe key or webhook secret shaped like a real one, a private key;
 * - an import of a package that is neither Node's nor a peer dependency (the PGlite driver, test tools, …),
 *   or a static import of an optional peer dependency (`pg-boss`: loaded with `import()` in queued mode only, so
 *   users who do not install it can still import the package);
 * - code that reads `process.env` (the library takes options; only hosts and CLIs read the environment);
 * - an export that does not resolve: the tarball is installed with npm in a temporary folder, every entry of its
 *   `exports` map is imported there, and a TypeScript file importing each is compiled against its declarations.
 *   `--installed-in <dir>` does that in an app that has installed the tarball already (CI's example app, which
 *   saves a second install).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tarball = resolve(process.argv[2] ?? '');
const installedArg = process.argv.indexOf('--installed-in');
const installedIn = installedArg > 0 ? resolve(process.argv[installedArg + 1]) : null;
const problems = [];
const cleanups = [];
const work = mkdtempSync(join(tmpdir(), 'nsc-check-'));

const ALLOWED_TOP = new Set(['package.json', 'README.md', 'TESTING.md', 'LICENSE']);
const PARTS = ['dist/stripe-connect/', 'dist/stripe-sandbox/', 'dist/stripe-connect-testing/'];
const FORBIDDEN_NAMES = [
  [/(^|\/)(test|tests|__tests__|e2e)\//, 'a test folder'],
  [/\.(spec|e2e-spec|test)\.(js|d\.ts|ts)$/, 'a test file'],
  [/(?<!\.d)\.ts$/, 'a TypeScript source'],
  [/\.map$/, 'a source map'],
  [/\.tsbuildinfo$/, 'a build info file'],
  [/(^|\/)\.env(\.|$)/, 'an env file'],
  [/(^|\/)\.npmrc$/, 'an .npmrc'],
  [/\.(pem|key|p12|pfx)$/, 'a key file'],
  [/(^|\/)(app\.module|app\.setup|bootstrap|main|cli|ormconfig)\.(js|d\.ts)$/, 'a host source'],
  [/(^|\/)(auth|config|database|health)\//, 'a host folder'],
  [/pglite/i, 'the host’s PGlite driver'],
];
const SECRETS = [
  [/\b[sr]k_live_[A-Za-z0-9]+/, 'a live Stripe key'],
  [/\b(sk|rk|pk)_test_[A-Za-z0-9]{20,}/, 'a Stripe test key'],
  [/\bwhsec_[A-Za-z0-9]{20,}/, 'a webhook signing secret'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed:\n${result.stdout ?? ''}${result.stderr ?? ''}`,
    );
  }
  return result.stdout;
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

try {
  // What the tarball holds, read from the tarball itself.
  const unpacked = join(work, 'unpacked');
  run('mkdir', ['-p', unpacked]);
  run('tar', ['-xzf', tarball, '-C', unpacked]);
  const packageRoot = join(unpacked, 'package');
  const files = filesUnder(packageRoot).map((path) => relative(packageRoot, path));
  const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
  const peers = Object.keys(manifest.peerDependencies ?? {});
  const optionalPeers = Object.entries(manifest.peerDependenciesMeta ?? {})
    .filter(([, meta]) => meta?.optional)
    .map(([name]) => name);

  for (const file of files) {
    if (!ALLOWED_TOP.has(file) && !PARTS.some((part) => file.startsWith(part))) {
      problems.push(`${file}: outside the package's parts`);
    }
    for (const [pattern, what] of FORBIDDEN_NAMES) {
      if (pattern.test(file)) problems.push(`${file}: ${what}`);
    }
    const text = readFileSync(join(packageRoot, file), 'utf8');
    for (const [pattern, what] of SECRETS) {
      const match = pattern.exec(text);
      if (match) problems.push(`${file}: ${what} at offset ${match.index}`);
    }
    if (file.endsWith('.js') && /\bprocess\.env\b/.test(text)) {
      problems.push(`${file}: reads process.env (the package takes options; a CLI or host file?)`);
    }
    if (file.endsWith('.js')) {
      for (const [, specifier] of text.matchAll(
        /(?<![.\w$])(?:from|import)\s*\(?\s*'([^'.][^']*)'/g,
      )) {
        const name = specifier.startsWith('@')
          ? specifier.split('/').slice(0, 2).join('/')
          : specifier.split('/')[0];
        if (!specifier.startsWith('node:') && !peers.includes(name)) {
          problems.push(`${file}: imports ${specifier}, which is not a peer dependency`);
        }
      }
      // An optional peer is absent for most users: only a dynamic import() of it may appear.
      for (const [, specifier] of text.matchAll(
        /(?:(?<![.\w$])from\s*|^\s*import\s+)'([^'.][^']*)'/gm,
      )) {
        const name = specifier.startsWith('@')
          ? specifier.split('/').slice(0, 2).join('/')
          : specifier.split('/')[0];
        if (optionalPeers.includes(name) && !name.startsWith('@types/')) {
          problems.push(
            `${file}: imports the optional peer dependency ${specifier} statically (use import() where it is needed)`,
          );
        }
      }
    }
  }
  for (const field of ['dependencies', 'optionalDependencies', 'bundleDependencies']) {
    if (manifest[field] && Object.keys(manifest[field]).length) {
      problems.push(`package.json: ${field} (everything the package needs is a peer dependency)`);
    }
  }
  const entries = Object.entries(manifest.exports ?? {}).filter(
    ([key]) => key !== './package.json',
  );
  if (!entries.length) problems.push('package.json: no exports map');
  for (const [key, target] of entries) {
    for (const [condition, path] of Object.entries(target)) {
      if (!files.includes(path.replace(/^\.\//, ''))) {
        problems.push(`exports["${key}"].${condition}: ${path} is not in the tarball`);
      }
    }
  }

  // Every export resolves for a user: install the tarball as they would, import each entry, compile a file
  // that imports each against the declarations.
  if (!problems.length) {
    let app;
    if (installedIn) {
      // An app that installed this tarball already (CI: examples/marketplace after npm ci): check there.
      const installed = JSON.parse(
        readFileSync(join(installedIn, 'node_modules', manifest.name, 'package.json'), 'utf8'),
      );
      if (installed.version !== manifest.version) {
        throw new Error(`${installedIn} has ${manifest.name} ${installed.version} installed`);
      }
      app = join(installedIn, '.package-check');
      run('mkdir', ['-p', app]);
      cleanups.push(app);
    } else {
      app = join(work, 'app');
      run('mkdir', ['-p', app]);
      writeFileSync(
        join(app, 'package.json'),
        JSON.stringify({ name: 'check-nest-stripe-connect', private: true, type: 'module' }),
      );
      run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app });
    }
    const specifiers = entries.map(([key]) => join(manifest.name, key).replace(/\/\.$/, ''));
    const imports = specifiers.map((s, i) => `import * as entry${i} from '${s}';`).join('\n');
    writeFileSync(
      join(app, 'check.mjs'),
      `import 'reflect-metadata';\n${imports}\n` +
        specifiers
          .map(
            (s, i) =>
              `if (!Object.keys(entry${i}).length) throw new Error('${s} exports nothing');\n` +
              `console.log('${s}: ' + Object.keys(entry${i}).length + ' exports');`,
          )
          .join('\n'),
    );
    process.stdout.write(run(process.execPath, ['check.mjs'], { cwd: app }));
    writeFileSync(
      join(app, 'check.ts'),
      `${imports}\nexport const all = [${specifiers.map((_, i) => `entry${i}`).join(', ')}];\n`,
    );
    run(
      process.execPath,
      [
        join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
        '--ignoreConfig',
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2023',
        '--experimentalDecorators',
        '--typeRoots',
        join(root, 'node_modules', '@types'),
        '--types',
        'node',
        'check.ts',
      ],
      { cwd: app },
    );
    console.log(`types of ${specifiers.join(', ')} resolve`);
  }
} catch (error) {
  problems.push(error instanceof Error ? error.message : String(error));
} finally {
  for (const dir of [work, ...cleanups]) rmSync(dir, { recursive: true, force: true });
}

if (problems.length) {
  console.error(`The package ${tarball} is not fit to publish:`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`${tarball}: contents, secrets and exports check out`);
