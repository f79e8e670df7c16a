/**
 * `@CurrentUser()` on a resource server: the token's subject as the owner's introspection gave it.
 * The app's own user record, if it needs one, is its to load by `id`.
 */
export class IntrospectedUser {
  /** The owner's user id (introspection's `sub`), as a string. */
  id!: string;
  /** The owner's username for it (introspection's `username`), or `null` when the owner gave none. */
  username!: string | null;
}
