/**
 * A typical US financed purchase (docs/deals.md#templates-and-dates): inspection contingency 10 business days,
 * appraisal by day 14, disclosures by day 7, inspection removal by 17, loan contingency by 21, closing about 30
 * days out. A coordinator adjusts any of these per deal.
 */
import type { Template } from "../templates";
import { afterAcceptance as acc, beforeClosing as close, task } from "./build";

const BUYER = "buyer";
const AGENT = "buyer_agent";
const TC = "transaction_coordinator";

export const financedPurchase: Template = {
  id: "financed_purchase",
  name: "Financed purchase",
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
        task("intro_email", "Introduce buyer, lender, escrow and agents", TC, acc(1, "business_days"), ["open_escrow"]),
        task("review_timeline", "Review the deal timeline with the buyer", AGENT, acc(2, "business_days"), [], true),
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
          acc(6, "business_days"),
          ["schedule_inspection"],
          true,
        ),
        task(
          "upload_inspection_report",
          "Upload the inspection report",
          AGENT,
          acc(7, "business_days"),
          ["attend_inspection"],
          true,
        ),
        task(
          "review_inspection_report",
          "Review the inspection report",
          BUYER,
          acc(8, "business_days"),
          ["upload_inspection_report"],
          true,
        ),
        task("repair_request", "Send the repair request to the seller's agent", AGENT, acc(9, "business_days"), [
          "review_inspection_report",
        ]),
        task("repair_response", "Record the seller's repair response", AGENT, acc(12, "business_days"), [
          "repair_request",
        ]),
        task(
          "remove_inspection_contingency",
          "Remove the inspection contingency",
          BUYER,
          acc(17, "days", true),
          ["repair_response"],
          true,
        ),
      ],
    },
    {
      key: "appraisal",
      title: "Appraisal",
      tasks: [
        task("order_appraisal", "Confirm the lender ordered the appraisal", TC, acc(5, "business_days"), [
          "submit_loan_application",
        ]),
        task("appraisal_access", "Arrange access for the appraiser", AGENT, acc(8, "business_days"), [
          "order_appraisal",
        ]),
        task("receive_appraisal", "Receive the appraisal report", TC, acc(14, "days", true), ["appraisal_access"]),
        task(
          "review_appraisal",
          "Review the appraised value with the buyer",
          AGENT,
          acc(15, "days", true),
          ["receive_appraisal"],
          true,
        ),
        task(
          "remove_appraisal_contingency",
          "Remove the appraisal contingency",
          BUYER,
          acc(17, "days", true),
          ["review_appraisal"],
          true,
        ),
      ],
    },
    {
      key: "financing",
      title: "Financing",
      tasks: [
        task("submit_loan_application", "Submit the full loan application", BUYER, acc(3, "business_days"), [], true),
        task("upload_preapproval", "Upload the pre-approval letter", BUYER, acc(2, "business_days"), [], true),
        task("lock_rate", "Lock the interest rate", BUYER, acc(10, "days", true), ["submit_loan_application"], true),
        task(
          "underwriting_documents",
          "Send the documents underwriting asks for",
          BUYER,
          acc(12, "days", true),
          ["submit_loan_application"],
          true,
        ),
        task("conditional_approval", "Record the lender's conditional approval", TC, acc(18, "days", true), [
          "underwriting_documents",
          "receive_appraisal",
        ]),
        task(
          "remove_loan_contingency",
          "Remove the loan contingency",
          BUYER,
          acc(21, "days", true),
          ["conditional_approval"],
          true,
        ),
        task("clear_to_close", "Record clear to close", TC, close(5), ["conditional_approval", "review_appraisal"]),
      ],
    },
    {
      key: "title",
      title: "Title",
      tasks: [
        task("order_title", "Order the title search", TC, acc(2, "business_days"), ["open_escrow"]),
        task("review_preliminary_title", "Review the preliminary title report", AGENT, acc(10, "days", true), [
          "order_title",
        ]),
        task("homeowners_insurance", "Bind homeowner's insurance", BUYER, close(10), [], true),
        task("compliance_review", "Compliance review of the file", TC, close(10), ["review_preliminary_title"]),
        task("title_cleared", "Confirm title is clear", TC, close(7), ["review_preliminary_title"]),
      ],
    },
    {
      key: "final_walkthrough",
      title: "Final walk-through",
      tasks: [
        task("verify_repairs", "Collect receipts for agreed repairs", AGENT, close(3), ["repair_response"]),
        task("schedule_walkthrough", "Schedule the final walk-through", AGENT, close(4), ["verify_repairs"], true),
        task("final_walkthrough", "Do the final walk-through", BUYER, close(1), ["schedule_walkthrough"], true),
      ],
    },
    {
      key: "closing",
      title: "Closing",
      tasks: [
        task("closing_disclosure", "Review the Closing Disclosure", BUYER, close(3), ["clear_to_close"], true),
        task("schedule_signing", "Schedule the signing appointment", TC, close(3), ["clear_to_close"], true),
        task(
          "wire_closing_funds",
          "Wire the funds to close",
          BUYER,
          close(1),
          ["closing_disclosure", "wire_instructions"],
          true,
        ),
        task(
          "sign_closing_documents",
          "Sign the closing documents",
          BUYER,
          close(0),
          ["schedule_signing", "wire_closing_funds", "final_walkthrough"],
          true,
        ),
        task("confirm_recording", "Confirm the deed is recorded", TC, close(0), [
          "sign_closing_documents",
          "title_cleared",
        ]),
        task("hand_over_keys", "Hand over the keys", AGENT, close(0), ["confirm_recording"], true),
      ],
    },
  ],
};
