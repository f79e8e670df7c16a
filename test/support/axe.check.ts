import { readFileSync } from 'node:fs';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core'), 'utf8');

/**
 * Runs axe-core (every rule but the experimental ones) on the page as it is now, and returns its
 * violations as `rule: target` lines, so a failing expectation names what to fix.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // A <script> tag (page.addScriptTag) would be refused by the page's CSP, which allows no inline
  // script: evaluated through the DevTools protocol instead, which the CSP does not govern.
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate<AxeResults>('axe.run(document)');
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id} (${violation.impact ?? 'unknown'}): ${node.target.join(' ')}`),
  );
}
