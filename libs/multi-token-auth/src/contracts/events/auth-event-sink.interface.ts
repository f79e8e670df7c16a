/**
 * Where the library's events go. The default hands them to @nestjs/event-emitter's `EventEmitter2`
 * when the app imports `EventEmitterModule`, and drops them otherwise; another sink (a queue, an
 * audit table) plugs in with the `eventSink` option.
 *
 * `emit` is called after the change is stored (never for work that was rolled back), synchronously
 * on the request's path: a sink must return at once and must not throw (the library logs and
 * swallows what it throws all the same).
 */
export interface AuthEventSink {
  emit(name: string, payload: object): void;
}

/** Injection token of the event sink. */
export const AuthEventSink = Symbol('AuthEventSink');
