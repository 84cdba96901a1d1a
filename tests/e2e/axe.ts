/** axe-core in a real page, as the browser tests check accessibility: WCAG 2.2 AA and axe's best practices. */
import axe from "axe-core";
import type { Page } from "playwright-core";

export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/** Every axe violation on the page as it is now (or within the element `within` selects), one line each. */
export async function axeViolations(page: Page, within?: string): Promise<string[]> {
  // The app's CSP allows no injected script; the tests' contexts bypass it to load axe.
  await page.evaluate(axe.source);
  return page.evaluate(
    async ({ tags, selector }) => {
      const result = await (window as unknown as { axe: typeof axe }).axe.run(selector ?? document, {
        runOnly: { type: "tag", values: tags },
      });
      return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
    },
    { tags: AXE_TAGS, selector: within },
  );
}

/**
 * Controls smaller than `min` px either way, as WCAG 2.2's target size (2.5.8) counts them, and on a phone
 * primary buttons under 44 px tall (2.5.5). Axe lets a small target pass when nothing is near it; this does
 * not. Links inside a sentence are exempt, as the criterion says, and so are inputs drawn invisible under
 * their own label (the label is the target).
 */
export async function smallTargets(page: Page, min = 24): Promise<string[]> {
  return page.evaluate((minimum) => {
    const phone = window.innerWidth <= 560;
    const found: string[] = [];
    const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=tab], [role=button]";
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      const style = getComputedStyle(el);
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || style.visibility === "hidden") continue;
      // Drawn invisible (a file input under its label's button, a hidden field): the visible part is the target.
      if (style.opacity === "0" || (rect.width <= 2 && rect.height <= 2)) continue;
      if (el.tagName === "A" && style.display === "inline") continue;
      const name = `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ""} "${(
        el.textContent ?? ""
      )
        .trim()
        .slice(0, 30)}"`;
      if (rect.width < minimum - 0.5 || rect.height < minimum - 0.5)
        found.push(`${name}: ${Math.round(rect.width)}×${Math.round(rect.height)} px`);
      else if (
        phone &&
        el.classList.contains("button-primary") &&
        !el.classList.contains("button-small") &&
        rect.height < 43.5
      )
        found.push(`${name}: a primary action ${Math.round(rect.height)} px tall on a phone`);
    }
    return found;
  }, min);
}
