/**
 * Every tuned number in Haven, with its unit in its name and the reason it has that value.
 */

/** Sessions live 30 days from their last use (sliding expiry). */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** A session's expiry is pushed forward once less than this remains, so most requests write nothing. */
export const SESSION_REFRESH_THRESHOLD_MS = 15 * 24 * 60 * 60 * 1000;
/** Name of the session cookie. */
export const SESSION_COOKIE_NAME = "haven_session";

/** PBKDF2-SHA-256 iterations: the most Workers' WebCrypto accepts (100 000). */
export const PASSWORD_KDF_ITERATIONS = 100_000;
/** Random salt per password, 128 bits. */
export const PASSWORD_SALT_BYTES = 16;
/** Derived key length, 256 bits. */
export const PASSWORD_HASH_BYTES = 32;
/** Shortest password accepted at signup. */
export const PASSWORD_MIN_LENGTH = 8;
/** Longest password accepted; bounds the KDF's input work. */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * Login attempts per email inside the window before further attempts get 429. An attempt
 * is counted before its password is checked and forgotten only when a login succeeds.
 */
export const LOGIN_MAX_FAILURES = 10;
/** The window that failed logins are counted in. */
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60 * 1000;

/*
 * Per-client limits on sign-in, signup and sign-in links (see docs/security.md). A client
 * is its CF-Connecting-IP (an IPv6 client: its /64); each is counted exactly, before the
 * password hash or email it protects.
 */
/** Login attempts per client inside the window: bounds password spraying and the PBKDF2 work one client causes. */
export const LOGIN_PER_IP_MAX_ATTEMPTS = 30;
/** The window login attempts per client are counted in. */
export const LOGIN_PER_IP_WINDOW_MS = 15 * 60 * 1000;
/** Signups per client per window: a household or office joining together fits, an account factory does not. */
export const SIGNUP_PER_IP_MAX_ATTEMPTS = 20;
/** The window signups per client are counted in. */
export const SIGNUP_PER_IP_WINDOW_MS = 60 * 60 * 1000;
/** Sign-in link requests per client inside the window: each may send an email. */
export const LOGIN_LINK_PER_IP_MAX_REQUESTS = 5;
/** The window sign-in link requests per client are counted in. */
export const LOGIN_LINK_PER_IP_WINDOW_MS = 15 * 60 * 1000;
/**
 * Sign-in links mailed to one account per TTL; more requests get
 * the same 202 and send nothing, so the inbox cannot be flooded.
 */
export const LOGIN_LINK_PER_EMAIL_MAX_SENT = 3;
/**
 * A sign-in link works once, for 15 minutes: long enough to reach an inbox, short enough to be useless in an old mail.
 */
export const LOGIN_LINK_TTL_MS = 15 * 60 * 1000;
/** Random bytes in a sign-in link's token: 160 bits, as for invites. */
export const LOGIN_LINK_TOKEN_BYTES = 20;

/** Invites are usable for 7 days. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/**
 * Invite look-ups (`GET /api/invites/:token`) per client inside the window. Guessing a
 * 160-bit token is hopeless anyway; the limit bounds the D1 reads one client can cause,
 * and is far above what anyone opening their invites needs.
 */
export const INVITE_LOOKUP_PER_IP_MAX_REQUESTS = 60;
export const INVITE_LOOKUP_PER_IP_WINDOW_MS = 15 * 60 * 1000;

/** Largest JSON body any API route accepts; nothing legitimate is near it. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;
/**
 * Deepest nesting (arrays and objects) accepted in a client's JSON, on HTTP and in socket
 * commands. Haven's own shapes nest under ten; thousands overflow the recursive walks
 * after parsing (validation, hashing, the RPC hop's structured clone) into a 500.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * The largest WebSocket message Cloudflare delivers (32 MiB). A fresh client gets the
 * whole document as one sync step 2 message, so the document must always fit in one.
 */
