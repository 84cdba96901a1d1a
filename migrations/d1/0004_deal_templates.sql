CREATE TABLE `deal_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_user_id` text NOT NULL,
	`name` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`owner_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `deal_templates_owner_created_idx` ON `deal_templates` (`owner_user_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `rooms` ADD `list_summary` text;