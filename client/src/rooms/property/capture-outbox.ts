/**
 * Captures waiting to reach the home: each is kept in this browser's IndexedDB (`haven-captures`) from the moment
 * it is made until the room has filed it, so one made offline, or cut off mid-upload, is sent when the connection
 * returns, even after a reload. Sending uploads each file under the capture's id (a file the room already has
 * answers 409 and counts as sent), with progress, then runs `inbox.create` (and `task.submit_proof` for proof).
 * Deleted with the rest of the local data on logout (local-data.ts).
 */
import { createSignal } from "solid-js";
import { ApiError } from "../../api";
import { idbStore } from "../../idb-store";
import { CAPTURES_DB } from "../../local-data";
import type { PropertyStore } from "./store";

const STORE = "captures";

export interface PendingCapture {
  id: string;
  roomId: string;
  note: string;
  assetId: string | null;
  files: { original?: Blob; wav?: Blob; photo?: Blob };
  createdAt: number;
  /** Proof for a task: once filed, the capture is submitted for review of this occurrence. */
  proofFor?: { taskId: string; occurrence: string | null };
}

/** Files a sent capture (and submits it as proof when it is one); what the room already has counts as done. */
async function fileCapture(store: PropertyStore, capture: PendingCapture): Promise<void> {
  const filed = await store.run("inbox.create", { id: capture.id, note: capture.note, assetId: capture.assetId });
  if (filed.status === "refused" && filed.error.code !== "conflict") throw filed.error;
  if (!capture.proofFor) return;
  const { taskId, occurrence } = capture.proofFor;
  const sent = await store.run("task.submit_proof", {
    id: taskId,
    occurrence,
    captureId: capture.id,
    note: capture.note,
  });
  if (sent.status === "refused" && sent.error.code !== "conflict") throw sent.error;
}

const run = idbStore(CAPTURES_DB, STORE, "id");

/** Upload progress of the capture being sent: bytes sent of all its files. */
export interface Progress {
  id: string;
  sent: number;
  total: number;
}

/** PUTs one file with upload progress (fetch reports none). Resolves on 201 or 409 (already there). */
function putFile(roomId: string, id: string, part: string, blob: Blob, onProgress: (sent: number) => void) {
  return new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", `/api/rooms/${encodeURIComponent(roomId)}/captures/${id}/${part}`);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status === 201 || xhr.status === 409) return resolve();
      let message = `Uploading failed (HTTP ${xhr.status}).`;
      let code = "http_error";
      try {
        const body = JSON.parse(xhr.responseText) as { error?: { code?: string; message?: string } };
        message = body.error?.message ?? message;
        code = body.error?.code ?? code;
      } catch {
        // Not JSON: the status says enough.
      }
      reject(new ApiError(xhr.status, code, message));
    };
    xhr.onerror = () => reject(new ApiError(0, "network", "No connection: the capture is kept and sent later."));
    xhr.send(blob);
  });
}

/** Whether a failure means "try again later" (no network, the server busy) rather than "this will never go". */
export const isTransient = (error: unknown) =>
  error instanceof ApiError && (error.status === 0 || error.status === 429 || error.status >= 500);

export function createCaptureOutbox(roomId: string, store: PropertyStore) {
  const [pending, setPending] = createSignal<PendingCapture[]>([]);
  const [progress, setProgress] = createSignal<Progress | null>(null);
  const [failure, setFailure] = createSignal<{ id: string; message: string } | null>(null);
  let sending = false;

  const reload = async () => {
    const all = ((await run("readonly", (store) => store.getAll())) ?? []) as PendingCapture[];
    setPending(all.filter((c) => c.roomId === roomId).sort((a, b) => a.createdAt - b.createdAt));
  };

  async function send(capture: PendingCapture): Promise<void> {
    const parts = Object.entries(capture.files).filter((entry): entry is [string, Blob] => entry[1] instanceof Blob);
    const total = parts.reduce((n, [, blob]) => n + blob.size, 0);
    let done = 0;
    setProgress({ id: capture.id, sent: 0, total });
    for (const [part, blob] of parts) {
      await putFile(roomId, capture.id, part, blob, (sent) =>
        setProgress({ id: capture.id, sent: done + sent, total }),
      );
      done += blob.size;
    }
    await fileCapture(store, capture);
    await run("readwrite", (store) => store.delete(capture.id));
  }

  /** Sends every waiting capture, oldest first; stops at the first that must wait for the network. */
  async function flush(): Promise<void> {
    if (sending) return;
    sending = true;
    try {
      await reload();
      for (const capture of pending()) {
        try {
          await send(capture);
          setFailure(null);
        } catch (error) {
          if (isTransient(error)) break;
          // Refused for good (too large, not allowed): said once, and not kept to fail again.
          setFailure({ id: capture.id, message: error instanceof Error ? error.message : String(error) });
          await run("readwrite", (store) => store.delete(capture.id));
        }
      }
    } finally {
      sending = false;
      setProgress(null);
      await reload();
    }
  }

  /** Keeps the capture here first, then tries to send it. */
  async function add(capture: PendingCapture): Promise<void> {
    const kept = await run("readwrite", (store) => store.put(capture));
    if (kept === null) {
      // No IndexedDB (private mode in some browsers): sent from memory, and lost if the page closes first.
      setPending((list) => [...list, capture]);
      await send(capture).finally(() => setPending((list) => list.filter((c) => c.id !== capture.id)));
      return;
    }
    await flush();
  }

  const onOnline = () => void flush();
  window.addEventListener("online", onOnline);
  void flush();
  return {
    pending,
    progress,
    failure,
    add,
    flush,
    dispose: () => window.removeEventListener("online", onOnline),
  };
}

export type CaptureOutbox = ReturnType<typeof createCaptureOutbox>;
