import { describe, expect, it } from 'vitest';
import { resolveWebhookProcessing } from './webhook-processing.options.js';

describe('resolveWebhookProcessing', () => {
  it('is inline by default and when asked', () => {
    const problems: string[] = [];
    expect(resolveWebhookProcessing(undefined, problems)).toEqual({ mode: 'inline' });
    expect(resolveWebhookProcessing({ mode: 'inline', batchSize: 5 }, problems)).toEqual({
      mode: 'inline',
    });
    expect(problems).toEqual([]);
  });

  it('applies the queued defaults and keeps what is given', () => {
    const problems: string[] = [];
    expect(resolveWebhookProcessing({ mode: 'queued' }, problems)).toEqual({
      mode: 'queued',
      workers: true,
      batchSize: 250,
      concurrency: 2,
      pollIntervalMs: 250,
      retryLimit: 5,
      retryDelaySeconds: 2,
      expireInSeconds: 300,
      schema: 'pgboss',
    });
    expect(
      resolveWebhookProcessing(
        { mode: 'queued', workers: false, batchSize: 10, retryLimit: 0, schema: 'jobs' },
        problems,
      ),
    ).toMatchObject({ workers: false, batchSize: 10, retryLimit: 0, schema: 'jobs' });
    expect(problems).toEqual([]);
  });

  it('names every bad setting', () => {
    const problems: string[] = [];
    resolveWebhookProcessing({ mode: 'later' as 'queued' }, problems);
    resolveWebhookProcessing(
      {
        mode: 'queued',
        batchSize: 0,
        concurrency: 1.5,
        retryDelaySeconds: -1,
        schema: 'Robert"; DROP',
        workers: 'yes' as unknown as boolean,
      },
      problems,
    );
    expect(problems).toEqual([
      "webhookProcessing.mode must be 'inline' or 'queued'",
      'webhookProcessing.schema must be a lower-case PostgreSQL identifier',
      'webhookProcessing.workers must be true or false',
      'webhookProcessing.batchSize must be an integer from 1 to 1000',
      'webhookProcessing.concurrency must be an integer from 1 to 32',
      'webhookProcessing.retryDelaySeconds must be an integer from 1 to 3600',
    ]);
  });
});
