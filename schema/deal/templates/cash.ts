/** A cash purchase: no appraisal or financing; proof of funds instead, and a shorter escrow. */
import type { Template } from "../templates";
import { afterAcceptance as acc, beforeClosing as close, task } from "./build";

const BUYER = "buyer";
const AGENT = "buyer_agent";
const TC = "transaction_coordinator";

export const cashPurchase: Template = {
  id: "cash_purchase",
  name: "Cash purchase",
  keyDates: ["acceptance", "closing"],
  milestones: [
    {
      key: "offer_accepted",
      title: "Offer accepted",
      tasks: [
        task("send_executed_contract", "Send the executed contract to all parties", TC, acc(1, "business_days")),
        task("open_escrow", "Open escrow with the title company", TC, acc(1, "business_days"), [
          "send_executed_contract",
        ]),
        task("proof_of_funds", "Upload proof of funds", BUYER, acc(2, "business_days"), [], true),
        task("verify_proof_of_funds", "Verify the proof of funds", TC, acc(3, "business_days"), ["proof_of_funds"]),
        task("sign_disclosures", "Review and sign the seller's disclosures", BUYER, acc(7, "days", true), [], true),
      ],
    },
    {
      key: "earnest_money",
      title: "Earnest money",
      tasks: [
        task("wire_instructions", "Send verified wiring instructions", TC, acc(1, "business_days"), ["open_escrow"]),
        task(
          "deposit_earnest_money",
          "Wire the earnest money deposit",
          BUYER,
          acc(3, "business_days"),
          ["wire_instructions"],
          true,
        ),
        task("earnest_money_receipt", "File the earnest money receipt", TC, acc(4, "business_days"), [
          "deposit_earnest_money",
        ]),
      ],
    },
    {
      key: "inspection",
      title: "Inspection",
      tasks: [
        task("schedule_inspection", "Schedule the home inspection", AGENT, acc(2, "business_days"), [], true),
        task(
          "attend_inspection",
          "Attend the home inspection",
          BUYER,
          acc(5, "business_days"),
          ["schedule_inspection"],
          true,
        ),
        task(
          "upload_inspection_report",
          "Upload the inspection report",
          AGENT,
          acc(6, "business_days"),
          ["attend_inspection"],
          true,
        ),
        task("repair_request", "Send the repair request to the seller's agent", AGENT, acc(7, "business_days"), [
          "upload_inspection_report",
        ]),
        task(
          "remove_inspection_contingency",
          "Remove the inspection contingency",
          BUYER,
          acc(10, "days", true),
          ["repair_request"],
          true,
        ),
      ],
    },
    {
      key: "title",
      title: "Title",
      tasks: [
        task("order_title", "Order the title search", TC, acc(2, "business_days"), ["open_escrow"]),
        task("review_preliminary_title", "Review the preliminary title report", AGENT, acc(7, "days", true), [
          "order_title",
        ]),
        task("homeowners_insurance", "Bind homeowner's insurance", BUYER, close(5), [], true),
        task("title_cleared", "Confirm title is clear", TC, close(3), ["review_preliminary_title"]),
      ],
    },
    {
      key: "final_walkthrough",
      title: "Final walk-through",
      tasks: [
        task("schedule_walkthrough", "Schedule the final walk-through", AGENT, close(3), [], true),
        task("final_walkthrough", "Do the final walk-through", BUYER, close(1), ["schedule_walkthrough"], true),
      ],
    },
    {
      key: "closing",
      title: "Closing",
      tasks: [
        task("settlement_statement", "Review the settlement statement", BUYER, close(2), ["title_cleared"], true),
        task(
          "wire_closing_funds",
          "Wire the funds to close",
          BUYER,
          close(1),
          ["settlement_statement", "verify_proof_of_funds"],
          true,
        ),
        task(
          "sign_closing_documents",
          "Sign the closing documents",
          BUYER,
          close(0),
          ["wire_closing_funds", "final_walkthrough"],
          true,
        ),
        task("confirm_recording", "Confirm the deed is recorded", TC, close(0), ["sign_closing_documents"]),
        task("hand_over_keys", "Hand over the keys", AGENT, close(0), ["confirm_recording"], true),
      ],
    },
  ],
};
