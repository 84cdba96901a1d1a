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
	`payload` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `scheduled_jobs_due_idx` ON `scheduled_jobs` (`due_at`);--> statement-breakpoint
CREATE TABLE `assets` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`category` text NOT NULL,
	`location` text NOT NULL,
	`make` text NOT NULL,
	`model` text NOT NULL,
	`serial_number` text NOT NULL,
	`purchase_date` text,
	`warranty_end` text,
	`notes` text NOT NULL,
	`photos` text NOT NULL,
	`archived` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `completions` (
	`id` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`kind` text NOT NULL,
	`occurrence` text,
	`on` text NOT NULL,
	`at` integer NOT NULL,
	`by` text NOT NULL,
	`by_name` text NOT NULL,
	`note` text NOT NULL,
	`photo_id` text
);
--> statement-breakpoint
CREATE INDEX `completions_task_at_idx` ON `completions` (`task_id`,`at`);--> statement-breakpoint
CREATE INDEX `completions_on_idx` ON `completions` (`on`);--> statement-breakpoint
CREATE TABLE `home_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`time_zone` text NOT NULL,
	`feed_secret_hash` text
);
--> statement-breakpoint
CREATE TABLE `photos` (
	`id` text PRIMARY KEY NOT NULL,
	`content_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`uploaded_by` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`asset_id` text,
	`title` text NOT NULL,
	`notes` text NOT NULL,
	`assignee` text,
	`schedule` text NOT NULL,
	`lead_days` integer NOT NULL,
	`occurrence` text,
	`next_due` text,
	`archived` integer NOT NULL,
	`last_completed_on` text,
	`last_completed_by` text,
	`completions` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tasks_next_due_idx` ON `tasks` (`next_due`);