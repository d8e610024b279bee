/**
 * `npm run openapi`: writes the REST contract as the app serves it at `/docs-json` to `openapi.json`, so that
 * review sees every change to it (a test fails when the committed file and the app disagree).
 */
import 'reflect-metadata';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { buildOpenApiDocument, configureApp } from './app.setup.js';

export async function writeOpenApiDocument(target: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'nsc-openapi-'));
  try {
    const app = await NestFactory.create(
      AppModule.forRoot({
        port: 0,
        trustedProxies: [],
        onboarding: { publicUrl: 'http://localhost:3000' },
        dataDir: dir,
        database: { kind: 'pglite', dataDir: join(dir, 'pglite') },
        stripe: { kind: 'unavailable', reason: 'generating the OpenAPI document' },
        auth: { jwtSecret: 'openapi-openapi-openapi-openapi-openapi', developmentSecret: false },
      }),
      { rawBody: true, logger: ['error'] },
    );
    configureApp(app);
    await app.init();
    await writeFile(target, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
    await app.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  writeOpenApiDocument(process.argv[2] ?? 'openapi.json').then(
    () => console.log('openapi.json written'),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
