/**
 * The sandbox's state: every object it holds, idempotency records, scheduled work and its clock offset.
 * In memory, and, given a file, journaled to it one JSON line per change (rewritten compactly at start), so a
 * restarted sandbox holds exactly what it held before.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';

export interface StoredObject<T extends object = object> {
  id: string;
  kind: string;
  /** The connected account the object lives on; null for the platform's own objects. */
  scope: string | null;
  /** Creation order: lists are newest first by it. */
  seq: number;
  data: T;
}

export interface IdempotencyRecord {
  fingerprint: string;
  status: number;
  body: unknown;
  createdAt: number;
}

export interface ScheduledTask {
  id: string;
  /** Sandbox time (unix seconds) at which the task falls due. */
  at: number;
  type: string;
  payload: Record<string, unknown>;
}

type JournalLine =
  | { t: 'obj'; o: StoredObject }
  | { t: 'del'; id: string }
  | { t: 'idem'; k: string; r: IdempotencyRecord }
  | { t: 'task'; task: ScheduledTask }
  | { t: 'task-done'; id: string }
  | { t: 'meta'; key: string; value: unknown };

/** The ids of one kind in creation order (ascending `seq`), for newest-first pages without sorting. */
class KindOrder {
  readonly ids: string[] = [];
  readonly seqs: number[] = [];

  add(id: string, seq: number): void {
    const last = this.seqs.length ? this.seqs[this.seqs.length - 1] : -Infinity;
    if (seq > last) {
      this.ids.push(id);
      this.seqs.push(seq);
      return;
    }
    const at = this.position(seq);
    if (this.seqs[at] === seq && this.ids[at] === id) return;
    this.ids.splice(at, 0, id);
    this.seqs.splice(at, 0, seq);
  }

  /** The first position whose seq is at least `seq`. */
  position(seq: number): number {
    let low = 0;
    let high = this.seqs.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.seqs[mid] < seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

export class SandboxStore {
  private readonly objects = new Map<string, StoredObject>();
  /** Objects by kind, and by kind and scope (the account they live on): lists never scan everything. */
  private readonly byKind = new Map<string, Map<string, StoredObject>>();
  private readonly byScope = new Map<string, Map<string, StoredObject>>();
  private readonly order = new Map<string, KindOrder>();
  /** While a batch runs, journal lines are kept and written at once at its end. */
  private pending?: string[];
  private readonly idempotency = new Map<string, IdempotencyRecord>();
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly meta = new Map<string, unknown>();
  private seq = 0;

  constructor(private readonly file?: string) {
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file)) this.replay(readFileSync(file, 'utf8'));
    this.compact();
  }

  // ---- objects

  get<T extends object>(id: string): StoredObject<T> | undefined {
    return this.objects.get(id) as StoredObject<T> | undefined;
  }

  insert<T extends object>(
    kind: string,
    scope: string | null,
    id: string,
    data: T,
  ): StoredObject<T> {
    const stored: StoredObject<T> = { id, kind, scope, seq: ++this.seq, data };
    this.put(stored);
    this.write({ t: 'obj', o: stored });
    return stored;
  }

  save<T extends object>(stored: StoredObject<T>): void {
    this.put(stored);
    this.write({ t: 'obj', o: stored });
  }

  remove(id: string): void {
    this.unindex(id);
    this.write({ t: 'del', id });
  }

  /** Objects of a kind, newest first. */
  list<T extends object>(
    kind: string,
    where: (o: StoredObject<T>) => boolean = () => true,
  ): StoredObject<T>[] {
    return newestFirst(this.byKind.get(kind), where);
  }

  /** Objects of a kind living on one account (`scope`; null for the platform's), newest first. */
  listScoped<T extends object>(
    kind: string,
    scope: string | null,
    where: (o: StoredObject<T>) => boolean = () => true,
  ): StoredObject<T>[] {
    return newestFirst(this.byScope.get(scopeKey(kind, scope)), where);
  }

  /**
   * Objects of a kind one by one, newest first, starting just older than `beforeSeq` (or newer than
   * `afterSeq`, oldest first): a page is read without listing the whole kind.
   */
  *walk<T extends object>(
    kind: string,
    from: { beforeSeq?: number; afterSeq?: number } = {},
  ): Generator<StoredObject<T>> {
    const order = this.order.get(kind);
    if (!order) return;
    const live = (i: number): StoredObject<T> | undefined => {
      const stored = this.objects.get(order.ids[i]);
      return stored && stored.kind === kind && stored.seq === order.seqs[i]
        ? (stored as StoredObject<T>)
        : undefined;
    };
    if (from.afterSeq !== undefined) {
      for (let i = order.position(from.afterSeq + 1); i < order.ids.length; i += 1) {
        const stored = live(i);
        if (stored) yield stored;
      }
      return;
    }
    const start =
      from.beforeSeq !== undefined ? order.position(from.beforeSeq) - 1 : order.ids.length - 1;
    for (let i = start; i >= 0; i -= 1) {
      const stored = live(i);
      if (stored) yield stored;
    }
  }

