/**
 * Running a deal command from a view: busy while it is under way, the room's refusal kept in words for an
 * Alert beside the control (a refused cycle's message names the cycle), and a notice when it waits for the
 * network. Must be created inside a component.
 */
import { type Accessor, createSignal } from "solid-js";
import type { DealCommandArgs, DealCommandName } from "../../../../schema/deal/commands";
import type { ApiError } from "../../api";
import type { CommandResult } from "../../command-queue";
import { showToast } from "../../toast";
import { COMMAND_WORDS, type DealStore } from "./store";

export interface CommandRunner {
  busy: Accessor<boolean>;
  error: Accessor<string | null>;
  /** The last refusal itself, for forms that show its field errors. */
  refusal: Accessor<ApiError | null>;
  setError(message: string | null): void;
  /** True when the room ran it, or it is queued to run once online; false when refused. */
  send<N extends DealCommandName>(name: N, args: DealCommandArgs<N>, done?: string): Promise<boolean>;
  sendOther(name: string, args: unknown, done?: string): Promise<boolean>;
}

export function createCommandRunner(store: DealStore): CommandRunner {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [refusal, setRefusal] = createSignal<ApiError | null>(null);

  async function finish(name: string, work: () => Promise<CommandResult>, done?: string): Promise<boolean> {
    setBusy(true);
    setError(null);
    setRefusal(null);
    try {
      const result = await work();
      if (result.status === "refused") {
        setRefusal(result.error);
        setError(result.error.message);
        return false;
      }
      if (result.status === "queued") {
        showToast(`${COMMAND_WORDS[name] ?? "This change"} is kept here and sent when you are back online.`);
      } else if (done) showToast(done);
      return true;
    } finally {
      setBusy(false);
    }
  }

  return {
    busy,
    error,
    refusal,
    setError,
    send: (name, args, done) => finish(name, () => store.run(name, args), done),
    sendOther: (name, args, done) => finish(name, () => store.runOther(name, args), done),
  };
}