export const WEBSOCKET_MESSAGE_MAX_BYTES = 32 * 1024 * 1024;
/**
 * Most encoded bytes a room's document may hold (snapshot plus update log), counting the
 * room's own mirror of its records as well as clients' edits. Half the WebSocket message
 * limit, so a whole-document sync always fits in one message with room for the estimate
 * of a mirror write to be off; and a Durable Object has 128 MB of memory while a live Yjs
 * document takes several times its encoded size. Updates that only delete are still
 * accepted at the quota, so people can make room.
 */
export const ROOM_DOC_QUOTA_BYTES = 16 * 1024 * 1024;
/** Bytes a mirrored record's entry costs in the document beyond its JSON (Yjs item header, key, client id). */
export const MIRROR_ENTRY_OVERHEAD_BYTES = 64;
/** Writers get a `quota` notice once the document passes this share of the quota. */
export const ROOM_DOC_WARN_FRACTION = 0.8;
/**
 * At the quota the room compacts to learn how much deletions freed, at most this often:
 * a compaction re-encodes the whole document.
 */
export const QUOTA_COMPACTION_INTERVAL_MS = 10_000;

/**
 * Largest WebSocket frame a room accepts from a client. An offline client sends all its
 * work as one sync step 2 frame, so anything up to the room's quota must fit; the quota,
 * not the frame, bounds what one member can add.
 */
export const MAX_FRAME_BYTES = ROOM_DOC_QUOTA_BYTES;
/** Largest awareness (presence) frame; a real one is a few hundred bytes. */
export const MAX_AWARENESS_FRAME_BYTES = 16 * 1024;

/** Update-log rows are at most this size; a larger accepted update is stored as a chunked snapshot instead. */
export const MAX_LOG_ROW_BYTES = 1_000_000;
/** Snapshot rows are at most this size: a SQLite row or value may not exceed 2 MB. */
export const SNAPSHOT_CHUNK_BYTES = 1_000_000;
/** Merge the update log into a snapshot once it holds this many updates... */
export const COMPACT_AFTER_UPDATES = 1_000;
/** ...or this many bytes, whichever comes first. Keeps cold load one snapshot plus a short log. */
export const COMPACT_AFTER_BYTES = 8 * 1024 * 1024;

/**
 * Structs an update may leave waiting for state the room does not have. Honest clients
 * only leave a little (an edit that overtakes its own sync step 2); Yjs merges the
 * waiting part with every later update that could complete it.
 */
export const MAX_PENDING_STRUCT_BYTES = 64 * 1024;
/**
 * Deletions an update may leave waiting for items the room does not have. Yjs re-reads
 * them on every later update, so a large planted set slows the room for everyone.
 */
export const MAX_PENDING_DELETE_BYTES = 2 * 1024;

/**
 * Most client updates one group commit takes. Groups normally end when the event loop
 * turns, but a socket flooding the room can keep the loop busy; the cap keeps others'
 * edits from waiting behind the whole flood.
 */
export const MAX_GROUP_UPDATES = 200;

/** Frames per second a socket may send on average (fair share: one client cannot starve a room). */
export const SOCKET_MESSAGES_PER_SECOND = 500;
/** Frames a socket may send in a burst above that rate; covers a fast import or a reconnect's catch-up. */
export const SOCKET_MESSAGE_BURST = 5_000;
/**
 * Bytes of whole-document sync answers a socket may ask for per minute. Each answer is
 * encoded and queued in the room's memory; a client that asks and never reads would
 * otherwise grow the room without bound.
 */
export const SOCKET_SYNC_REPLY_BYTES_PER_MINUTE = 64 * 1024 * 1024;
/** Open sockets one user may hold in one room (tabs and devices); more are refused. */
export const MAX_SOCKETS_PER_USER_PER_ROOM = 8;

/** Presence entries (awareness client ids) one socket may speak for; a tab uses one. */
export const MAX_PRESENCE_ENTRIES_PER_SOCKET = 4;

/*
 * Notifications (worker/queue, worker/routes/notifications.ts).
 */
/**
 * First retry of a failed delivery waits this long, doubling per attempt: a brief mail or push outage passes unnoticed.
 */
