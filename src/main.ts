import 'reflect-metadata';
import { bootstrap } from './bootstrap.js';
import { ConfigError } from './config/app-config.js';

bootstrap(process.env).catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
