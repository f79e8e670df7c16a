/** A user's primary key, as the app's entity declares it. */
export type UserId = string | number;
