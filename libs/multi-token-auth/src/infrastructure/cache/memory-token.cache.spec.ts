import { describeTokenCache } from '../../testing/token-cache.conformance';
import { InMemoryTokenCache } from './memory-token.cache';

describeTokenCache('InMemoryTokenCache', (maxEntries) => new InMemoryTokenCache(maxEntries));
