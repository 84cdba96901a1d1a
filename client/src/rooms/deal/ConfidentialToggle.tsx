/**
 * "Confidential" on a document, for reviewers who also see confidential data (the room asks for both): marked,
 * only roles that see confidential data see the document, even on a task shared with the buyer.
 */
import type { DealDocument } from "../../../../schema/deal/records";
import { Alert } from "../../components/Alert";
import { createCommandRunner } from "./command";
import type { DealStore } from "./store";

export function ConfidentialToggle(props: { store: DealStore; doc: DealDocument }) {
  const runner = createCommandRunner(props.store);
  const toggle = (confidential: boolean) =>
    void runner.sendOther(
      "deal.document.confidential",
      { documentId: props.doc.id, confidential },
      confidential ? `“${props.doc.name}” is confidential now.` : `“${props.doc.name}” is no longer confidential.`,
    );
  return (
    <div class="deal-document-confidential">
      <label class="deal-check">
        <input
          type="checkbox"
          checked={props.doc.confidential === true}
          disabled={runner.busy()}
          onChange={(e) => toggle(e.currentTarget.checked)}
          data-testid="document-confidential"
        />{" "}
        Confidential: only those who see the purchase price see it
      </label>
      <Alert message={runner.error()} testId="document-confidential-error" />
    </div>
  );
}
