/**
 * A task that needs proof: its assignee sends a photo or recording for review (kept in this browser until the
 * home has it, like any capture), and another member approves it, which completes the task, or sends it back
 * with a comment. What the room says about the current proof shows to everyone live.
 */
import { createSignal, onCleanup, Show } from "solid-js";
import type { Task, TaskReview } from "../../../../schema/property/records";
import { errorMessage } from "../../api";
import { Alert } from "../../components/Alert";
import { Icon } from "../../components/Icon";
import { formatDateTime } from "../../format";
import { analysisWav } from "./capture-audio";
import { createCaptureOutbox } from "./capture-outbox";
import { PhotoInput, preparePhoto } from "./photos";
import { createRecorder } from "./recorder";
import type { PropertyStore } from "./store";
import "./inbox.css";

const PROOF_ASK: Record<NonNullable<Task["proof"]>, string> = {
  photo: "This task needs a photo as proof; another member reviews it.",
  audio: "This task needs a recording as proof; another member reviews it.",
  any: "This task needs a photo or recording as proof; another member reviews it.",
};

const captureUrl = (roomId: string, id: string, part: string) =>
  `/api/rooms/${encodeURIComponent(roomId)}/captures/${id}/${part}`;

export function ProofPanel(props: { store: PropertyStore; roomId: string; task: Task; mayComplete: boolean }) {
  const review = () => props.task.review;
  const pending = () => review()?.status === "pending";
  return (
    <section class="proof stack" aria-labelledby="proof-title" data-testid="proof-panel">
      <h3 id="proof-title">Proof</h3>
      <Show when={review()}>{(r) => <ProofShown roomId={props.roomId} review={r()} />}</Show>
      <Show when={pending() && props.store.canReview() && review()?.by !== props.store.userId}>
        <ReviewForm store={props.store} task={props.task} />
      </Show>
      <Show when={pending() && review()?.by === props.store.userId}>
        <p class="muted" data-testid="proof-waiting">
          Sent for review. Another member approves it, and then the task is done.
        </p>
      </Show>
      <Show when={!pending() && props.mayComplete}>
        <p class="muted">{PROOF_ASK[props.task.proof ?? "any"]}</p>
        <SubmitProof store={props.store} roomId={props.roomId} task={props.task} />
      </Show>
    </section>
  );
}

function ProofShown(props: { roomId: string; review: TaskReview }) {
  return (
    <div class="proof-shown stack" data-testid="proof-shown">
      <p data-testid="proof-status">
        <Show
          when={props.review.status === "returned"}
          fallback={
            <>
              <span class="chip">Waiting for review</span> {props.review.byName} sent this{" "}
              {formatDateTime(props.review.at)}.
            </>
          }
        >
          <span class="chip chip-danger">Sent back</span> {props.review.reviewedByName ?? "A reviewer"} sent{" "}
          {props.review.byName}'s proof back: <q data-testid="proof-comment">{props.review.comment}</q>
        </Show>
      </p>
      <Show when={props.review.note}>
        <p class="pre">{props.review.note}</p>
      </Show>
      <ProofMedia roomId={props.roomId} captureId={props.review.captureId} />
    </div>
  );
}

/** The photo or recording itself, from the inbox item that holds it. */
function ProofMedia(props: { roomId: string; captureId: string }) {
  const [photoFailed, setPhotoFailed] = createSignal(false);
  return (
    <Show
      when={!photoFailed()}
      fallback={
        <audio controls preload="metadata" src={captureUrl(props.roomId, props.captureId, "original")}>
          <track kind="captions" />
        </audio>
      }
    >
      <img
        class="proof-photo"
        src={captureUrl(props.roomId, props.captureId, "photo")}
        alt="What was sent as proof"
        onError={() => setPhotoFailed(true)}
        data-testid="proof-photo"
      />
    </Show>
  );
}

