import { Injectable } from '@nestjs/common';
import type { TokenLeakedEvent } from '../../contracts/events/auth-event.payloads';
import type { LeakReport } from '../../pure/leaks/leak-report';
import { TokenCodec } from '../../pure/tokens/token.codec';
import { AuthEvents } from '../events/auth-events';
import { TokenIssuer } from './token.issuer';
import { TokenRevoker } from './token.revoker';
import { TokenVerifier } from './token.verifier';

/**
 * Revokes tokens reported leaked: by GitHub's secret scanning or by anyone who holds them (`POST
 * /auth/credentials/revoke`). Each stored token named is revoked (a session of a refresh family
 * with its family) through the same path as a logout, so every instance refuses it at once, and
 * its owner hears of it: `token.revoked` (reason `leaked`) and `token.leaked` with where it was
 * found. A token named twice is handled once; one not of the library's shape costs no query.
 */
@Injectable()
export class LeakedTokenRevoker {
  constructor(
    private readonly codec: TokenCodec,
    private readonly verifier: TokenVerifier,
    private readonly revoker: TokenRevoker,
    private readonly events: AuthEvents,
    private readonly issuer: TokenIssuer,
  ) {}

  /**
   * Revokes every stored token `reports` name, one after another (a store outage stops it with a
   * 503: those before it stay revoked, and a report sent again finishes the rest). Answers, per
   * report, whether the token is of the library's shape (its prefix and checksum, or `legacyTokens`).
   * `reportedFrom`: the address the report came from, for `POST /auth/credentials/revoke`.
   */
  async revokeReported(
    reports: readonly LeakReport[],
    reporter: TokenLeakedEvent['reporter'],
    reportedFrom: string | null,
  ): Promise<boolean[]> {
    const handled = new Map<string, boolean>();
    const ours: boolean[] = [];
    for (const report of reports) {
      const { token } = report;
      let known = token === null ? false : handled.get(token);
      if (known === undefined && token !== null) {
        known = this.codec.isWellFormed(token);
        handled.set(token, known);
        if (known) await this.revokeOne(token, report, { reporter, reportedFrom });
      }
      ours.push(known ?? false);
    }
    return ours;
  }

  private async revokeOne(
    token: string,
    report: LeakReport,
    by: Pick<TokenLeakedEvent, 'reporter' | 'reportedFrom'>,
  ): Promise<void> {
    const record = await this.verifier.find(token);
    if (!record) return;
    const rows = await this.revoker.revokeRows(record.userId, record.id, 'leaked');
    // The row is gone once the event is out: what names the key to its owner travels with it.
    const named = { name: record.name, apiKey: record.clientId === this.issuer.apiKeyClient()?.id };
    const leaked = rows.filter((row) => row.id === record.id);
    this.events.tokensLeaked(leaked, { ...by, ...named, url: report.url, source: report.source, type: report.type });
  }
}
