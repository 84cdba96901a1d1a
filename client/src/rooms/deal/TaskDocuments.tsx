/**
 * A task's documents: every version (none is ever removed) with its download link, the review status and
 * comment, Approve / Return with a comment for reviewers, and an upload (a new document, or the next version of
 * a returned one) where this user may upload. Uploads go over HTTP; the room mirrors the result. Kept in one
 * component since the upload and review contract is another part's.
 */
import { createSignal, For, Show } from "solid-js";
import { type DealDocument, type DealTask, DOCUMENT_TYPES } from "../../../../schema/deal/records";
import { errorMessage } from "../../api";
import { newCommandKey } from "../../command-queue";
import { Alert } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { formatDateTime } from "../../format";
import { showToast } from "../../toast";
import { documentVersionUrl, uploadDocument } from "./api";
import { ConfidentialToggle } from "./ConfidentialToggle";
import { createCommandRunner } from "./command";
import { sizeWords } from "./labels";
import type { DealStore } from "./store";

const STATUS_WORDS = { submitted: "Waiting for review", approved: "Approved", returned: "Returned" } as const;
const STATUS_TONE = { submitted: "chip-warn", approved: "chip-success", returned: "chip-danger" } as const;

export function TaskDocuments(props: { store: DealStore; roomId: string; task: DealTask }) {
  const [uploading, setUploading] = createSignal(false);
  const [uploadError, setUploadError] = createSignal<string | null>(null);
  /** The document the picked file is a new version of; null: a new document. */
  let versionOf: string | null = null;
  const docs = () => props.store.documentsOf(props.task.id);
  // The team may add a document to any task; a buyer where one is asked of them.
  const mayUpload = () =>
    props.store.mayUpload(props.task) && (props.store.may("documents.upload") || props.task.documentRequested === true);
  let fileRef: HTMLInputElement | undefined;

  const pick = (documentId: string | null) => {
    versionOf = documentId;
    fileRef?.click();
  };

  const onPick = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    setUploadError(null);
    setUploading(true);
    try {
      await uploadDocument(props.roomId, props.task.id, file, versionOf, newCommandKey());
      showToast(`“${file.name}” uploaded for review.`);
    } catch (error) {
      setUploadError(errorMessage(error));
    } finally {
      setUploading(false);
    }
  };

  return (
    <Show when={docs().length > 0 || mayUpload()}>
      <section class="deal-documents" aria-label={`Documents of ${props.task.title}`} data-testid="task-documents">
        <h3 class="group-title">Documents</h3>
        <Show when={docs().length === 0}>
          <p class="hint">{props.task.documentRequested ? "A document is asked for this task." : "None yet."}</p>
        </Show>
        <ul class="plain-list deal-document-list">
          <For each={docs()}>
            {(doc) => (
              <DocumentRow
                store={props.store}
                roomId={props.roomId}
                doc={doc}
                onNewVersion={mayUpload() && !uploading() ? () => pick(doc.id) : undefined}
              />
            )}
          </For>
        </ul>
        <Show when={mayUpload()}>
          <div class="row">
            <button
              type="button"
              class="button button-ghost button-small"
              disabled={uploading()}
              data-testid="document-upload-button"
              onClick={() => pick(null)}
            >
              <Icon name="plus" />
              {uploading() ? "Uploading…" : docs().length > 0 ? "Upload another document" : "Upload a document"}
            </button>
            <input
              ref={fileRef}
              hidden
              type="file"
              aria-label={`Document for ${props.task.title}`}
              accept={DOCUMENT_TYPES.join(",")}
              data-testid="document-upload"
              onChange={(e) => void onPick(e.currentTarget)}
            />
            <span class="hint">PDF, JPEG or PNG</span>
          </div>
        </Show>
        <Alert message={uploadError()} testId="document-upload-error" />
      </section>
    </Show>
  );
}

