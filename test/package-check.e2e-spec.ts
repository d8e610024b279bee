/**
 * scripts/check-package.mjs refuses a tarball holding what a user must not get: tarballs made here, each with one
 * flaw beside a well-formed package, are refused naming the flaw (and never echoing a secret).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATA_ROOT } from './support/test-database.js';

const root = resolve(import.meta.dirname, '..');
const work = join(TEST_DATA_ROOT, `package-check-${randomBytes(4).toString('hex')}`);
const manifest = {
  name: 'nest-stripe-connect',
  version: '0.0.0',
  type: 'module',
  exports: {
    '.': { types: './dist/stripe-connect/index.d.ts', default: './dist/stripe-connect/index.js' },
  },
  peerDependencies: { '@nestjs/common': '^12.5.1', stripe: '~23.1.0' },
};
const wellFormed: Record<string, string> = {
  'package.json': JSON.stringify(manifest),
  'README.md': '# nest-stripe-connect\n\nUse any sk_test_ key with the sandbox.\n',
  'dist/stripe-connect/index.js':
    "import { Module } from '@nestjs/common';\nimport Stripe from 'stripe';\nexport { Module, Stripe };\n",
  'dist/stripe-connect/index.d.ts': 'export {};\n',
};

function check(name: string, files: Record<string, string>): { status: number; output: string } {
  const dir = join(work, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, 'package', path)), { recursive: true });
    writeFileSync(join(dir, 'package', path), text);
  }
  const tarball = join(dir, `${name}.tgz`);
  spawnSync('tar', ['-czf', tarball, '-C', dir, 'package']);
  const result = spawnSync(process.execPath, [join(root, 'scripts/check-package.mjs'), tarball], {
    encoding: 'utf8',
  });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

describe('the package check', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each([
    ['a test file', { 'dist/stripe-connect/accounts.spec.js': '' }, 'a test file'],
    ['a test folder', { 'dist/stripe-connect/test/helpers.js': '' }, 'a test folder'],
    ['a TypeScript source', { 'dist/stripe-connect/index.ts': '' }, 'a TypeScript source'],
    ['an env file', { '.env': 'STRIPE_SECRET_KEY=x' }, 'an env file'],
    ['a host source', { 'dist/app.module.js': '' }, 'outside the package'],
    ['the host’s database driver', { 'dist/stripe-connect/pglite-driver.js': '' }, 'PGlite'],
    [
      'a live key',
      { 'dist/stripe-connect/keys.js': `export const k = 'sk_live_${'a'.repeat(24)}';` },
      'a live Stripe key',
    ],
    [
      'a test key shaped like a real one',
      { 'dist/stripe-connect/keys.js': `export const k = 'sk_test_51${'Ab9'.repeat(10)}';` },
      'a Stripe test key',
    ],
    [
      'a webhook secret',
      { 'TESTING.md': `STRIPE_WEBHOOK_SECRET=whsec_${'x7Q'.repeat(11)}` },
      'a webhook signing secret',
    ],
    [
      'an import that is not a peer dependency',
      { 'dist/stripe-connect/db.js': "import { PGlite } from '@electric-sql/pglite';" },
      'imports @electric-sql/pglite',
    ],
    [
      'a static import of an optional peer dependency',
      {
        'package.json': JSON.stringify({
          ...manifest,
          peerDependencies: { ...manifest.peerDependencies, 'pg-boss': '^10.4.2' },
          peerDependenciesMeta: { 'pg-boss': { optional: true } },
        }),
        'dist/stripe-connect/queue.js': "import PgBoss from 'pg-boss';\nexport { PgBoss };\n",
      },
      'imports the optional peer dependency pg-boss statically',
    ],
    [
      'code reading the environment',
      { 'dist/stripe-connect/cli.js': 'const port = process.env.PORT;' },
      'reads process.env',
    ],
    [
      'an export to a missing file',
      {
        'package.json': JSON.stringify({
          ...manifest,
          exports: { ...manifest.exports, './testing': { default: './dist/testing/index.js' } },
        }),
      },
      'exports["./testing"].default',
    ],
  ])('refuses %s', (name, flaw, message) => {
    const result = check(name.replace(/\W+/g, '-'), { ...wellFormed, ...flaw });
    expect(result.status).toBe(1);
    expect(result.output).toContain('is not fit to publish');
    expect(result.output).toContain(message);
    expect(result.output).not.toMatch(/sk_(live|test)_[A-Za-z0-9]{10}|whsec_[A-Za-z0-9]{10}/);
    // The well-formed files beside the flaw are never blamed: only the flaw is.
    for (const file of ['README.md:', 'dist/stripe-connect/index.js:', 'index.d.ts:']) {
      expect(result.output).not.toContain(file);
    }
  });

  it('does not take a method named from or import for an import', () => {
    const result = check('method-calls', {
      ...wellFormed,
      'dist/stripe-connect/bytes.js':
        "export const escape = Buffer.from('\\\\u');\nexport const list = Array.from('abc');\nconst importer = { import: (x) => x };\nimporter.import('lodash');\n",
    });
    expect(result.output).not.toContain('bytes.js');
    expect(result.status).toBe(0);
  });
});
