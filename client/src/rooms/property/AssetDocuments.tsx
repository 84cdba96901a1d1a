/**
 * An asset's documents (manual, receipt, warranty): listed from the asset's mirror, downloaded through the
 * Worker, added by those who keep the home's records with a kind and a title, and removed by them.
 */
import { createSignal, For, Show } from "solid-js";
import { ASSET_DOCUMENT_MAX_BYTES, ASSET_DOCUMENT_TITLE_MAX_CHARS } from "../../../../config";
import {
  ASSET_DOCUMENT_KINDS,
  type AssetDocument,
  type AssetDocumentKind,
} from "../../../../schema/property/documents";
import type { Asset } from "../../../../schema/property/records";
import { ApiError, assetDocumentUrl, errorMessage, removeAssetDocument, uploadAssetDocument } from "../../api";
import { Alert } from "../../components/Alert";
import { formatDateTime, sizeWords } from "../../format";
import { showToast } from "../../toast";
import { DeleteRecord } from "./DeleteRecord";
import { FileInput } from "./photos";
import "./documents.css";

export const DOCUMENT_KIND_LABEL: Record<AssetDocumentKind, string> = {
  manual: "Manual",
  receipt: "Receipt",
  warranty: "Warranty",
  other: "Other",
};

const TYPE_LABEL: Record<AssetDocument["type"], string> = {
  "application/pdf": "PDF",
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "image/webp": "WebP",
};

const ACCEPT = ".pdf,application/pdf,image/jpeg,image/png,image/webp";
const OFFLINE = "Documents need a connection, and you are offline right now.";

/** A file's name without its extension, as a first guess at its title. */
const titleOf = (file: File) => file.name.replace(/\.[^.]+$/, "").slice(0, ASSET_DOCUMENT_TITLE_MAX_CHARS);

/** When it was added, in this browser's zone, as every date and time is written. */
const uploadedOn = (at: number) => formatDateTime(at);

/** "PDF · 1.2 MB · added Dec 7, 2026 by Olive" */
const describe = (d: AssetDocument) =>
  `${TYPE_LABEL[d.type]} · ${sizeWords(d.size)} · added ${uploadedOn(d.uploadedAt)} by ${d.uploadedByName}`;

export function AssetDocuments(props: { roomId: string; asset: Asset; canWrite: boolean }) {
  const [file, setFile] = createSignal<File | null>(null);
  const [kind, setKind] = createSignal<AssetDocumentKind>("manual");
  const [title, setTitle] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  const pick = (picked: File) => {
    setError(null);
    if (picked.size > ASSET_DOCUMENT_MAX_BYTES) {
      const limit = sizeWords(ASSET_DOCUMENT_MAX_BYTES);
      setError(`${picked.name} is ${sizeWords(picked.size)}; a document may be at most ${limit}.`);
      return;
    }
    setFile(picked);
    if (!title()) setTitle(titleOf(picked));
  };

  const reset = () => {
    setFile(null);
    setTitle("");
    setKind("manual");
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const chosen = file();
    if (!chosen) return;
    if (!navigator.onLine) {
      setError(OFFLINE);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const stored = await uploadAssetDocument(props.roomId, props.asset.id, chosen, {
        kind: kind(),
        title: title().trim() || titleOf(chosen),
      });
      showToast(`“${stored.title}” added to ${props.asset.name}.`);
      reset();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 0 ? OFFLINE : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (document: AssetDocument) => {
    setError(null);
    try {
      await removeAssetDocument(props.roomId, document.id);
      showToast(`“${document.title}” deleted.`);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <section class="asset-documents" aria-labelledby="asset-documents-title">
      <h3 id="asset-documents-title">Documents</h3>
      <Show
        when={props.asset.documents.length > 0}
        fallback={<p class="muted small">No documents yet. Keep the manual, the receipt and the warranty here.</p>}
      >
        <ul class="document-list" data-testid="asset-documents">
          <For each={props.asset.documents}>
            {(document) => (
              <li class="document-row" data-document-id={document.id}>
                <span class="chip chip-muted">{DOCUMENT_KIND_LABEL[document.kind]}</span>
                <span class="document-main">
                  <a href={assetDocumentUrl(props.roomId, document.id)} download={document.name} class="document-title">
                    {document.title}
                  </a>
                  <span class="muted small">{describe(document)}</span>
                </span>
                <Show when={props.canWrite}>
                  <DeleteRecord
                    label={`Delete document ${document.title}`}
                    question={`Delete the document “${document.title}”?`}
                    blocked={null}
                    onDelete={() => void remove(document)}
                    testId="document-remove"
                  />
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Alert message={error()} testId="document-error" />
      <Show when={props.canWrite && !props.asset.archived}>
        <form class="document-form" onSubmit={(e) => void submit(e)} aria-label="Add a document">
          <div class="row">
            <FileInput
              id="asset-document-input"
              label={file() ? "Choose another file" : "Add document"}
              accept={ACCEPT}
              icon="plus"
              disabled={busy()}
              testId="asset-document-input"
              onPick={pick}
            />
            <Show when={file()}>
              {(chosen) => (
                <span class="small" data-testid="asset-document-file">
                  {chosen().name} ({sizeWords(chosen().size)})
                </span>
              )}
            </Show>
          </div>
          <Show when={file()}>
            <div class="document-fields">
              <div class="field">
                <label for="asset-document-kind">Kind</label>
                <select
                  id="asset-document-kind"
                  value={kind()}
                  onChange={(e) => setKind(e.currentTarget.value as AssetDocumentKind)}
                  data-testid="asset-document-kind"
                >
                  <For each={[...ASSET_DOCUMENT_KINDS]}>
                    {(k) => <option value={k}>{DOCUMENT_KIND_LABEL[k]}</option>}
                  </For>
                </select>
              </div>
              <div class="field">
                <label for="asset-document-title">Title</label>
                <input
                  id="asset-document-title"
                  value={title()}
                  onInput={(e) => setTitle(e.currentTarget.value)}
                  maxLength={ASSET_DOCUMENT_TITLE_MAX_CHARS}
                  required
                  autocomplete="off"
                  data-testid="asset-document-title"
                />
              </div>
            </div>
            <div class="row">
              <button type="submit" class="button button-primary" disabled={busy()} data-testid="asset-document-submit">
                {busy() ? "Uploading…" : "Upload"}
              </button>
              <button type="button" class="button button-ghost" disabled={busy()} onClick={reset}>
                Cancel
              </button>
            </div>
          </Show>
        </form>
      </Show>
    </section>
  );
}
