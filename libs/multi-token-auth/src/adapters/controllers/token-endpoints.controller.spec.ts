import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createPlatformApp, HTTP_PLATFORMS } from '../../testing/platform-app';
import { setup, type Fixture } from '../../testing/setup.fixture';
import { TokenService } from '../../services/tokens/token.service';

/** The RFC endpoints read forms (the RFCs' encoding) and JSON alike, on both HTTP platforms. */
describe.each(HTTP_PLATFORMS)('RFC 7662 / RFC 7009 endpoints on %s', (platform) => {
  let fixture: Fixture;
  let app: INestApplication;
  let service: string;
  let holder: string;

  beforeAll(async () => {
    fixture = await setup({
      mountControllers: true,
      clients: [
        { name: 'web', tokenTtl: 3600 },
        { name: 'api', tokenTtl: null, scopes: ['auth:introspect', 'orders:read'] },
      ],
      apiKeyClient: 'api',
    });
    app = await createPlatformApp(fixture.module, platform);
    const tokens = fixture.module.get(TokenService);
    service = (await tokens.issue(await fixture.createUser('svc'), { client: 'api', scopes: ['auth:introspect'] }))
      .token;
    holder = (await tokens.issue(await fixture.createUser('alice'), { client: 'web' })).token;
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  it('introspects a form body and a JSON body alike', async () => {
    const form = await http()
      .post('/auth/introspect')
      .set('Authorization', `Bearer ${service}`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(`token=${encodeURIComponent(holder)}&token_type_hint=access_token`)
      .expect(200);
    expect(form.body).toMatchObject({ active: true, client_id: 'web', username: 'alice', token_type: 'Bearer' });
    const json = await http()
      .post('/auth/introspect')
      .set('Authorization', `Bearer ${service}`)
      .send({ token: holder });
    expect(json.body).toEqual(form.body);
  });

  it('revokes from a form body: 200, empty, and the token is refused after', async () => {
    const tokens = fixture.module.get(TokenService);
    const doomed = (await tokens.issue(await fixture.createUser(`bob-${platform}`), { client: 'web' })).token;
    const res = await http()
      .post('/auth/revoke')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(`token=${encodeURIComponent(doomed)}`)
      .expect(200);
    expect(res.text).toBe('');
    const after = await http()
      .post('/auth/introspect')
      .set('Authorization', `Bearer ${service}`)
      .send({ token: doomed });
    expect(after.body).toEqual({ active: false });
  });
});
