/**
 * Polls `check` every 20 ms for at most `ms` and returns its last answer. For specs against real
 * servers (Redis, PostgreSQL), where real time passes: bounded, never an open-ended sleep.
 */
export async function within(ms: number, check: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 20));
  return check();
}
