/** axe-core in a real page, as the browser tests check accessibility: WCAG 2.2 AA and axe's best practices. */
import axe from "axe-core";
import type { Page } from "playwright-core";

export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/** Every axe violation on the page as it is now, one line each. */
export async function axeViolations(page: Page): Promise<string[]> {
  // The app's CSP allows no injected script; the tests' contexts bypass it to load axe.
  await page.evaluate(axe.source);
  return page.evaluate(async (tags) => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: { type: "tag", values: tags },
    });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  }, AXE_TAGS);
}