  /** Runs `work` with the journal's lines written once at its end (seeding thousands of objects). */
  batch<T>(work: () => T): T {
    if (this.pending) return work();
    this.pending = [];
    try {
      return work();
    } finally {
      const lines = this.pending;
      this.pending = undefined;
      if (this.file && lines.length) appendFileSync(this.file, lines.join(''));
    }
  }

  private put(stored: StoredObject): void {
    const previous = this.objects.get(stored.id);
    if (previous && (previous.kind !== stored.kind || previous.scope !== stored.scope))
      this.unindex(stored.id);
    this.objects.set(stored.id, stored);
    let kind = this.byKind.get(stored.kind);
    if (!kind) this.byKind.set(stored.kind, (kind = new Map<string, StoredObject>()));
    kind.set(stored.id, stored);
    const key = scopeKey(stored.kind, stored.scope);
    let scoped = this.byScope.get(key);
    if (!scoped) this.byScope.set(key, (scoped = new Map<string, StoredObject>()));
    scoped.set(stored.id, stored);
    let order = this.order.get(stored.kind);
    if (!order) this.order.set(stored.kind, (order = new KindOrder()));
    if (!previous || previous.seq !== stored.seq || previous.kind !== stored.kind)
      order.add(stored.id, stored.seq);
  }

  private unindex(id: string): void {
    const stored = this.objects.get(id);
    if (!stored) return;
    this.objects.delete(id);
    this.byKind.get(stored.kind)?.delete(id);
    this.byScope.get(scopeKey(stored.kind, stored.scope))?.delete(id);
  }

  // ---- idempotency

  getIdempotency(key: string): IdempotencyRecord | undefined {
    return this.idempotency.get(key);
  }

  putIdempotency(key: string, record: IdempotencyRecord): void {
    this.idempotency.set(key, record);
    this.write({ t: 'idem', k: key, r: record });
  }

  // ---- scheduled work

  schedule(task: ScheduledTask): void {
    this.tasks.set(task.id, task);
    this.write({ t: 'task', task });
  }

  complete(taskId: string): void {
    if (this.tasks.delete(taskId)) this.write({ t: 'task-done', id: taskId });
  }

  /** Tasks due at `now`, earliest first. */
  due(now: number): ScheduledTask[] {
    return [...this.tasks.values()].filter((task) => task.at <= now).sort((a, b) => a.at - b.at);
  }

  // ---- metadata (clock offset, platform account)

  getMeta<T>(key: string): T | undefined {
    return this.meta.get(key) as T | undefined;
  }

  setMeta(key: string, value: unknown): void {
    this.meta.set(key, value);
    this.write({ t: 'meta', key, value });
  }

  // ---- persistence

  private write(line: JournalLine): void {
    if (!this.file) return;
    if (this.pending) this.pending.push(`${JSON.stringify(line)}\n`);
    else appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }

  private replay(text: string): void {
    for (const raw of text.split('\n')) {
      if (!raw.trim()) continue;
      let line: JournalLine;
      try {
        line = JSON.parse(raw) as JournalLine;
      } catch {
        continue; // a line cut short by a crash: everything before it stands
      }
      switch (line.t) {
        case 'obj':
          this.put(line.o);
          this.seq = Math.max(this.seq, line.o.seq);
          break;
        case 'del':
          this.unindex(line.id);
          break;
        case 'idem':
          this.idempotency.set(line.k, line.r);
          break;
        case 'task':
          this.tasks.set(line.task.id, line.task);
          break;
        case 'task-done':
          this.tasks.delete(line.id);
          break;
        case 'meta':
          this.meta.set(line.key, line.value);
          break;
      }
    }
  }

  /** Rewrites the journal as one line per live record, atomically. */
  private compact(): void {
    if (!this.file) return;
    const lines: JournalLine[] = [
      ...[...this.meta].map(([key, value]) => ({ t: 'meta', key, value }) as const),
      ...[...this.objects.values()]
        .sort((a, b) => a.seq - b.seq)
        .map((o) => ({ t: 'obj', o }) as const),
      ...[...this.idempotency].map(([k, r]) => ({ t: 'idem', k, r }) as const),
      ...[...this.tasks.values()].map((task) => ({ t: 'task', task }) as const),
    ];
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    renameSync(temp, this.file);
  }
}

function scopeKey(kind: string, scope: string | null): string {
  return `${kind}\u0000${scope ?? ''}`;
}

/** The objects of one index that `where` keeps, newest first (by `seq`, whatever the insertion order). */
function newestFirst<T extends object>(
  objects: Map<string, StoredObject> | undefined,
  where: (o: StoredObject<T>) => boolean,
): StoredObject<T>[] {
  if (!objects) return [];
  const out: StoredObject<T>[] = [];
  let ordered = true;
  for (const stored of objects.values()) {
    if (!where(stored as StoredObject<T>)) continue;
    if (out.length && out[out.length - 1].seq > stored.seq) ordered = false;
    out.push(stored as StoredObject<T>);
  }
  return ordered ? out.reverse() : out.sort((a, b) => b.seq - a.seq);
}