function ReviewForm(props: { store: PropertyStore; task: Task }) {
  const [returning, setReturning] = createSignal(false);
  const [comment, setComment] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const decide = async (verdict: "approve" | "return") => {
    const submissionId = props.task.review?.submissionId;
    if (!submissionId) return;
    if (verdict === "return" && comment().trim() === "") {
      setError("Say what is missing, so they know what to do.");
      return;
    }
    setBusy(true);
    setError(null);
    const args =
      verdict === "approve"
        ? { id: props.task.id, submissionId, verdict }
        : { id: props.task.id, submissionId, verdict, comment: comment().trim() };
    const result = await props.store.run("task.review", args);
    setBusy(false);
    if (result.status === "refused") setError(errorMessage(result.error));
  };
  return (
    <div class="stack">
      <Alert message={error()} />
      <div class="row action-row">
        <button
          type="button"
          class="button button-primary"
          disabled={busy()}
          onClick={() => void decide("approve")}
          data-testid="proof-approve"
        >
          <Icon name="check" />
          Approve
        </button>
        <button
          type="button"
          class="button button-ghost"
          aria-expanded={returning()}
          onClick={() => setReturning(!returning())}
          data-testid="proof-return-open"
        >
          Send back
        </button>
      </div>
      <Show when={returning()}>
        <form
          class="stack action-form"
          onSubmit={(e) => {
            e.preventDefault();
            void decide("return");
          }}
        >
          <div class="field">
            <label for="proof-comment-input">What is missing?</label>
            <textarea
              id="proof-comment-input"
              maxLength={1000}
              value={comment()}
              onInput={(e) => setComment(e.currentTarget.value)}
              data-testid="proof-comment-input"
            />
          </div>
          <button type="submit" class="button" disabled={busy()} data-testid="proof-return">
            Send back
          </button>
        </form>
      </Show>
    </div>
  );
}

function SubmitProof(props: { store: PropertyStore; roomId: string; task: Task }) {
  const outbox = createCaptureOutbox(props.roomId, props.store);
  const [photo, setPhoto] = createSignal<Blob | null>(null);
  const [sound, setSound] = createSignal<Blob | null>(null);
  const [note, setNote] = createSignal("");
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  onCleanup(() => outbox.dispose());
  const wantsPhoto = () => props.task.proof !== "audio";
  const wantsSound = () => props.task.proof !== "photo";

  const recorder = createRecorder({
    started: () => setPhoto(null),
    recorded: setSound,
    failed: (err) => setError(errorMessage(err)),
  });

  const send = async () => {
    const picture = photo();
    const recorded = sound();
    if (!picture && !recorded) {
      setError(wantsPhoto() ? "Take or pick the photo first." : "Record the sound first.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const files = picture
        ? { photo: picture }
        : { original: recorded as Blob, wav: await analysisWav(recorded as Blob) };
      const proofFor = { taskId: props.task.id, occurrence: props.task.occurrence };
      const capture = { id: crypto.randomUUID(), roomId: props.roomId, note: note().trim(), assetId: null };
      setPhoto(null);
      setSound(null);
      await outbox.add({ ...capture, files, createdAt: Date.now(), proofFor });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="stack" data-testid="proof-submit-form">
      <div class="capture-sources">
        <Show when={wantsPhoto()}>
          <PhotoInput
            id="proof-photo"
            label="Photo"
            testId="proof-photo-input"
            onPick={(file) =>
              void preparePhoto(file)
                .then((blob) => {
                  setPhoto(blob);
                  setSound(null);
                })
                .catch((err: unknown) => setError(errorMessage(err)))
            }
          />
        </Show>
        <Show when={wantsSound()}>
          <button
            type="button"
            class="button"
            aria-pressed={recorder.active()}
            onClick={() => {
              setError(null);
              void recorder.toggle();
            }}
            data-testid="proof-record"
          >
            <Icon name="mic" />
            {recorder.active() ? "Stop" : "Record"}
          </button>
        </Show>
      </div>
      <Show when={photo() || sound()}>
        <p class="muted" data-testid="proof-ready">
          {photo() ? "Photo ready, without its location." : "Recording ready."}
        </p>
      </Show>
      <label class="field">
        <span>A word for the reviewer (optional)</span>
        <input type="text" maxLength={500} value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      <Alert message={error() ?? outbox.failure()?.message ?? null} />
      <Show when={outbox.progress()}>
        {(p) => (
          <label class="field">
            <span>Uploading…</span>
            <progress max={p().total} value={p().sent} />
          </label>
        )}
      </Show>
      <Show when={outbox.pending().length > 0 && !outbox.progress()}>
        <p class="muted" data-testid="proof-kept">
          Kept on this device and sent when the connection returns.
        </p>
      </Show>
      <div>
        <button
          type="button"
          class="button button-primary"
          disabled={busy() || recorder.active()}
          onClick={() => void send()}
          data-testid="proof-send"
        >
          Send for review
        </button>
      </div>
    </div>
  );
}
