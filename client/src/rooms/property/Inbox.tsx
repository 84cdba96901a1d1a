/**
 * A home's inbox: what the family captured, newest first, each with its state as the room mirrors it (being
 * analysed, analysed, or failed with the reason and Retry), what was heard in words with the spectrogram and a
 * player beside it, or the photo; archive and delete.
 */
import { A } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import type { InboxItem } from "../../../../schema/property/inbox";
import { ConfirmButton } from "../../components/ConfirmButton";
import { Icon } from "../../components/Icon";
import { formatDateTime } from "../../format";
import { showToast } from "../../toast";
import { CaptureForm } from "./CaptureForm";
import { InboxComments } from "./InboxComments";
import { TaskForm } from "./LazyTaskForm";
import { taskHref } from "./links";
import type { Assignable } from "./TaskForm";
import "./inbox.css";
import type { CaptureOutbox } from "./capture-outbox";
import type { PropertyStore } from "./store";

const fileUrl = (roomId: string, id: string, part: string, version: number) =>
  `/api/rooms/${encodeURIComponent(roomId)}/captures/${id}/${part}?v=${version}`;

const STATUS_WORDS: Record<InboxItem["status"], string> = {
  processing: "Analysing…",
  processed: "Analysed",
  failed: "Analysis failed",
};

function AudioFindings(props: { item: InboxItem; roomId: string }) {
  const audio = () => props.item.audio;
  return (
    <Show when={audio()}>
      {(a) => (
        <div class="stack capture-findings">
          <p class="capture-summary" data-testid="capture-summary">
            {a().summary}
          </p>
          <dl class="capture-figures">
            <div>
              <dt>Length</dt>
              <dd>{a().durationSeconds.toFixed(1)} s</dd>
            </div>
            <div>
              <dt>Loudness</dt>
              <dd>
                {a().rmsDbfs.toFixed(0)} dBFS (peak {a().peakDbfs.toFixed(0)})
              </dd>
            </div>
            <Show when={a().dominantHz}>
              {(hz) => (
                <div>
                  <dt>Strongest pitch</dt>
                  <dd>{Math.round(hz())} Hz</dd>
                </div>
              )}
            </Show>
            <Show when={a().periodicity}>
              {(p) => (
                <div>
                  <dt>Repeats</dt>
                  <dd>{p().hz.toFixed(1)} times a second</dd>
                </div>
              )}
            </Show>
          </dl>
          <Show when={props.item.spectrogram}>
            <img
              class="capture-spectrogram"
              src={fileUrl(props.roomId, props.item.id, "spectrogram", props.item.attempt)}
              alt={`Spectrogram: ${a().summary}`}
              data-testid="capture-spectrogram"
            />
          </Show>
          <Transcript item={props.item} />
        </div>
      )}
    </Show>
  );
}

const NOT_TRANSCRIBED: Record<"off" | "failed", string> = {
  off: "Transcription is off in this Haven.",
  failed: "Transcription failed this time; the rest of the analysis is complete.",
};

/** What Whisper heard, or why there is nothing. */
function Transcript(props: { item: InboxItem }) {
  const said = () => (props.item.transcription === "done" ? (props.item.transcript ?? "") : null);
  return (
    <Show
      when={said() !== null}
      fallback={
        <p class="muted" data-testid="capture-transcript">
          {NOT_TRANSCRIBED[props.item.transcription === "failed" ? "failed" : "off"]}
        </p>
      }
    >
      <figure class="capture-transcript" data-testid="capture-transcript">
        <figcaption class="muted">What was said (transcribed by machine)</figcaption>
        <blockquote>{said() || "No words were heard."}</blockquote>
      </figure>
    </Show>
  );
}

/** The photo (its thumbnail once analysed, opening the full one), its colours and whether it is sharp. */
function PhotoFindings(props: { item: InboxItem; roomId: string }) {
  const full = () => fileUrl(props.roomId, props.item.id, "photo", 0);
  const alt = () => props.item.note || "A photo";
  return (
    <div class="stack capture-findings">
      <a href={full()} target="_blank" rel="noopener">
        <img
          class="capture-photo"
          src={props.item.thumbnail ? fileUrl(props.roomId, props.item.id, "thumbnail", props.item.attempt) : full()}
          alt={alt()}
          data-testid="capture-thumbnail"
        />
      </a>
      <Show when={props.item.photo}>
        {(p) => (
          <>
            <p class="muted">
              {`${p().width} × ${p().height} px`}
              <Show when={p().blur}>{(b) => (b().sharp ? " · sharp" : " · looks blurry (few sharp edges)")}</Show>
            </p>
            <Show when={p().colours}>
              {(colours) => (
                <ul class="capture-colours" aria-label="Its main colours" data-testid="capture-colours">
                  <For each={colours()}>
                    {(c) => (
                      <li>
                        <span class="capture-swatch" style={{ background: c.hex }} aria-hidden="true" />
                        {`${c.hex} · ${Math.round(c.share * 100)} %`}
                      </li>
                    )}
                  </For>
                </ul>
              )}
            </Show>
          </>
        )}
      </Show>
    </div>
  );
}

interface CardProps {
  item: InboxItem;
  store: PropertyStore;
  roomId: string;
  people: Assignable[];
  nameOf: (id: string) => string | null;
}

