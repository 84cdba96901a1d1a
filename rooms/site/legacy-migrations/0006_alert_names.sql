ALTER TABLE `alerts` ADD `ack_by_name` text;--> statement-breakpoint
ALTER TABLE `alerts` ADD `resolved_by_name` text;