/** The orders service's settings, read once from the environment. */
export interface OrdersServiceConfig {
  port: number;
  host: string;
  /** The demo (the app that owns the tokens), like `http://127.0.0.1:3000`. */
  ownerUrl: string;
  /** An API key of the demo holding `auth:introspect`. */
  apiKey: string;
  /** The demo's Redis, when it has one: revocations in milliseconds, rate limits shared. */
  redisUrl: string | null;
  /** Per user+client rate of `POST /shipments`; `null`: no limit. */
  shipmentRate: string | null;
  /** `OWNER_URL` may be `http://` to another host (a private network with its own protection). */
  allowInsecureHttp: boolean;
}

/** Reads the settings; a missing key fails at start-up with how to make one. */
export function loadOrdersServiceConfig(env: NodeJS.ProcessEnv = process.env): OrdersServiceConfig {
  const apiKey = env.SERVICE_API_KEY ?? '';
  if (apiKey === '') {
    throw new Error(
      'SERVICE_API_KEY is not set: sign in to the demo and create an API key with scopes ["auth:introspect"] ' +
        '(POST /auth/api-keys), then start this service with SERVICE_API_KEY=<the key>.',
    );
  }
  const port = Number(env.PORT ?? 3001);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('PORT must be a port number.');
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    ownerUrl: (env.OWNER_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, ''),
    apiKey,
    redisUrl: env.REDIS_URL ? env.REDIS_URL : null,
    shipmentRate: env.SHIPMENT_RATE === '' ? null : (env.SHIPMENT_RATE ?? '20/m'),
    allowInsecureHttp: env.ALLOW_INSECURE_HTTP === 'true',
  };
}
