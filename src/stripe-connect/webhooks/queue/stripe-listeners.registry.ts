/**
 * The host's listeners of Stripe events, each by a name that is the same on every instance
 * (`ClassName.method`), so queued mode can run and retry each listener of an event as its own job. They are
 * found as @nestjs/event-emitter finds them (methods carrying `@OnEvent`/`@OnStripeEvent` metadata) and matched
 * to an event's name with EventEmitter2's own wildcard rules, so a listener runs for the same events in both modes.
 */
import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { EVENT_LISTENER_METADATA, EventEmitter2 } from '@nestjs/event-emitter';
import { STRIPE_EVENT_PREFIX } from '../on-stripe-event.decorator.js';

export interface StripeListener {
  /** `ClassName.method` (with `#2`, `#3`… when two providers share a class name). */
  name: string;
  run(payload: unknown): Promise<unknown>;
}

type Tagged = ((...args: unknown[]) => void) & { listener?: StripeListener };

@Injectable()
export class StripeListenersRegistry {
  private readonly logger = new Logger(StripeListenersRegistry.name);
  private readonly byName = new Map<string, StripeListener>();
  private matcher?: EventEmitter2;
  private readonly cache = new Map<string, string[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /** Finds the listeners (once the app's providers exist), matching with the host emitter's delimiter. */
  load(hostEmitter: EventEmitter2 | undefined): void {
    const delimiter = (hostEmitter as { delimiter?: string } | undefined)?.delimiter ?? '.';
    const matcher = new EventEmitter2({ wildcard: true, delimiter, maxListeners: 0 });
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    for (const wrapper of wrappers) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || wrapper.isAlias) continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = instance[method];
        if (typeof handler !== 'function') continue;
        const metadata = this.reflector.get<{ event: unknown } | { event: unknown }[] | undefined>(
          EVENT_LISTENER_METADATA,
          handler,
        );
        if (!metadata) continue;
        if (!wrapper.isDependencyTreeStatic()) {
          this.logger.warn(
            `${instance.constructor.name}.${method}: request-scoped listeners are not run in queued mode`,
          );
          continue;
        }
        const listener = this.named(`${instance.constructor.name}.${method}`, (payload) =>
          Promise.resolve((handler as (p: unknown) => unknown).call(instance, payload)),
        );
        for (const { event } of Array.isArray(metadata) ? metadata : [metadata]) {
          const tagged: Tagged = () => undefined;
          tagged.listener = listener;
          matcher.on(event as string, tagged);
        }
      }
    }
    this.matcher = matcher;
    this.cache.clear();
  }

  private named(base: string, run: StripeListener['run']): StripeListener {
    let name = base;
    for (let n = 2; this.byName.has(name); n += 1) name = `${base}#${n}`;
    const listener = { name, run };
    this.byName.set(name, listener);
    return listener;
  }

  /** The names of the listeners of a Stripe event type, in registration order, each once. */
  listenersOf(type: string): string[] {
    let names = this.cache.get(type);
    if (!names) {
      const found = (this.matcher?.listeners(`${STRIPE_EVENT_PREFIX}.${type}`) ?? []) as Tagged[];
      names = [...new Set(found.flatMap((f) => (f.listener ? [f.listener.name] : [])))];
      this.cache.set(type, names);
    }
    return names;
  }

  /** Whether any listener is registered (no listener: no listener job is ever enqueued). */
  get any(): boolean {
    return this.byName.size > 0;
  }

  find(name: string): StripeListener | undefined {
    return this.byName.get(name);
  }
}
