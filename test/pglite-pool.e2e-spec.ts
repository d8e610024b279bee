/** The one-connection PGlite pool itself, on a fresh PGlite database whatever the run's database is. */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PglitePool } from '../src/database/pglite-driver.js';
import { TEST_DATA_ROOT } from './support/test-database.js';

describe('PglitePool', () => {
  let dir: string;
  let pool: PglitePool;

  beforeAll(async () => {
    await import('node:fs/promises').then((fs) => fs.mkdir(TEST_DATA_ROOT, { recursive: true }));
    dir = await mkdtemp(join(TEST_DATA_ROOT, 'pool-'));
    pool = new PglitePool({ dataDir: join(dir, 'nested', 'db') });
    await pool.query('CREATE TABLE items (id int PRIMARY KEY, big bigint, price numeric(10,2))');
  });
  afterAll(async () => {
    await pool.end();
    await rm(dir, { recursive: true, force: true });
  });

  it('lends its one connection to one holder at a time, in arrival order', async () => {
    const order: string[] = [];
    const first = await pool.connect();
    const second = pool.connect().then((client) => {
      order.push('second');
      client.release();
    });
    const third = pool.connect().then((client) => {
      order.push('third');
      client.release();
    });
    await sleep(20);
    order.push('first releases');
    first.release();
    await Promise.all([second, third]);
    expect(order).toEqual(['first releases', 'second', 'third']);
  });

  it('rolls back a transaction its holder let go of without ending it', async () => {
    const client = await pool.connect();
    await client.query('BEGIN');
    await client.query('INSERT INTO items (id) VALUES (1)');
    client.release();
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM items WHERE id = 1');
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('answers as pg does: rowCount, command, int8 and numeric as strings', async () => {
    const inserted = await pool.query('INSERT INTO items (id, big, price) VALUES ($1, $2, $3)', [
      2,
      '9007199254740993',
      '12.30',
    ]);
    expect(inserted).toMatchObject({ command: 'INSERT', rowCount: 1 });
    const updated = await pool.query('UPDATE items SET price = price + 1 WHERE id >= $1', [0]);
    expect(updated).toMatchObject({ command: 'UPDATE', rowCount: 1 });
    const { rows } = await pool.query('SELECT big, price FROM items WHERE id = 2');
    expect(rows).toEqual([{ big: '9007199254740993', price: '13.30' }]);
  });

  it('keeps serving after a failed query and reports the error to its caller', async () => {
    await expect(pool.query('SELECT * FROM missing_table')).rejects.toThrow(/missing_table/);
    const { rows } = await pool.query('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);
  });
});
