CREATE TABLE `asset_documents` (
	`id` text PRIMARY KEY NOT NULL,
	`asset_id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`size` integer NOT NULL,
	`r2_key` text NOT NULL,
	`uploaded_by` text NOT NULL,
	`uploaded_by_name` text NOT NULL,
	`uploaded_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `asset_documents_asset_idx` ON `asset_documents` (`asset_id`,`uploaded_at`);--> statement-breakpoint
ALTER TABLE `completions` ADD `cost_cents` integer;--> statement-breakpoint
ALTER TABLE `completions` ADD `currency` text;--> statement-breakpoint
ALTER TABLE `home_settings` ADD `currency` text;