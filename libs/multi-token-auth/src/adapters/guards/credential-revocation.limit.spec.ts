import { RateLimitedException } from '../../contracts/errors/rate-limited.exception';
import { resolveOptions } from '../../pure/options/multi-token-auth.defaults';
import { MemoryThrottlerStorage } from '../../infrastructure/throttling/memory-throttler.storage';
import { TestUser } from '../../testing/test-user.entity';
import { CredentialRevocationLimit } from './credential-revocation.limit';

/** `credentialRevocation.perIp`, counted as the login limits count addresses. */
describe('CredentialRevocationLimit', () => {
  const limit = (perIp: string | null) =>
    new CredentialRevocationLimit(
      new MemoryThrottlerStorage(),
      resolveOptions({ user: { entity: TestUser }, credentialRevocation: { perIp } }),
    );
  const call = (check: CredentialRevocationLimit, ip: string) => {
    const headers: Record<string, string> = {};
    return check
      .check(
        { headers: {}, ip },
        { setHeader: (name: string, value: string | string[]) => (headers[name] = String(value)) },
      )
      .then(() => headers);
  };

  it('counts an IPv6 /64 as one client, and every spelling of an IPv4 address alike', async () => {
    const check = limit('2/m');
    await call(check, '2001:db8:1:2::1');
    await call(check, '2001:db8:1:2:ffff::9');
    await expect(call(check, '2001:db8:1:2::77')).rejects.toBeInstanceOf(RateLimitedException);
    expect((await call(check, '2001:db8:1:3::1'))['X-RateLimit-Remaining']).toBe('1');
    await call(check, '10.7.7.7');
    await call(check, '::ffff:10.7.7.7');
    await expect(call(check, '10.7.7.7')).rejects.toBeInstanceOf(RateLimitedException);
  });

  it('counts values that are not addresses each as themselves, not in one shared bucket', async () => {
    const check = limit('1/m');
    await call(check, 'unknown');
    await expect(call(check, 'unknown')).rejects.toBeInstanceOf(RateLimitedException);
    await call(check, '_hidden');
  });

  it('perIp null: no limit, no headers', async () => {
    const check = limit(null);
    for (let i = 0; i < 5; i++) expect(await call(check, '10.0.0.1')).toEqual({});
  });
});
