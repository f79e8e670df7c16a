import { loadOrdersServiceConfig } from './orders-service.config';

describe('the orders service settings', () => {
  it('defaults: the demo on this machine, port 3001, 20 shipments a minute, no Redis', () => {
    expect(loadOrdersServiceConfig({ SERVICE_API_KEY: 'mta_key' })).toEqual({
      port: 3001,
      host: '127.0.0.1',
      ownerUrl: 'http://127.0.0.1:3000',
      apiKey: 'mta_key',
      redisUrl: null,
      shipmentRate: '20/m',
      allowInsecureHttp: false,
    });
  });

  it('reads the environment: an empty rate is no limit, a trailing slash is dropped', () => {
    expect(
      loadOrdersServiceConfig({
        SERVICE_API_KEY: 'mta_key',
        OWNER_URL: 'http://demo:3000/',
        REDIS_URL: 'redis://127.0.0.1:6379',
        SHIPMENT_RATE: '',
        ALLOW_INSECURE_HTTP: 'true',
        PORT: '4000',
      }),
    ).toMatchObject({
      ownerUrl: 'http://demo:3000',
      redisUrl: 'redis://127.0.0.1:6379',
      shipmentRate: null,
      allowInsecureHttp: true,
      port: 4000,
    });
  });

  it('without SERVICE_API_KEY it refuses to start, saying how to make one; a bad port too', () => {
    expect(() => loadOrdersServiceConfig({})).toThrow(/scopes \["auth:introspect"\].*POST \/auth\/api-keys/);
    expect(() => loadOrdersServiceConfig({ SERVICE_API_KEY: 'k', PORT: 'x' })).toThrow('PORT must be a port number.');
  });
});
