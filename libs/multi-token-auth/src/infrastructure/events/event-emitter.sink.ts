import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { optionalPeer } from '../../pure/peers/optional-peer';
import type { AuthEventSink } from '../../contracts/events/auth-event-sink.interface';

interface Emitter {
  emit(name: string, payload: object): unknown;
  emitAsync?(name: string, payload: object): Promise<unknown>;
}

type EmitterClass = abstract new (...args: never[]) => Emitter;

/** `EventEmitter2` as @nestjs/event-emitter exports it, or `undefined` when the app does not have the package. */
function emitterClass(): EmitterClass | undefined {
  return optionalPeer<{ EventEmitter2: EmitterClass }>('@nestjs/event-emitter', 'no events are emitted')?.EventEmitter2;
}

/**
 * The default `AuthEventSink`: the app's `EventEmitter2` when it imports `EventEmitterModule`
 * (found once, at the first event), nothing otherwise. @nestjs/event-emitter stays optional: an
 * app without it installs nothing and emits nothing.
 */
@Injectable()
export class EventEmitterSink implements AuthEventSink {
  private readonly logger = new Logger('MultiTokenAuth');
  private emitter?: Emitter;
  private lookedUp = false;

  constructor(private readonly moduleRef: ModuleRef) {}

  emit(name: string, payload: object): void {
    if (!this.lookedUp) {
      this.emitter = this.find();
      this.lookedUp = true;
    }
    if (!this.emitter) return;
    if (!this.emitter.emitAsync) {
      this.emitter.emit(name, payload);
      return;
    }
    // Listeners still run at once; an async one that rejects is logged, never an unhandled rejection.
    this.emitter.emitAsync(name, payload).catch((error: unknown) => {
      this.logger.error(`an event listener failed on ${name}: ${String(error)}`);
    });
  }

  private find(): Emitter | undefined {
    const type = emitterClass();
    if (!type) return undefined;
    try {
      return this.moduleRef.get(type, { strict: false });
    } catch {
      return undefined; // the package is installed, but the app did not import EventEmitterModule
    }
  }
}
