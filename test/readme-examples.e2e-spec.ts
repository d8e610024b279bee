/**
 * The TypeScript examples of the READMEs compile, as a user of the package writes them: every ```ts block of
 * README.md, the package's README.md and TESTING.md is a module of its own, compiled with the project's
 * compiler options, `nest-stripe-connect` and `nest-stripe-connect/testing` resolving to the package's two
 * entries (the sources its build packs).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATA_ROOT } from './support/test-database.js';

const root = resolve(import.meta.dirname, '..');
const DOCUMENTS = [
  'README.md',
  'packages/nest-stripe-connect/README.md',
  'packages/nest-stripe-connect/TESTING.md',
];

interface Block {
  document: string;
  line: number;
  code: string;
}

function tsBlocks(document: string): Block[] {
  const text = readFileSync(join(root, document), 'utf8');
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => ({
    document,
    line: text.slice(0, match.index).split('\n').length + 1,
    code: match[1],
  }));
}

describe('the READMEs’ TypeScript examples', () => {
  const dir = join(TEST_DATA_ROOT, `readme-${randomBytes(4).toString('hex')}`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('compile against the package, every import resolving', () => {
    const blocks = DOCUMENTS.flatMap(tsBlocks);
    // The module example, the listener and the testing guide are there, at least.
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    mkdirSync(dir, { recursive: true });
    const files = new Map<string, Block>();
    blocks.forEach((block, i) => {
      const file = join(dir, `${block.document.replace(/\W+/g, '-')}-${i}.ts`);
      writeFileSync(file, block.code);
      files.set(file, block);
    });
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, 'tsconfig.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
    )!;
    const program = ts.createProgram([...files.keys()], {
      ...config.options,
      noEmit: true,
      incremental: false,
      rootDir: undefined,
      paths: {
        'nest-stripe-connect': [join(root, 'src/stripe-connect/index.ts')],
        'nest-stripe-connect/testing': [join(root, 'src/stripe-connect-testing/index.ts')],
      },
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.has(d.file.fileName))
      .map((d) => {
        const block = files.get(d.file!.fileName)!;
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${block.document}:${block.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  }, 120_000);
});