function DocumentRow(props: { store: DealStore; roomId: string; doc: DealDocument; onNewVersion?: () => void }) {
  const runner = createCommandRunner(props.store);
  const [returning, setReturning] = createSignal(false);
  const status = () => props.doc.status ?? "submitted";
  const versions = () => [...(props.doc.versions ?? [])].reverse();
  const mayReview = () => props.store.may("documents.review") && status() === "submitted";

  const review = async (decision: "approve" | "return", comment: string) => {
    const ok = await runner.sendOther(
      "deal.document.review",
      { documentId: props.doc.id, decision, comment: comment || null },
      decision === "approve" ? `“${props.doc.name}” approved.` : `“${props.doc.name}” returned.`,
    );
    if (ok) setReturning(false);
  };

  const onReturn = (e: SubmitEvent & { currentTarget: HTMLFormElement }) => {
    e.preventDefault();
    const comment = String(new FormData(e.currentTarget).get("comment") ?? "").trim();
    if (!comment) {
      runner.setError("Say what needs to change, so the uploader knows.");
      return;
    }
    void review("return", comment);
  };

  return (
    <li class="deal-document" data-testid="document" data-status={status()}>
      <div class="row deal-document-head">
        <Icon name="deal" />
        <span class="deal-document-name">{props.doc.name}</span>
        <span class={`chip ${STATUS_TONE[status()]}`} data-testid="document-status">
          {STATUS_WORDS[status()]}
        </span>
        <Show when={props.doc.confidential}>
          <span class="chip chip-muted">Confidential</span>
        </Show>
      </div>
      <Show when={props.doc.reviewComment}>
        <p class="deal-review-comment" data-testid="document-comment">
          “{props.doc.reviewComment}”
        </p>
      </Show>
      <ol class="plain-list deal-versions" aria-label={`Versions of ${props.doc.name}`}>
        <For each={versions()}>
          {(v) => (
            <li class="small" data-testid="document-version">
              <a href={documentVersionUrl(props.roomId, props.doc.id, v.version)} download={v.name}>
                Version {v.version}: {v.name}
              </a>{" "}
              <span class="muted">
                · {sizeWords(v.size)} · {v.uploadedByName} · {formatDateTime(v.uploadedAt)}
              </span>
            </li>
          )}
        </For>
      </ol>
      <Show when={props.onNewVersion}>
        {(upload) => (
          <div class="row">
            <button
              type="button"
              class="button button-ghost button-small"
              data-testid="document-new-version"
              onClick={() => upload()()}
            >
              {status() === "returned" ? "Upload a corrected version" : "Upload a new version"}
            </button>
          </div>
        )}
      </Show>
      <Show when={mayReview()}>
        <Show
          when={returning()}
          fallback={
            <div class="row">
              <button
                type="button"
                class="button button-primary button-small"
                disabled={runner.busy()}
                data-testid="document-approve"
                onClick={() => void review("approve", "")}
              >
                Approve
              </button>
              <button
                type="button"
                class="button button-ghost button-small"
                data-testid="document-return"
                onClick={() => setReturning(true)}
              >
                Return…
              </button>
            </div>
          }
        >
          <form class="stack-small" onSubmit={onReturn}>
            <div class="field">
              <label for={`return-${props.doc.id}`}>What needs to change</label>
              <textarea
                id={`return-${props.doc.id}`}
                name="comment"
                rows="2"
                maxLength={4000}
                data-testid="document-return-comment"
                autofocus
              />
            </div>
            <div class="row">
              <button
                type="submit"
                class="button button-danger button-small"
                disabled={runner.busy()}
                data-testid="document-return-send"
              >
                Return it
              </button>
              <button type="button" class="button button-ghost button-small" onClick={() => setReturning(false)}>
                Cancel
              </button>
            </div>
          </form>
        </Show>
      </Show>
      <Show when={props.store.may("documents.review") && props.store.may("deal.read_confidential")}>
        <ConfidentialToggle store={props.store} doc={props.doc} />
      </Show>
      <Alert message={runner.error()} testId="document-review-error" />
    </li>
  );
}
