/** Costs of a home's upkeep as people read them, in the home's currency. */

/** Hundredths of `currency` as the browser's locale writes money: "$149.90", "149,90 €". */
export function formatMoney(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(cents / 100);
  } catch {
    // A code this browser does not know still shows the amount.
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

/** What the cost field holds, as the command's `cost`: null when it is left empty. */
export function costFromInput(value: string): number | null {
  const trimmed = value.trim().replace(",", ".");
  return trimmed === "" ? null : Number(trimmed);
}
