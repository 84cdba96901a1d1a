CREATE TABLE `capture_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`capture_id` text NOT NULL,
	`by` text NOT NULL,
	`by_name` text NOT NULL,
	`text` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `capture_comments_capture_idx` ON `capture_comments` (`capture_id`,`at`);--> statement-breakpoint
CREATE TABLE `capture_files` (
	`capture_id` text NOT NULL,
	`part` text NOT NULL,
	`r2_key` text NOT NULL,
	`type` text NOT NULL,
	`bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`uploaded_by` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`capture_id`, `part`)
);
--> statement-breakpoint
CREATE TABLE `captures` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`note` text NOT NULL,
	`asset_id` text,
	`status` text NOT NULL,
	`reason` text,
	`attempt` integer NOT NULL,
	`analysis` text,
	`transcript` text,
	`task_id` text,
	`archived` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `captures_created_idx` ON `captures` (`created_at`);