/**
 * What the demo deal "12 Elm St purchase" looks like mid-way, as data: its record, its key dates
 * (acceptance about 12 days ago, closing 18 days ahead) and who does what to the Financed purchase
 * template's tasks. Pure: scripts/demo-deal.ts runs it against a server, the tests check it for any day.
 */
import { Temporal } from "temporal-polyfill";
import type { DealCommandArgs } from "../schema/deal/commands";
import { type KeyDates, resolveDue } from "../schema/deal/dates";
import type { TemplateTask } from "../schema/deal/templates";
import { financedPurchase } from "../schema/deal/templates/financed";

export const DEMO_DEAL_TITLE = "12 Elm St purchase";
export const DEMO_DEAL_TEMPLATE = financedPurchase;

/** The roles of the demo team besides the owner, who is the demo account. */
export type TeamRole = "transaction_coordinator" | "buyer_agent" | "buyer";

/** Days before today the offer was accepted, tried in this order: the first that tells the story below wins. */
const ACCEPTED_DAYS_AGO = [12, 13, 14, 11, 15, 10] as const;
const CLOSING_DAYS_AHEAD = 18;

/** Completed, in this order: every task after the tasks it waits for. */
export const COMPLETED = [
  "send_executed_contract",
  "open_escrow",
  "intro_email",
  "review_timeline",
  "sign_disclosures",
  "wire_instructions",
  "deposit_earnest_money",
  "earnest_money_receipt",
  "schedule_inspection",
  "attend_inspection",
  "upload_inspection_report",
  "upload_preapproval",
  "submit_loan_application",
  "underwriting_documents",
  "order_appraisal",
  "appraisal_access",
  "receive_appraisal",
  "order_title",
] as const;
/** Started, not done: the lender's conditional approval, now that the appraisal and documents are in. */
export const STARTED = "conditional_approval";
/** Past due: the buyer has not locked the rate. */
export const OVERDUE = "lock_rate";
/** Waits for the seller's repair response, which waits for the buyer's review of the inspection report. */
export const BLOCKED = "remove_inspection_contingency";
/** The task whose document (the inspection report, uploaded by the buyer's agent) waits for review. */
export const DOCUMENT_TASK = "upload_inspection_report";

export interface DealStep {
  /** Unique in the plan: the command's key is made from it. */
  label: string;
  as: TeamRole;
  name: "deal.task.complete" | "deal.task.start";
  /** The template task it acts on. */
  task: string;
}

export interface DealPlan {
  create: DealCommandArgs<"deal.create">;
  steps: DealStep[];
}

export const TEMPLATE_TASKS: ReadonlyMap<string, TemplateTask> = new Map(
  DEMO_DEAL_TEMPLATE.milestones.flatMap((milestone) => milestone.tasks.map((task) => [task.key, task] as const)),
);

export function templateTask(key: string): TemplateTask {
  const task = TEMPLATE_TASKS.get(key);
  if (!task) throw new Error(`the ${DEMO_DEAL_TEMPLATE.id} template has no task ${key}`);
  return task;
}

/** The day (YYYY-MM-DD) it is at `now` in `timeZone`: the day the deal's overdue check counts from. */
export function dayIn(now: number, timeZone: string): Temporal.PlainDate {
  return Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(timeZone).toPlainDate();
}

/** Due dates are compared as YYYY-MM-DD strings, which sort as the days they name. */
function tellsTheStory(keyDates: KeyDates, today: string): boolean {
  const due = (key: string) => resolveDue(templateTask(key).due, keyDates);
  return due(OVERDUE) < today && due(STARTED) > today && due(BLOCKED) > today;
}

/**
 * Key dates around `today` under which the overdue task is past due while the started and blocked
 * ones are not (a blocked task past due shows OVERDUE): acceptance 12 days ago where weekends and
 * holidays allow, a day or two more or less where they do not.
 */
export function demoKeyDates(today: Temporal.PlainDate): KeyDates {
  const closing = today.add({ days: CLOSING_DAYS_AHEAD }).toString();
  for (const daysAgo of ACCEPTED_DAYS_AGO) {
    const keyDates = { acceptance: today.subtract({ days: daysAgo }).toString(), closing };
    if (tellsTheStory(keyDates, today.toString())) return keyDates;
  }
  throw new Error(`no acceptance date tells the demo deal's story on ${today}`);
}

const roleOf = (key: string): TeamRole => {
  const role = templateTask(key).assigneeRole;
  // The template's admin tasks (none in the Financed purchase) are the coordinator's to run.
  return role === "admin" ? "transaction_coordinator" : role;
};

/** The demo deal as of `now` in `timeZone`: how to create it and what its team has done since. */
export function demoDealPlan(now: number, timeZone: string): DealPlan {
  const keyDates = demoKeyDates(dayIn(now, timeZone));
  return {
    create: {
      templateId: DEMO_DEAL_TEMPLATE.id,
      title: DEMO_DEAL_TITLE,
      address: "12 Elm St, Springfield",
      keyDates,
      timeZone,
      parties: [
        { name: "Bea Lindgren", role: "Buyer", email: "buyer@haven.local" },
        { name: "Abe Patel", role: "Buyer's agent", email: "agent@haven.local" },
        { name: "Tess Morgan", role: "Transaction coordinator", email: "coordinator@haven.local" },
        { name: "Sam Okafor", role: "Seller", email: null },
        { name: "Dana Reyes", role: "Listing agent", email: null },
        { name: "Springfield Title & Escrow", role: "Escrow and title", email: null },
        { name: "First Springfield Bank", role: "Lender", email: null },
      ],
      purchasePrice: 485_000,
      financing: { type: "conventional", lender: "First Springfield Bank", loanAmount: 388_000 },
      commission: { percent: 2.5 },
    },
    steps: [
      ...COMPLETED.map(
        (task): DealStep => ({ label: `complete-${task}`, as: roleOf(task), name: "deal.task.complete", task }),
      ),
      { label: `start-${STARTED}`, as: roleOf(STARTED), name: "deal.task.start", task: STARTED },
    ],
  };
}
