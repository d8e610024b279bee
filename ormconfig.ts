/**
 * The DataSource for the TypeORM CLI (`npm run migration:generate`, `npm run migration:run`): the same
 * database the app would use, from DATABASE_URL or else PGlite in PGLITE_DIR (default ./.data).
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from './src/config/app-config.js';
import { buildDataSourceOptions } from './src/database/data-source-options.js';

export default new DataSource(buildDataSourceOptions(loadDatabaseConfig(process.env)));