export const NOTIFY_RETRY_BASE_DELAY_SECONDS = 10;
/** Longest wait between delivery retries, so five retries still end within the hour. */
export const NOTIFY_RETRY_MAX_DELAY_SECONDS = 10 * 60;
/** Longest a delivery is held for quiet hours in one go: Queues delay a message at most 12 hours. */
export const QUIET_HOURS_MAX_DELAY_SECONDS = 12 * 60 * 60;
/** Email and push sends in flight at once per job: Workers allow six open connections per invocation. */
export const NOTIFY_SEND_CONCURRENCY = 6;
/** Notifications per page when the client does not ask for a size. */
export const NOTIFICATIONS_PAGE_DEFAULT = 20;
/** Most notifications one page returns. */
export const NOTIFICATIONS_PAGE_MAX = 100;
/** Most ids one "mark as read" request names; the client marks a page at a time. */
export const NOTIFICATIONS_READ_MAX_IDS = 100;
/** Web Push subscriptions per user (browsers and devices); an eleventh is refused, not silently swapped. */
export const PUSH_SUBSCRIPTIONS_PER_USER_MAX = 10;
/** Longest push endpoint URL accepted; real ones are a few hundred characters. */
export const PUSH_ENDPOINT_MAX_CHARS = 1_000;
/**
 * The push services Haven posts to, by host name: a push endpoint is a URL the browser hands over, so
 * without a list a member could make the queue consumer post to any address (ARCHITECTURE: outbound
 * requests to user-supplied addresses go to an allow-list). `exact` names one host, `suffixes` any host
 * under that domain (a label, then the suffix). Each entry is the service a current browser subscribes to:
 * - fcm.googleapis.com: Firebase Cloud Messaging, for Chrome, Edge on Android, Opera, Samsung Internet,
 *   Brave and every other Chromium browser.
 * - updates.push.services.mozilla.com and *.push.services.mozilla.com: Mozilla's autopush, for Firefox
 *   (older subscriptions name other hosts under the same domain).
 * - *.push.apple.com: Apple's Web Push (web.push.apple.com), for Safari on macOS and iOS 16.4+.
 * - *.notify.windows.com: Windows Push Notification Services (wns2-*.notify.windows.com), for Edge on Windows.
 */
export const PUSH_SERVICE_HOSTS: { exact: readonly string[]; suffixes: readonly string[] } = {
  exact: ["fcm.googleapis.com", "updates.push.services.mozilla.com"],
  suffixes: [".push.services.mozilla.com", ".push.apple.com", ".notify.windows.com"],
};
/** How long a push service keeps an undelivered notification: a reminder is stale after a day. */
export const PUSH_TTL_SECONDS = 24 * 60 * 60;
/** Open notification-centre sockets per user; the oldest is closed to make room for a new tab. */
export const MAX_NOTIFICATION_SOCKETS_PER_USER = 20;
/** Dead letters one listing returns, newest first. */
export const DEAD_LETTERS_PAGE_MAX = 100;

/* Commands, schedule and outbox (rooms/core). */
/**
 * Jobs one alarm runs before it yields and sets the alarm again at once, so a backlog never holds the room too long.
 */
export const ALARM_MAX_JOBS = 1_000;
/** A job that throws is tried again this much later (the room logs it); other jobs go on. */
export const JOB_RETRY_DELAY_MS = 5 * 60 * 1000;
/** After this many failed runs in a row (about 50 minutes) a job is dropped and logged as abandoned. */
export const MAX_JOB_FAILURES = 10;
/** Messages sent to the queue per batch (the Queues limit is 100). */
export const OUTBOX_BATCH = 100;
/** When sending to the queue fails, the alarm tries again after this long. */
export const OUTBOX_RETRY_DELAY_MS = 30 * 1000;
/** Sent outbox rows are kept this long, so no job re-run inside it can send a key twice. */
export const OUTBOX_KEEP_MS = 30 * 24 * 60 * 60 * 1000;

