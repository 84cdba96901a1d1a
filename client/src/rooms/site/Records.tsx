/**
 * A site's compliance records, as an inspector reads them (docs/sites.md, "Records an inspector accepts"): the
 * newest hand-logged readings, corrections, corrective actions and verifications, each with who and when, what
 * corrected or verified it; a check of the whole chain; and, for those who may, recording what was done about a
 * reading and verifying another person's record.
 */
import { createResource, createSignal, For, Show } from "solid-js";
import {
  type CorrectiveActionRecord,
  SCALE_SYMBOLS,
  type SiteRecord,
  type SiteRecordsPage,
} from "../../../../schema/site/compliance";
import { errorMessage, getSiteRecords, verifySiteRecords } from "../../api";
import { Alert as AlertRegion } from "../../components/Alert";
import { formatDateTime } from "../../format";
import { showToast } from "../../toast";
import { PRODUCT_WORDS } from "./labels";
import { ActForm, CorrectForm } from "./RecordForms";
import type { SiteStore } from "./store";
import "./records.css";

/** How many of the newest records the page shows. */
const SHOWN = 200;

async function newestRecords(roomId: string): Promise<SiteRecordsPage> {
  const { head } = await getSiteRecords(roomId, 0, 1);
  return getSiteRecords(roomId, Math.max(0, head.seq - SHOWN), SHOWN);
}

function reading(record: Extract<SiteRecord, { kind: "manual_log" | "correction" }>): string {
  const asRead = `${record.value} ${SCALE_SYMBOLS[record.scale]}`;
  return record.scale === "C" ? asRead : `${asRead} (${record.celsius.toFixed(1)} °C)`;
}

export function Records(props: { store: SiteStore; roomId: string }) {
  const [page, { refetch }] = createResource(() => props.roomId, newestRecords);
  const [editing, setEditing] = createSignal<{ id: string; form: "act" | "correct" } | null>(null);
  const isEditing = (id: string, form: "act" | "correct") => editing()?.id === id && editing()?.form === form;
  const [chain, setChain] = createSignal<string | null>(null);
  const entries = () => [...(page()?.entries ?? [])].reverse();
  const records = () => entries().map((e) => e.content);
  const unitName = (id: string) => props.store.unit(id)?.name ?? "A unit";
  const byId = (id: string) => records().find((r) => r.id === id);
  const correctedBy = (id: string) => records().find((r) => r.kind === "correction" && r.corrects === id);
  const verifiedBy = (id: string) => records().find((r) => r.kind === "verification" && r.verifies === id);
  const actedOn = (id: string) =>
    records().find((r): r is CorrectiveActionRecord => r.kind === "corrective_action" && r.manualLogId === id);

  const done = () => {
    setEditing(null);
    void refetch();
  };

  const run = async (name: "record.verify", args: { recordId: string; note: string }) => {
    const result = await props.store.run(name, args);
    if (result.status === "refused") return showToast(errorMessage(result.error));
    showToast(result.status === "queued" ? "Saved on this device. It syncs when you are back online." : "Verified.");
    void refetch();
  };

  const checkChain = async () => {
    setChain("Checking…");
    try {
      const report = await verifySiteRecords(props.roomId);
      setChain(
        report.ok
          ? `Intact: all ${report.count} records are as they were made.`
          : `Broken at record ${report.seq} (${report.reason.replace("_", " ")}): ${report.message}`,
      );
    } catch (err) {
      setChain(errorMessage(err));
    }
  };

  return (
    <section class="card site-records stack" aria-labelledby="site-records-title" data-testid="site-records">
      <div class="row records-head">
        <h2 id="site-records-title">Records</h2>
        <button type="button" class="button" onClick={() => void checkChain()} data-testid="records-verify-chain">
          Check the records are unaltered
        </button>
      </div>
      <Show when={chain()}>
        {(words) => (
          <p role="status" data-testid="records-chain">
            {words()}
          </p>
        )}
      </Show>
      <p class="muted small">
        Readings logged by hand, their corrections, corrective actions and verifications, newest first. Nothing here is
        edited or deleted: a correction is a new record, and the original stays.
      </p>
      <AlertRegion message={page.error ? errorMessage(page.error) : null} />
      <Show when={page() && entries().length === 0}>
        <p class="muted">No records yet. Log a reading on a unit's page.</p>
      </Show>
      <ol class="records-list">
        <For each={records()}>
          {(record) => (
            <li class="record-entry" data-testid="record-entry" data-kind={record.kind}>
              <RecordLine record={record} unitName={unitName} byId={byId} />
              <p class="muted small">
                {record.byName} · {formatDateTime(record.at)}
                <Show when={verifiedBy(record.id)}>{(v) => <> · Verified by {v().byName}</>}</Show>
                <Show when={correctedBy(record.id)}> · Corrected since</Show>
              </p>
              <div class="row">
                <Show
                  when={
                    props.store.canConfigure() &&
                    record.kind !== "verification" &&
                    record.by !== props.store.userId &&
                    !verifiedBy(record.id)
                  }
                >
                  <button
                    type="button"
                    class="button button-small"
                    onClick={() => void run("record.verify", { recordId: record.id, note: "" })}
                    data-testid="record-verify"
                  >
                    Verify
                  </button>
                </Show>
                <Show
                  when={
                    props.store.canHandle() &&
                    (record.kind === "manual_log" || record.kind === "correction") &&
                    !correctedBy(record.id) &&
                    editing()?.id !== record.id
                  }
                >
                  <button
                    type="button"
                    class="button button-small button-ghost"
                    onClick={() => setEditing({ id: record.id, form: "correct" })}
                    data-testid="record-correct"
                  >
                    Correct
                  </button>
                  <Show when={!actedOn(record.id)}>
                    <button
                      type="button"
                      class="button button-small button-ghost"
                      onClick={() => setEditing({ id: record.id, form: "act" })}
                      data-testid="record-act"
                    >
                      Record corrective action
                    </button>
                  </Show>
                </Show>
              </div>
              <Show when={isEditing(record.id, "act")}>
                <ActForm store={props.store} recordId={record.id} onDone={done} />
              </Show>
              <Show when={isEditing(record.id, "correct")}>
                <CorrectForm store={props.store} recordId={record.id} onDone={done} />
              </Show>
            </li>
          )}
        </For>
      </ol>
    </section>
  );
}

function RecordLine(props: {
  record: SiteRecord;
  unitName: (id: string) => string;
  byId: (id: string) => SiteRecord | undefined;
}) {
  const r = props.record;
  switch (r.kind) {
    case "manual_log":
      return (
        <p>
          <strong>{props.unitName(r.unitId)}</strong>: {reading(r)} by hand, checked {formatDateTime(r.takenAt)}
          {r.note ? `. ${r.note}` : ""}
        </p>
      );
    case "correction":
      return (
        <p>
          <strong>{props.unitName(r.unitId)}</strong>: corrected to {reading(r)}, because {r.reason}
        </p>
      );
    case "corrective_action":
      return (
        <p>
          <strong>{props.unitName(r.unitId)}</strong>: corrective action. {r.found ? `Found: ${r.found}. ` : ""}
          Done: {r.action}. {PRODUCT_WORDS[r.product]}.
        </p>
      );
    case "verification": {
      const checked = props.byId(r.verifies);
      const what = checked && checked.kind !== "verification" ? `${props.unitName(checked.unitId)}, ` : "";
      return (
        <p>
          Verified {what}
          {checked ? `${checked.byName}'s record of ${formatDateTime(checked.at)}` : "an older record"}
          {r.note ? `: ${r.note}` : ""}
        </p>
      );
    }
  }
}
