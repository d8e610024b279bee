import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { FormValidationError } from './stripe-connect.errors.js';

/** What a repository needs to page: a size, a cursor, a time window. */
export interface PageRequest {
  limit: number;
  startingAfter?: string;
  createdFrom?: Date;
  createdTo?: Date;
}

/** One page of a newest-first list, and whether older rows follow. */
export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

/** `{ limit, startingAfter, createdFrom, createdTo }` from a list query's strings (times checked by the DTO). */
export function pageRequestOf(query: {
  limit?: number;
  startingAfter?: string;
  createdFrom?: string;
  createdTo?: string;
}): PageRequest {
  const time = (value: string | undefined, field: string): Date | undefined => {
    if (value === undefined) return undefined;
    const date = /^\d+$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
    if (Number.isNaN(date.getTime()))
      throw new FormValidationError({ [field]: [`${field} is not a valid time`] });
    return date;
  };
  return {
    limit: query.limit ?? 10,
    startingAfter: query.startingAfter,
    createdFrom: time(query.createdFrom, 'createdFrom'),
    createdTo: time(query.createdTo, 'createdTo'),
  };
}

/**
 * Runs `query` as one page, newest first by `(orderColumn, id)`: the rows strictly after the cursor's row in
 * that order, at most `limit`, and `hasMore`. The cursor must be a row of `scope` (the rows the caller may
 * see, before the list's own filters; the whole table when not given): any other id is a 400 on
 * `startingAfter`, whether or not it exists, so that a cursor tells nobody of rows they cannot see.
 * `orderColumn` is a column name of the table (`created_at`, `received_at`).
 */
export async function pageOf<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  page: PageRequest,
  options: { orderColumn?: string; scope?: SelectQueryBuilder<T> } = {},
): Promise<Page<T>> {
  const alias = query.alias;
  const table = query.expressionMap.mainAlias!.metadata.tablePath;
  const orderColumn = options.orderColumn ?? 'created_at';
  const column = `"${alias}"."${orderColumn}"`;
  if (page.startingAfter) {
    const lookup = options.scope
      ? options.scope.clone().andWhere(`"${alias}"."id" = :cursor`)
      : query.connection.createQueryBuilder().from(table, alias).where(`"${alias}"."id" = :cursor`);
    const found = await lookup
      .select('1')
      .setParameter('cursor', page.startingAfter)
      .getRawOne<Record<string, unknown>>();
    if (!found) {
      throw new FormValidationError({
        startingAfter: [`No such object in this list: ${page.startingAfter}`],
      });
    }
    query.andWhere(
      `(${column}, "${alias}"."id") < (SELECT c."${orderColumn}", c."id" FROM "${table}" c WHERE c."id" = :cursor)`,
      { cursor: page.startingAfter },
    );
  }
  if (page.createdFrom)
    query.andWhere(`${column} >= :createdFrom`, { createdFrom: page.createdFrom });
  if (page.createdTo) query.andWhere(`${column} < :createdTo`, { createdTo: page.createdTo });
  const rows = await query
    .orderBy(column, 'DESC')
    .addOrderBy(`"${alias}"."id"`, 'DESC')
    .limit(page.limit + 1)
    .getMany();
  return { data: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}
