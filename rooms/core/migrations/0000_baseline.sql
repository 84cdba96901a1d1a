CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`actor_name` text NOT NULL,
	`command` text NOT NULL,
	`subject` text NOT NULL,
	`args` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `command_log` (
	`key` text PRIMARY KEY NOT NULL,
	`actor` text NOT NULL,
	`name` text NOT NULL,
	`args_hash` text NOT NULL,
	`result` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`key` text PRIMARY KEY NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `outbox_sent_idx` ON `outbox` (`sent_at`,`created_at`);--> statement-breakpoint
CREATE TABLE `scheduled_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`due_at` integer NOT NULL,
	`payload` text NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `scheduled_jobs_due_idx` ON `scheduled_jobs` (`due_at`);--> statement-breakpoint
CREATE TABLE `ydoc_quarantine` (
	`id` integer NOT NULL,
	`part` integer NOT NULL,
	`data` blob NOT NULL,
	`source` text NOT NULL,
	`reason` text NOT NULL,
	`quarantined_at` integer NOT NULL,
	PRIMARY KEY(`id`, `part`)
);
--> statement-breakpoint
CREATE TABLE `ydoc_snapshot` (
	`generation` integer NOT NULL,
	`part` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`generation`, `part`)
);
--> statement-breakpoint
CREATE TABLE `ydoc_updates` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`update` blob NOT NULL
);
