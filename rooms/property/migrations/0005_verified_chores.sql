CREATE TABLE `proof_submissions` (
	`id` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`occurrence` text,
	`capture_id` text NOT NULL,
	`by` text NOT NULL,
	`by_name` text NOT NULL,
	`at` integer NOT NULL,
	`note` text NOT NULL,
	`status` text NOT NULL,
	`comment` text,
	`reviewed_by` text,
	`reviewed_by_name` text,
	`reviewed_at` integer
);
--> statement-breakpoint
CREATE INDEX `proof_submissions_task_idx` ON `proof_submissions` (`task_id`,`at`);--> statement-breakpoint
ALTER TABLE `completions` ADD `capture_id` text;--> statement-breakpoint
ALTER TABLE `completions` ADD `reviewed_by_name` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `proof` text;