CREATE TABLE `site_records` (
	`seq` integer PRIMARY KEY NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	`kind` text NOT NULL,
	`record_id` text NOT NULL,
	`content` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `site_records_record_idx` ON `site_records` (`record_id`);--> statement-breakpoint
CREATE TABLE `site_records_head` (
	`id` integer PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`hash` text NOT NULL
);
