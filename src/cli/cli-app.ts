import type { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';

/** The library's public API, loaded only by the commands that need it (a token needs none of it). */
export type Library = typeof import('../stripe-connect/index.js');

/**
 * Runs `work` inside the app's context (same configuration, database and Stripe client as the server; pending
 * migrations run first), and closes it. In sandbox mode the embedded sandbox opens the app's state file: stop
 * the app first, as both would write it. Nest, TypeORM and the library load here, on demand.
 */
export async function withAppContext<T>(
  env: Record<string, string | undefined>,
  work: (app: INestApplicationContext, library: Library, config: AppConfig) => Promise<T>,
): Promise<T> {
  const [{ NestFactory }, { AppModule }, { loadConfig }, library] = await Promise.all([
    import('@nestjs/core'),
    import('../app.module.js'),
    import('../config/app-config.js'),
    import('../stripe-connect/index.js'),
  ]);
  const loaded = loadConfig(env);
  // A command never runs queue workers (queued mode): it may still read the queue and replay events.
  const config: AppConfig =
    loaded.webhookProcessing?.mode === 'queued'
      ? { ...loaded, webhookProcessing: { ...loaded.webhookProcessing, workers: false } }
      : loaded;
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    return await work(app, library, config);
  } finally {
    await app.close();
  }
}
