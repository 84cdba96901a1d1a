/**
 * The record button's state for a Solid component: one press starts recording from the microphone, the next
 * stops it and hands over the recording. Counts the seconds while it runs and lets the microphone go when the
 * component goes.
 */
import { createSignal, onCleanup } from "solid-js";
import { type Recording, startRecording } from "./capture-audio";

export interface Recorder {
  /** Whether the microphone is recording now. */
  active(): boolean;
  /** Whole seconds since this recording started. */
  seconds(): number;
  toggle(): Promise<void>;
}

export function createRecorder(handlers: {
  started(): void;
  recorded(sound: Blob): void;
  failed(err: unknown): void;
}): Recorder {
  const [recording, setRecording] = createSignal<Recording | null>(null);
  const [seconds, setSeconds] = createSignal(0);
  let timer: ReturnType<typeof setInterval> | undefined;
  onCleanup(() => {
    clearInterval(timer);
    recording()?.cancel();
  });
  return {
    active: () => recording() !== null,
    seconds,
    async toggle() {
      const current = recording();
      if (current) {
        clearInterval(timer);
        setRecording(null);
        handlers.recorded(await current.stop());
        return;
      }
      try {
        setRecording(await startRecording());
      } catch (err) {
        handlers.failed(err);
        return;
      }
      handlers.started();
      setSeconds(0);
      timer = setInterval(() => setSeconds((s) => s + 1), 1_000);
    },
  };
}
