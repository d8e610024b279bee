/**
 * This service in queued mode, as the bench measures it: `service-server.ts` (the real host app) with
 * `webhookProcessing: { mode: 'queued' }`: deliveries are answered once stored and enqueued, and this process's
 * workers (pg-boss) process them. PostgreSQL only (`BENCH_DATABASE_URL`); several of these may share one database.
 * `BENCH_QUEUED_BATCH` and `BENCH_QUEUED_CONCURRENCY` set the option's `batchSize` and `concurrency`
 * (the library's defaults when unset).
 */
process.env.BENCH_WEBHOOK_PROCESSING = 'queued';
await import('./service-server.js');
