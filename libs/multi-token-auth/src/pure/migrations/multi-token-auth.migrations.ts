import { AddClientSessionLifetimes9000000000001 } from './add-client-session-lifetimes.migration';
import { AddLegacyImports9000000000004 } from './add-legacy-imports.migration';
import { AddRevocationJournal9000000000006 } from './add-revocation-journal.migration';
import { AddTokenExpiryIndex9000000000003 } from './add-token-expiry-index.migration';
import { AddTokenLifecycle9000000000007 } from './add-token-lifecycle.migration';
import { ExtendTokenLifecycle9000000000008 } from './extend-token-lifecycle.migration';
import { AddTokenQuotas9000000000009 } from './add-token-quotas.migration';
import { AddTokenScopes9000000000002 } from './add-token-scopes.migration';
import { CreateMultiTokenAuthTables9000000000000 } from './create-multi-token-auth-tables.migration';
import { StoreTimesAsUtc9000000000005 } from './store-times-as-utc.migration';

/** The library's migrations, in order. Add them to your data source's `migrations`. */
export const multiTokenAuthMigrations = [
  CreateMultiTokenAuthTables9000000000000,
  AddClientSessionLifetimes9000000000001,
  AddTokenScopes9000000000002,
  AddTokenExpiryIndex9000000000003,
  AddLegacyImports9000000000004,
  StoreTimesAsUtc9000000000005,
  AddRevocationJournal9000000000006,
  AddTokenLifecycle9000000000007,
  ExtendTokenLifecycle9000000000008,
  AddTokenQuotas9000000000009,
];
