CREATE TABLE `notice_resolutions` (
	`room_id` text NOT NULL,
	`subject` text NOT NULL,
	`resolution` text NOT NULL,
	`resolved_at` integer NOT NULL,
	PRIMARY KEY(`room_id`, `subject`),
	FOREIGN KEY (`room_id`) REFERENCES `rooms`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `notifications` ADD `subject` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `resolved_at` integer;--> statement-breakpoint
ALTER TABLE `notifications` ADD `resolution` text;--> statement-breakpoint
CREATE INDEX `notifications_room_subject_idx` ON `notifications` (`room_id`,`subject`);