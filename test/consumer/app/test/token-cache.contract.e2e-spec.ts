import { InMemoryTokenCache } from 'nestjs-multi-token-auth';
import { describeTokenCache } from 'nestjs-multi-token-auth/testing';

// An app that brings its own verified-token cache holds it to the library's contract with the
// suite the package ships; here, the library's own in-memory cache, as the package installs it.
describeTokenCache(
  'InMemoryTokenCache, from the installed package',
  (maxEntries) => new InMemoryTokenCache(maxEntries),
);
