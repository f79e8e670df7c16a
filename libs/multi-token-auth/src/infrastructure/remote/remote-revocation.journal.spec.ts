import { OwnerUnavailableError, type OwnerClient } from './owner.client';
import { RemoteRevocationJournal } from './remote-revocation.journal';

/** The owner's feed as the journal follower reads it, over a stand-in owner. */
describe('RemoteRevocationJournal', () => {
  const feed = (answers: Record<string, unknown>) => {
    const urls: string[] = [];
    const owner = {
      read: (url: string) => {
        urls.push(url);
        return url in answers ? Promise.resolve(answers[url]) : Promise.reject(new OwnerUnavailableError(url));
      },
    } as unknown as OwnerClient;
    return { journal: new RemoteRevocationJournal(owner, 'http://o/auth/revocations', 2000), urls };
  };

  it('head and then positions in one read; entries after a position and within ranges', async () => {
    const entry = { position: 4, digest: 'a'.repeat(64), userId: null };
    const { journal, urls } = feed({
      'http://o/auth/revocations': { head: 5, positions: [1, 4, 5] },
      'http://o/auth/revocations?after=3&limit=1000': { entries: [entry, { position: 5, digest: null, userId: '7' }] },
      'http://o/auth/revocations?within=2-3,6-6': { entries: [] },
    });
    expect(await journal.head()).toBe(5);
    expect(await journal.positions(5)).toEqual([1, 4, 5]);
    expect(await journal.positions(4)).toEqual([1, 4]);
    expect(await journal.after(3, 1000)).toEqual([entry, { position: 5, digest: null, userId: '7' }]);
    expect(
      await journal.within([
        [2, 3],
        [6, 6],
      ]),
    ).toEqual([]);
    expect(await journal.within([])).toEqual([]);
    await expect(journal.prune()).resolves.toBeUndefined();
    expect(urls.filter((url) => url === 'http://o/auth/revocations')).toHaveLength(2);
  });

  it.each([
    ['no positions', { head: 5 }],
    ['a negative head', { head: -1, positions: [] }],
    ['a fractional position', { head: 5, positions: [1.5] }],
  ])('a feed answer with %s is an outage (the follower lets its freshness lapse)', async (_name, answer) => {
    const { journal } = feed({ 'http://o/auth/revocations': answer });
    await expect(journal.head()).rejects.toBeInstanceOf(OwnerUnavailableError);
  });

  it('entries that are not a list, or a position that is not a number, are an outage', async () => {
    const { journal } = feed({
      'http://o/auth/revocations?after=0&limit=10': { entries: 'none' },
      'http://o/auth/revocations?after=1&limit=10': { entries: [{ position: 'x' }] },
    });
    await expect(journal.after(0, 10)).rejects.toBeInstanceOf(OwnerUnavailableError);
    await expect(journal.after(1, 10)).rejects.toBeInstanceOf(OwnerUnavailableError);
  });
});
