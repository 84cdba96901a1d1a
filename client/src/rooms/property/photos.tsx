/**
 * Photos of a home or a site: picking one (the phone's camera or a file), redrawing it so that it carries no
 * metadata and fits the server's limit, uploading it, and showing a record's photos as thumbnails.
 */
import { For, Show } from "solid-js";
import { MAX_PHOTO_BYTES, PHOTO_MAX_SIDE_PX } from "../../../../config";
import { ApiError, photoUrl, uploadPhoto } from "../../api";
import { Icon, type IconName } from "../../components/Icon";

/** The types the server takes; anything else the browser can decode is redrawn as JPEG too. */
const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];
export const PHOTO_ACCEPT = PHOTO_TYPES.join(",");
/** JPEG quality of a redrawn photo. */
const RESIZED_JPEG_QUALITY = 0.85;
/** Each further try shrinks the sides by this much, until the photo fits the limit. */
const RESIZE_STEP = 0.75;

/** Said instead of uploading when there is no network: photos are not queued offline. */
export const OFFLINE_PHOTO_MESSAGE = "Photos need a connection, and you are offline right now.";

function redraw(bitmap: ImageBitmap, scale: number, type: "image/jpeg" | "image/png"): Promise<Blob | null> {
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = canvas.getContext("2d");
  if (!context) return Promise.resolve(null);
  // JPEG has no transparency: a transparent PNG would otherwise turn black.
  if (type === "image/jpeg") {
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
  }
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, type, RESIZED_JPEG_QUALITY));
}

/**
 * Every photo redrawn before it leaves the browser: at most PHOTO_MAX_SIDE_PX on its longest side (upright, as the
 * camera meant it), small enough for the limit, and with none of the file's metadata, so neither where it was taken
 * nor the camera's serial number is uploaded. A PNG stays a PNG while it fits (a screenshot stays sharp); the rest
 * becomes JPEG. Throws an ApiError with a message for the user when the file is not a picture this browser can read.
 */
export async function preparePhoto(file: File): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    throw new ApiError(
      415,
      "unsupported_media_type",
      "That file is not a photo Haven can read. Choose a JPEG, PNG or WebP image.",
    );
  }
  try {
    let scale = Math.min(1, PHOTO_MAX_SIDE_PX / Math.max(bitmap.width, bitmap.height));
    if (file.type === "image/png") {
      const png = await redraw(bitmap, scale, "image/png");
      if (png && png.size <= MAX_PHOTO_BYTES) return png;
    }
    for (;;) {
      const blob = await redraw(bitmap, scale, "image/jpeg");
      if (!blob) break;
      if (blob.size <= MAX_PHOTO_BYTES) return blob;
      scale *= RESIZE_STEP;
    }
  } finally {
    bitmap.close();
  }
  throw new ApiError(413, "payload_too_large", "This photo is too large and could not be made smaller here.");
}

/** Prepares and uploads one photo to the home; answers its id. */
export async function sendPhoto(roomId: string, file: File): Promise<string> {
  return uploadPhoto(roomId, await preparePhoto(file));
}

/** An optional photo for a record: the picker, then the picked file's name and a way to take it back. */
export function PhotoPick(props: {
  id: string;
  testId: string;
  disabled?: boolean;
  photo: File | null;
  onChange: (file: File | null) => void;
  nameTestId?: string;
}) {
  return (
    <div class="row photo-picked">
      <PhotoInput
        id={props.id}
        label={props.photo ? "Choose another photo" : "Add a photo (optional)"}
        disabled={props.disabled}
        testId={props.testId}
        onPick={props.onChange}
      />
      <Show when={props.photo}>
        {(file) => (
          <>
            <span class="small" data-testid={props.nameTestId}>
              {file().name}
            </span>
            <button type="button" class="button button-ghost button-small" onClick={() => props.onChange(null)}>
              Remove photo
            </button>
          </>
        )}
      </Show>
    </div>
  );
}

/**
 * Uploads a picked photo when there is a connection; undefined without one, so the record it goes with is kept
 * (queued on this device) without it, and the caller says so. Any other failure is thrown.
 */
export async function sendPhotoIfOnline(roomId: string, file: File): Promise<string | undefined> {
  if (!navigator.onLine) return undefined;
  try {
    return await sendPhoto(roomId, file);
  } catch (err) {
    if (err instanceof ApiError && err.status === 0) return undefined;
    throw err;
  }
}

/**
 * A button that opens the camera on a phone and the file picker elsewhere. The input
 * itself is visually hidden but stays focusable, and the label is the visible button.
 */
export function PhotoInput(props: {
  id: string;
  label: string;
  disabled?: boolean;
  testId: string;
  onPick: (file: File) => void;
}) {
  return <FileInput {...props} accept={PHOTO_ACCEPT} capture icon="camera" />;
}

/** A file picker shown as a button (its label); `capture` offers the phone's camera first. */
export function FileInput(props: {
  id: string;
  label: string;
  accept: string;
  capture?: boolean;
  icon: IconName;
  disabled?: boolean;
  testId: string;
  onPick: (file: File) => void;
}) {
  return (
    <span class="photo-input">
      <input
        id={props.id}
        type="file"
        class="sr-only"
        accept={props.accept}
        capture={props.capture ? "environment" : undefined}
        disabled={props.disabled}
        data-testid={props.testId}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          // Cleared so picking the same file again still fires a change.
          e.currentTarget.value = "";
          if (file) props.onPick(file);
        }}
      />
      <label for={props.id} class="button button-ghost" classList={{ "button-disabled": props.disabled === true }}>
        <Icon name={props.icon} />
        {props.label}
      </label>
    </span>
  );
}

/** Thumbnails that open the full photo. */
export function PhotoThumbs(props: {
  roomId: string;
  photoIds: readonly string[];
  alt: (index: number) => string;
  testId?: string;
}) {
  return (
    <Show when={props.photoIds.length > 0}>
      <ul class="photo-grid" data-testid={props.testId}>
        <For each={props.photoIds}>
          {(photoId, i) => (
            <li>
              <a href={photoUrl(props.roomId, photoId)} target="_blank" rel="noopener" class="photo-thumb">
                <img
                  src={photoUrl(props.roomId, photoId)}
                  alt={props.alt(i())}
                  loading="lazy"
                  data-photo-id={photoId}
                />
              </a>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
