import { Controller, Get, Header, Inject, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { TokenNotFoundException } from '../../contracts/errors/not-found.exceptions';
import type { JournalEntry } from '../../infrastructure/storage/revocation.journal';
import { RevocationJournal } from '../../infrastructure/storage/revocation.journal';
import { RequireGrantedScopes } from '../../pure/decorators/require-scopes.decorator';
import { feedQuery } from '../dto/revocation-feed-query.dto';
import { MultiTokenAuthGuard } from '../guards/multi-token-auth.guard';
import { RouteErrorsInterceptor } from '../http/route-errors.interceptor';
import { ApiRoute, ApiRouteGroup } from '../openapi/api-route.decorator';
import { REVOCATIONS_ROUTE } from '../openapi/revocation-feed.docs';
import { INTROSPECT_SCOPE } from './token-endpoints.controller';

/** One read of the feed: where the journal stands (with every position kept up to it), or entries. */
export interface FeedAnswer {
  head?: number;
  positions?: number[];
  entries?: JournalEntry[];
}

/**
 * The owner's revocation journal for its resource servers (`forResourceServer()`), read by the
 * same follower an instance runs: what ended, by position (a token's digest, a user's id, or
 * "everything"), so that a service that caches verified tokens refuses a revoked one within a
 * second whatever else fails. Read with the same API key as introspection (`auth:introspect` by
 * name). Every read is by the primary key (a head read: two, the head and the positions kept).
 */
@ApiRouteGroup('token endpoints')
@Controller()
@UseGuards(MultiTokenAuthGuard)
@UseInterceptors(RouteErrorsInterceptor)
export class RevocationFeedController {
  constructor(@Inject(RevocationJournal) private readonly journal: RevocationJournal | null) {}

  @ApiRoute(REVOCATIONS_ROUTE)
  @RequireGrantedScopes(INTROSPECT_SCOPE)
  @Get('revocations')
  @Header('Cache-Control', 'no-store')
  async read(@Query() query: Record<string, unknown>): Promise<FeedAnswer> {
    const asked = feedQuery(query);
    const journal = this.journal;
    if (!journal) throw new TokenNotFoundException('revocation_feed_unavailable');
    if (asked.kind === 'after') return { entries: await journal.after(asked.after, asked.limit) };
    if (asked.kind === 'within') return { entries: await journal.within(asked.ranges) };
    const head = await journal.head();
    return { head, positions: await journal.positions(head) };
  }
}
