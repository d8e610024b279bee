import { describe, expect, it } from 'vitest';
import { SchemaChecker, type OpenApiSchema } from './schema-check.js';

const schemas: Record<string, OpenApiSchema> = {
  thing: {
    type: 'object',
    required: ['id', 'object', 'status', 'owner'],
    properties: {
      id: { type: 'string' },
      object: { type: 'string', enum: ['thing'] },
      status: { type: 'string', enum: ['new', 'done'] },
      count: { type: 'integer' },
      note: { type: 'string', nullable: true },
      tags: { type: 'array', items: { type: 'string' } },
      owner: { anyOf: [{ type: 'string' }, { $ref: '#/components/schemas/owner' }] },
    },
  },
  owner: {
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string' }, active: { type: 'boolean' } },
  },
};

describe('SchemaChecker', () => {
  const checker = new SchemaChecker(schemas, { absentAllowed: new Set() });

  it('accepts a conforming value, with properties newer than the spec', () => {
    expect(
      checker.check(
        {
          id: 't1',
          object: 'thing',
          status: 'new',
          count: 3,
          note: null,
          tags: ['a'],
          owner: { name: 'o', active: true },
          brand_new: 1,
        },
        'thing',
      ),
    ).toEqual([]);
    expect(
      checker.check({ id: 't1', object: 'thing', status: 'done', owner: 'own_1' }, 'thing'),
    ).toEqual([]);
  });

  it('reports absent required properties, wrong types, enum values and nulls', () => {
    const found = checker
      .check(
        { id: 5, object: 'thing', status: 'lost', count: 1.5, tags: [1], owner: { active: 'yes' } },
        'thing',
      )
      .map((v) => v.path);
    expect(found.sort()).toEqual(
      ['thing.count', 'thing.id', 'thing.owner', 'thing.status', 'thing.tags[0]'].sort(),
    );
    expect(checker.check({ id: 't', object: 'thing', status: null, owner: 'o' }, 'thing')).toEqual([
      { path: 'thing.status', message: 'is null, which the spec does not allow' },
    ]);
  });

  it('allows absent only what it is told to', () => {
    const lenient = new SchemaChecker(schemas, { absentAllowed: new Set(['thing.owner']) });
    expect(lenient.check({ id: 't', object: 'thing', status: 'new' }, 'thing')).toEqual([]);
    expect(checker.check({ id: 't', object: 'thing', status: 'new' }, 'thing')).toHaveLength(1);
  });
});
