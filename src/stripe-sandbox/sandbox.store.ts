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

export class SandboxStore {
  private readonly objects = new Map<string, StoredObject>();
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
    this.objects.set(id, stored);
    this.write({ t: 'obj', o: stored });
    return stored;
  }

  save<T extends object>(stored: StoredObject<T>): void {
    this.objects.set(stored.id, stored);
    this.write({ t: 'obj', o: stored });
  }

  remove(id: string): void {
    this.objects.delete(id);
    this.write({ t: 'del', id });
  }

  /** Objects of a kind, newest first. */
  list<T extends object>(
    kind: string,
    where: (o: StoredObject<T>) => boolean = () => true,
  ): StoredObject<T>[] {
    const out: StoredObject<T>[] = [];
    for (const stored of this.objects.values()) {
      if (stored.kind === kind && where(stored as StoredObject<T>))
        out.push(stored as StoredObject<T>);
    }
    return out.sort((a, b) => b.seq - a.seq);
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
    if (this.file) appendFileSync(this.file, `${JSON.stringify(line)}\n`);
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
          this.objects.set(line.o.id, line.o);
          this.seq = Math.max(this.seq, line.o.seq);
          break;
        case 'del':
          this.objects.delete(line.id);
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