/** What a task made of an item starts with: its note as the title, what was heard as the notes. */
function taskSeed(item: InboxItem) {
  const heard = item.audio ? `Heard: ${item.audio.summary}` : "";
  return {
    id: item.id,
    title: (item.note || (item.kind === "photo" ? "Look at the photo in the inbox" : "Listen to the recording")).slice(
      0,
      120,
    ),
    notes: [item.note, heard].filter(Boolean).join("\n"),
  };
}

function InboxCard(props: CardProps) {
  const [making, setMaking] = createSignal(false);
  const item = () => props.item;
  const task = () => (item().taskId ? props.store.task(item().taskId as string) : undefined);
  const asset = () => (item().assetId ? props.store.asset(item().assetId as string) : undefined);
  const run = async (name: "inbox.retry" | "inbox.archive" | "inbox.delete", args: Record<string, unknown>) => {
    const result = await props.store.run(name, { id: item().id, ...args } as never);
    if (result.status === "refused") showToast(result.error.message, "error");
  };
  return (
    <li class="card capture-card stack" data-testid="inbox-item" data-status={item().status} data-id={item().id}>
      <div class="capture-head">
        <Icon name={item().kind === "audio" ? "mic" : item().kind === "photo" ? "camera" : "inbox"} />
        <strong>{item().note || (item().kind === "audio" ? "A recording" : "A photo")}</strong>
        <span class={`badge capture-status capture-${item().status}`} data-testid="inbox-status">
          {STATUS_WORDS[item().status]}
        </span>
      </div>
      <p class="muted">
        {props.nameOf(item().createdBy) ?? "Someone"} · {formatDateTime(item().createdAt)}
        <Show when={asset()}>{(a) => <> · {a().name}</>}</Show>
      </p>
      <Show when={item().kind === "audio" && item().files.original}>
        <audio controls preload="none" src={fileUrl(props.roomId, item().id, "original", 0)}>
          <track kind="captions" />
        </audio>
      </Show>
      <Show when={item().kind === "photo" && item().files.photo}>
        <PhotoFindings item={item()} roomId={props.roomId} />
      </Show>
      <AudioFindings item={item()} roomId={props.roomId} />
      <Show when={item().status === "failed"}>
        <p class="form-error" data-testid="inbox-reason">
          {item().reason}
        </p>
      </Show>
      <Show when={task()}>
        {(t) => (
          <p>
            Task:{" "}
            <A href={taskHref(props.roomId, t().id)} data-testid="inbox-task-link">
              {t().title}
            </A>
          </p>
        )}
      </Show>
      <InboxComments item={item()} store={props.store} />
      <Show when={making()}>
        <TaskForm
          store={props.store}
          people={props.people}
          presetAssetId={item().assetId}
          fromCapture={taskSeed(item())}
          onDone={() => setMaking(false)}
        />
      </Show>
      <Show when={props.store.canCapture()}>
        <div class="capture-actions">
          <Show when={props.store.canWriteRecords() && !item().taskId && !making()}>
            <button type="button" class="button" onClick={() => setMaking(true)} data-testid="inbox-make-task">
              Make a task
            </button>
          </Show>
          <Show when={item().status === "failed"}>
            <button type="button" class="button" onClick={() => void run("inbox.retry", {})} data-testid="inbox-retry">
              Retry
            </button>
          </Show>
          <button
            type="button"
            class="button button-ghost"
            onClick={() => void run("inbox.archive", { archived: !item().archived })}
            data-testid="inbox-archive"
          >
            {item().archived ? "Unarchive" : "Archive"}
          </button>
          <ConfirmButton
            label="Delete"
            ariaLabel={`Delete ${item().note || "this capture"}`}
            confirmLabel="Delete for everyone"
            onConfirm={() => void run("inbox.delete", {})}
            testId="inbox-delete"
          />
        </div>
      </Show>
    </li>
  );
}

function ItemList(props: Omit<CardProps, "item"> & { items: InboxItem[]; testId: string }) {
  return (
    <ul class="stack capture-list" data-testid={props.testId}>
      <For each={props.items}>
        {(item) => (
          <InboxCard
            item={item}
            store={props.store}
            roomId={props.roomId}
            people={props.people}
            nameOf={props.nameOf}
          />
        )}
      </For>
    </ul>
  );
}

export function InboxTab(props: {
  store: PropertyStore;
  roomId: string;
  outbox: CaptureOutbox;
  people: Assignable[];
  nameOf: (id: string) => string | null;
}) {
  const [showArchived, setShowArchived] = createSignal(false);
  const open = () => props.store.inbox.filter((i) => !i.archived);
  const archived = () => props.store.inbox.filter((i) => i.archived);
  return (
    <div class="stack" data-testid="inbox-tab">
      <div class="board-head">
        <h2>Inbox</h2>
      </div>
      <Show when={props.store.canCapture()}>
        <CaptureForm store={props.store} roomId={props.roomId} outbox={props.outbox} />
      </Show>
      <Show
        when={open().length > 0}
        fallback={
          <div class="card empty" data-testid="inbox-empty">
            <h3>Nothing captured yet</h3>
            <p class="muted">
              Hear a strange noise or see a stain? Record it or photograph it here, and decide later what to do.
            </p>
          </div>
        }
      >
        <ItemList items={open()} {...props} testId="inbox-list" />
      </Show>
      <Show when={archived().length > 0}>
        <details class="archived-rooms" open={showArchived()} onToggle={(e) => setShowArchived(e.currentTarget.open)}>
          <summary>Archived ({archived().length})</summary>
          <ItemList items={archived()} {...props} testId="inbox-archived" />
        </details>
      </Show>
    </div>
  );
}
