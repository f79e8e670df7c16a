import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getRepositoryToken } from '@nestjs/typeorm';
import { Clock, ManualClock, issueTestToken } from 'nestjs-multi-token-auth/testing';
import request from 'supertest';
import type { Repository } from 'typeorm';
import { AppModule } from '../src/app.module.js';
import { User } from '../src/user.entity.js';

describe('the profile routes', () => {
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  let app: INestApplication;
  let alice: User;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(Clock) // the library's every expiry, createdAt and lastUsedAt read this clock
      .useValue(clock)
      .compile();
    app = moduleRef.createNestApplication();
    await app.init();
    const users = app.get<Repository<User>>(getRepositoryToken(User));
    alice = await users.save(users.create({ username: 'alice', passwordHash: 'unused: no password login here' }));
  });
  afterAll(() => app.close());

  it('GET /me answers with the user and client of the token', async () => {
    const { authorization } = await issueTestToken(app, alice, { client: 'web' });
    await request(app.getHttpServer())
      .get('/me')
      .set('Authorization', authorization)
      .expect(200, { id: alice.id, username: 'alice', client: 'web' });
  });

  it('GET /billing refuses a mobile token', async () => {
    const { authorization } = await issueTestToken(app, alice, { client: 'mobile' });
    const res = await request(app.getHttpServer()).get('/billing').set('Authorization', authorization).expect(403);
    expect(res.body.code).toBe('client_not_allowed');
  });

  it('a web token ends after its tokenTtl, one day', async () => {
    const { authorization } = await issueTestToken(app, alice, { client: 'web' });
    clock.advance(86_400_000 - 1);
    await request(app.getHttpServer()).get('/me').set('Authorization', authorization).expect(200);
    clock.advance(1);
    const res = await request(app.getHttpServer()).get('/me').set('Authorization', authorization).expect(401);
    expect(res.body.code).toBe('token_expired');
  });
});
