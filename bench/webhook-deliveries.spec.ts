import { describe, expect, it } from 'vitest';
import { makeTemplates, planDeliveries, seedDeliveries } from './webhook-deliveries.js';

describe('the webhook bench deliveries', () => {
  it('sends every version of every object once, newer versions at later Stripe times, mostly in order', async () => {
    const templates = await makeTemplates();
    const plan = planDeliveries(templates, {
      type: 'account.updated',
      objects: 200,
      versions: 5,
      hot: false,
    });
    expect(plan.deliveries).toHaveLength(1000);
    expect(new Set(plan.deliveries.map((d) => d.eventId)).size).toBe(1000);
    const times = new Map<string, Map<number, number>>();
    for (const delivery of plan.deliveries) {
      const event = JSON.parse(delivery.payload) as {
        id: string;
        type: string;
        account: string;
        created: number;
        data: { object: { id: string; external_accounts: { data: { id: string }[] } } };
      };
      expect(event.id).toBe(delivery.eventId);
      expect(event.type).toBe('account.updated');
      expect(event.account).toBe(delivery.objectId);
      expect(event.data.object.id).toBe(delivery.objectId);
      expect(event.data.object.external_accounts.data).toHaveLength(1);
      const versions = times.get(delivery.objectId) ?? new Map<number, number>();
      versions.set(delivery.version, event.created);
      times.set(delivery.objectId, versions);
    }
    expect(times.size).toBe(200);
    for (const [id, versions] of times) {
      const created = [1, 2, 3, 4, 5].map((v) => versions.get(v)!);
      expect(created).toEqual([...created].sort((a, b) => a - b));
      expect(new Set(created).size).toBe(5);
      expect(plan.newest.get(id)).toBe(created[4]);
    }
    expect(plan.outOfOrder).toBeGreaterThan(0);
    expect(plan.outOfOrder).toBeLessThan(100);
    // The same seed gives the same sequence.
    const again = planDeliveries(templates, {
      type: 'account.updated',
      objects: 200,
      versions: 5,
      hot: false,
    });
    expect(again.deliveries.map((d) => d.eventId)).toEqual(plan.deliveries.map((d) => d.eventId));
  });

  it('puts customers on their own accounts, or all on one hot account, and seeds those accounts', async () => {
    const templates = await makeTemplates();
    const spread = planDeliveries(templates, {
      type: 'customer.updated',
      objects: 50,
      versions: 2,
      hot: false,
    });
    expect(spread.accountsToSeed).toHaveLength(50);
    const hot = planDeliveries(templates, {
      type: 'customer.updated',
      objects: 50,
      versions: 2,
      hot: true,
    });
    expect(hot.accountsToSeed).toEqual(['acct_benchhot']);
    expect(new Set(hot.deliveries.map((d) => d.accountId))).toEqual(new Set(['acct_benchhot']));
    const event = JSON.parse(hot.deliveries[0].payload) as {
      type: string;
      data: { object: { object: string; id: string } };
    };
    expect(event.type).toBe('customer.updated');
    expect(event.data.object.object).toBe('customer');
    const seeds = seedDeliveries(templates, hot.accountsToSeed);
    expect(seeds).toHaveLength(1);
    expect(JSON.parse(seeds[0].payload)).toMatchObject({
      type: 'account.updated',
      account: 'acct_benchhot',
      data: { object: { id: 'acct_benchhot' } },
    });
  });
});
