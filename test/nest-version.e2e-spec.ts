/**
 * Guards the two-majors set-up: `npm test` must run on NestJS 11 and `npm run test:nest12` on
 * NestJS 12. If the overlay's module mapping broke, the "Nest 12" run would silently test Nest 11.
 */
describe('the NestJS major under test', () => {
  it('is the one this run was started for', () => {
    // require(), not import: the mapping to the Nest 12 overlay applies to the path as written.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { version } = require('@nestjs/core/package.json') as { version: string };
    expect(version.split('.')[0]).toBe(process.env.EXPECT_NEST_MAJOR ?? '11');
  });
});