/* Photos (assets and completions, in R2). */
/** Largest photo accepted: a phone's full-resolution JPEG fits; anything larger is resized by the client first. */
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
/**
 * Longest side of a photo as the browser uploads it: every photo is redrawn to at most this, which also drops its
 * metadata (where it was taken, the camera's serial). Sharp on any screen, a few hundred KB as JPEG.
 */
export const PHOTO_MAX_SIDE_PX = 2048;
/** Photos one room may hold: 50 for each of 40 assets; R2 storage is billed to the deployer. */
export const MAX_PHOTOS_PER_ROOM = 2_000;
/** Bytes of photos one room may hold: the count above at a typical 1 MB phone photo, with some to spare. */
export const MAX_PHOTO_BYTES_PER_ROOM = 3 * 1024 * 1024 * 1024;
/** Photos one person may upload to one room per window: a walk through the house photographing each appliance fits. */
export const PHOTO_UPLOADS_PER_USER_MAX = 30;
export const PHOTO_UPLOAD_WINDOW_MS = 10 * 60 * 1000;
/** A photo still attached to nothing this long after its upload is deleted, from R2 too: the upload was abandoned. */
export const PHOTO_UNATTACHED_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * Commands one person may run in one room per second, sustained, and in a burst (an
 * offline phone replaying its queue, a script importing a house's worth of assets).
 * Beyond it a command is answered `rate_limited` and nothing runs; clients retry with
 * the same key.
 */
export const COMMANDS_PER_SECOND_PER_USER = 50;
export const COMMAND_BURST_PER_USER = 1_000;

/*
 * Records of a home. Each is mirrored into the room's document (about 0.5 KB a task, up
 * to 4.5 KB with a full note), so besides counts each kind has a byte budget in the
 * mirror: together 9 MiB of ROOM_DOC_QUOTA_BYTES, leaving the rest for checklists.
 */
export const MAX_ASSETS_PER_HOME = 5_000;
/**
 * How long after marking a task done its completer may take it back ("Undo" on the toast, which shows for
 * 6 s; the rest is room for a slow or briefly offline phone).
 */
export const TASK_UNDO_WINDOW_MS = 2 * 60 * 1000;
export const MAX_TASKS_PER_HOME = 10_000;
export const MAX_PHOTOS_PER_ASSET = 50;
/** Bytes all of a home's tasks may take in its mirror: 1,400 tasks with full notes, 12,000 typical ones. */
export const MAX_TASK_MIRROR_BYTES_PER_HOME = 6 * 1024 * 1024;
/** Bytes all of a home's assets may take in its mirror: assets change less and carry shorter text than tasks. */
export const MAX_ASSET_MIRROR_BYTES_PER_HOME = 3 * 1024 * 1024;

/* Documents on a home's assets (manuals, receipts, warranties; in R2) and the cost of a completion. */
/** Largest document accepted: a scanned manual of a few hundred pages fits; the body is streamed to R2. */
export const ASSET_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024;
/** Documents one asset may list: each is mirrored with the asset (about 250 bytes), inside its byte budget. */
export const ASSET_DOCUMENTS_PER_ASSET_MAX = 30;
/** Bytes of documents one home may hold: R2 storage is billed to the deployer. */
export const ASSET_DOCUMENT_BYTES_PER_HOME_MAX = 2 * 1024 * 1024 * 1024;
/** Documents one person may upload to one home per window: filing a drawer of manuals at once fits. */
export const ASSET_DOCUMENT_UPLOADS_PER_USER_MAX = 30;
export const ASSET_DOCUMENT_UPLOAD_WINDOW_MS = 10 * 60 * 1000;
/** Longest title of a document ("Dishwasher manual"); its file name is kept apart. */
export const ASSET_DOCUMENT_TITLE_MAX_CHARS = 120;
/** Longest file name kept for a document, as it is offered on download. */
export const ASSET_DOCUMENT_NAME_MAX_CHARS = 200;
/** Largest cost one completion may record, in the home's currency: a new roof fits; a typo of ten zeros does not. */
export const COMPLETION_COST_MAX = 1_000_000;
/** The currency of a home that has not set one. */
export const DEFAULT_HOME_CURRENCY = "USD";

/* Deals: tasks and their dependencies (rooms/deal/graph.ts), templates and dates (schema/deal), the audit chain. */
/** Tasks one task may wait for: a task page lists them all, and more than this is a plan drawn wrong, not a deal. */
export const MAX_DEPENDENCIES_PER_TASK = 50;
/**
 * The furthest a template's relative due date may sit from its key date, in days either way
 * (calendar or business): a year covers new-construction purchases; anything beyond is a typo.
 */
export const DEAL_MAX_DUE_OFFSET_DAYS = 365;
/** Longest a deal may run from acceptance to closing: two years covers new construction; more is a typo. */
export const DEAL_MAX_SPAN_DAYS = 730;
/** Milestones one template may hold: a buyer file has about ten. */
export const DEAL_TEMPLATE_MAX_MILESTONES = 30;
/** Tasks one template may hold: a buyer file has 45 to 50; the benchmark's deal has 300. */
export const DEAL_TEMPLATE_MAX_TASKS = 300;
/** Tasks one template task may depend on directly: real ones name one to three. */
export const DEAL_TEMPLATE_MAX_DEPENDENCIES = 20;
/**
 * Audit-chain rows read from a room's SQLite at a time while verifying (each is then hashed in turn): a page
 * bounds the memory a long log's verify holds, whatever its length.
 */
export const VERIFY_BATCH_ENTRIES = 256;
/** Newest audit entries a deal mirrors into its activity feed (each about 200 bytes): a screen and more. */
export const DEAL_ACTIVITY_MIRROR_ENTRIES = 50;
/** Longest summary an activity entry carries: a task's title (120) with room for a few words around it. */
export const DEAL_ACTIVITY_SUMMARY_MAX_CHARS = 200;
/**
 * Audit entries the Worker asks a deal for at once while streaming an export: about 500 KB a call, so a
 * 100,000-entry log is 100 calls and never held whole in memory.
 */
export const DEAL_AUDIT_EXPORT_PAGE_ENTRIES = 1_000;
/** Largest document a deal takes (a PDF inspection report with photos runs 5 to 12 MB); larger ones are split. */
export const DEAL_DOCUMENT_MAX_BYTES = 15 * 1024 * 1024;
/** Documents one person may upload to one deal per window: a buyer scanning a stack of pages one by one fits. */
export const DEAL_DOCUMENT_UPLOADS_PER_USER_MAX = 30;
export const DEAL_DOCUMENT_UPLOAD_WINDOW_MS = 10 * 60 * 1000;
/** Versions one document keeps (none is ever removed): more means the wrong file is being sent again and again. */
export const DEAL_DOCUMENT_MAX_VERSIONS = 50;
/** Documents one deal holds: about 30 are asked of a purchase; each is mirrored, with its versions, to every screen. */
export const DEAL_DOCUMENTS_MAX = 500;
/** Longest review comment: what is missing from a document, in a paragraph or two. */
export const DEAL_REVIEW_COMMENT_MAX_CHARS = 2000;
/** Longest document file name kept: file systems allow 255 bytes; the name goes into headers and notices. */
export const DEAL_DOCUMENT_NAME_MAX_CHARS = 200;
/** The local hour of the day before a task's due day when its "due tomorrow" notice goes out: a working morning. */
export const DEAL_DUE_SOON_HOUR = 9;
/** Tasks one deal may hold: a buyer file has about fifty; the benchmark's deal has 300; its mirror must fit. */
export const MAX_TASKS_PER_DEAL = 500;
/** Milestones one deal may hold. */
export const MAX_MILESTONES_PER_DEAL = 30;
/** Most bytes a deal's tasks may take in its document together, within the room's quota. */
export const MAX_TASK_MIRROR_BYTES_PER_DEAL = 3 * 1024 * 1024;
/** Deal templates one person may save: a brokerage uses a handful; more is a script saving in a loop. */
export const MAX_SAVED_DEAL_TEMPLATES_PER_USER = 50;
/**
 * (due date, time zone) pairs whose overdue instant a room's isolate remembers: working one out with Temporal took
 * most of a task's state derivation (bench/deal/); a deal's tasks fall on a few hundred dates.
 */
export const DEAL_OVERDUE_MEMO_ENTRIES = 2_048;

/* Sites: sensor ingestion (worker/routes/site, rooms/site). */
/**
 * Uplinks one sensor may send per second, sustained, and in a
 * burst (TTN's retries and a gateway catching up), before 429.
 */
export const UPLINKS_PER_SECOND_PER_DEVICE = 2;
export const UPLINK_BURST_PER_DEVICE = 60;
/**
 * Uplinks one ingest key, and one site over all its keys, may send per second and in a
 * burst: 2,000 units reporting each minute are about 33 a second; a gateway catching up
 * sends a burst. New DevEUIs are never limited per device, so these bound a key holder.
 */
export const UPLINKS_PER_SECOND_PER_KEY = 100;
export const UPLINK_BURST_PER_KEY = 1_000;
export const UPLINKS_PER_SECOND_PER_SITE = 150;
export const UPLINK_BURST_PER_SITE = 1_500;
/**
 * How long an uplink's correlation id (and its counter with TTN's time) is remembered to drop TTN's retries,
 * which come within minutes: a day, with room to spare.
 */
export const UPLINK_DEDUPE_MS = 24 * 60 * 60 * 1000;
/** Unclaimed sensors a site keeps for claiming (each about 200 bytes); past it the longest silent is dropped. */
export const MAX_UNCLAIMED_DEVICES_PER_SITE = 200;
/** Most unclaimed sensors one page of `GET /api/rooms/:roomId/unclaimed-devices` lists, and the default. */
export const MAX_UNCLAIMED_PAGE = 100;
export const DEFAULT_UNCLAIMED_PAGE = 50;
/** Live ingest keys a site may hold at once (one in use and one being rotated in, with room to spare). */
export const MAX_INGEST_KEYS_PER_SITE = 5;
/**
 * Readings change units' live state far more often than anyone can watch; the room copies
 * what they touched into the document at most this often, so a burst of 10 000 readings a
 * second costs a few dozen document updates, and a board still sees a reading well inside 100 ms.
 */
export const SENSOR_MIRROR_COALESCE_MS = 20;
/**
 * Raw readings and per-minute rollups are kept this long by default:
 * two years, the FDA's record-keeping horizon for these logs.
 */
export const DEFAULT_READINGS_RETENTION_DAYS = 730;
/**
 * Per-hour rollups are kept this long by default: ten years,
 * for trends and audits long after the raw readings are gone.
 */
export const DEFAULT_ROLLUP_RETENTION_DAYS = 3650;
/**
 * Rows the retention sweep deletes per table per run; a larger backlog
 * is swept again a minute later, so no run holds the room long.
 */
export const RETENTION_SWEEP_BATCH = 5_000;
/**
 * How long an alert stays mirrored to the board after it was closed
 * (cleared and acknowledged); older ones are in the unit's history.
 */
export const CLOSED_ALERT_MIRROR_MS = 7 * 24 * 60 * 60 * 1000;
/** Units a site may hold (each is mirrored, with its rules and latest reading, about 1.5 KB). */
export const MAX_UNITS_PER_SITE = 2_000;
/** Areas a site may hold (each mirrored, about 300 bytes): a large site has dozens. */
export const MAX_AREAS_PER_SITE = 200;
/** Sensors one unit may hold: a probe or two, a door contact, a humidity sensor, with spare. */
export const MAX_SENSORS_PER_UNIT = 16;
/** Spans up to this use raw readings in a chart, up to MINUTE_CHART_MAX_SPAN_MS per-minute rollups, beyond per-hour. */
export const RAW_CHART_MAX_SPAN_MS = 24 * 60 * 60 * 1000;
export const MINUTE_CHART_MAX_SPAN_MS = 31 * 24 * 60 * 60 * 1000;
/**
 * Most points a chart answer carries; a finer resolution that
 * would return more is refused with a hint to use a coarser one.
 */
export const MAX_CHART_POINTS = 50_000;
/**
 * A breach that began in a late batch of readings is checked no sooner than
 * this after it arrived, so the batch's later readings are judged first.
 */
export const BREACH_CHECK_GRACE_MS = 60_000;

/**
 * Keystrokes in a shared text field closer together than this are one undo step (the
 * browser's own history groups typing much the same way); moving the caret ends a step too.
 */
export const TEXT_UNDO_CAPTURE_MS = 500;
/** How often a dev server's watchdog (scripts/watchdog.mjs) checks that the program that started it is still there. */
export const DEV_SERVER_WATCHDOG_POLL_MS = 500;
/**
 * How long `wrangler dev` gets to shut down after a stop before its process group is killed:
 * its teardown takes a second or two on a busy machine; a kill loses nothing workerd committed.
 */
export const DEV_SERVER_STOP_GRACE_MS = 5_000;

/**
 * How many of a home's next due dates its line in the rooms list carries ("12 overdue"): past this,
 * the list says "100+ overdue", and the row in D1 stays small however many tasks the home has.
 */
export const MAX_LISTED_DUE_DATES = 100;

/* Quick capture: a home's inbox of recordings, photos and notes (docs/captures.md; in R2). */
/** Largest recording accepted as made (WebM, Ogg, MP4, MP3 or WAV): 20 MB holds over 20 minutes of Opus. */
export const CAPTURE_AUDIO_MAX_BYTES = 20 * 1024 * 1024;
/** Largest analysis WAV: 16 kHz mono 16-bit is 32 KB a second, so 20 MB holds the longest analysable clip. */
export const CAPTURE_WAV_MAX_BYTES = 20 * 1024 * 1024;
/** Largest photo capture; the browser redraws photos to PHOTO_MAX_SIDE_PX first, so most are a few hundred KB. */
export const CAPTURE_PHOTO_MAX_BYTES = 15 * 1024 * 1024;
/** Longest recording analysed: ten minutes; a longer one is kept, and its item says why it was not analysed. */
export const CAPTURE_MAX_SECONDS = 10 * 60;
/** Files one person may upload to one home's inbox per window: recording a dozen noises around the house fits. */
export const CAPTURE_UPLOADS_PER_USER_MAX = 60;
export const CAPTURE_UPLOAD_WINDOW_MS = 10 * 60 * 1000;
/** An uploaded file no inbox item filed this long after its upload is deleted, from R2 too. */
export const CAPTURE_UNFILED_TTL_MS = 24 * 60 * 60 * 1000;
/** Inbox items one home may hold (archived ones too): each is mirrored, about 1 KB with its analysis. */
export const MAX_CAPTURES_PER_HOME = 2_000;
/** Bytes the inbox may take in the home's mirror. */
export const MAX_INBOX_MIRROR_BYTES_PER_HOME = 2 * 1024 * 1024;
/** Bytes of captures one home may hold in R2: billed to the deployer. */
export const CAPTURE_BYTES_PER_HOME_MAX = 5 * 1024 * 1024 * 1024;

/** A reading logged by hand may be for a check up to a day ago (a phone kept offline through a shift), no older. */
export const MANUAL_LOG_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** …and at most this far ahead of the room's clock, for a phone whose clock runs a little fast. */
export const MANUAL_LOG_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** The range a hand-logged reading may have, in °C: a cold room's and a hot-holding cabinet's, with margin. */
export const MANUAL_LOG_MIN_CELSIUS = -60;
export const MANUAL_LOG_MAX_CELSIUS = 100;

/** How long `GET /health/ready` waits for each dependency before calling it failed. */
export const HEALTH_CHECK_TIMEOUT_MS = 2_000;
/** …and answers from its last check for this long, so a flood of calls costs D1, R2 and the rooms next to nothing. */
export const HEALTH_READY_CACHE_MS = 5_000;
