import { Logger } from '@nestjs/common';
import { setup } from '../../testing/setup.fixture';
import { CredentialsVerifier } from './credentials.verifier';

describe('CredentialsVerifier: the client IP', () => {
  it('warns once, without the username or password, when a caller leaves the IP out; null (no address) is not warned', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const ctx = await setup();
    try {
      const user = await ctx.createUser('alice', 'correct horse');
      const credentials = ctx.module.get(CredentialsVerifier);
      await credentials.check('alice', 'correct horse', '10.0.0.1');
      await credentials.check('alice', 'correct horse', null);
      await credentials.confirm(user, 'correct horse', null);
      expect(warn).not.toHaveBeenCalled();
      await credentials.check('alice', 'correct horse');
      await credentials.confirm(user, 'correct horse');
      await credentials.check('alice', 'correct horse');
      expect(warn).toHaveBeenCalledTimes(1);
      const message = String(warn.mock.calls[0][0]);
      expect(message).toContain('CredentialsVerifier.check() was called without the client');
      expect(message).toContain('req.ip, or null');
      expect(message).not.toMatch(/alice|correct horse/);
    } finally {
      warn.mockRestore();
      await ctx.close();
    }
  });
});
