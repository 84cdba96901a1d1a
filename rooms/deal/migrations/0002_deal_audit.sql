CREATE TABLE `deal_audit` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`actor_name` text NOT NULL,
	`role` text NOT NULL,
	`command` text NOT NULL,
	`subject` text NOT NULL,
	`summary` text NOT NULL,
	`changes` text NOT NULL,
	`ip` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deal_audit_id_unique` ON `deal_audit` (`id`);--> statement-breakpoint
CREATE TABLE `deal_audit_head` (
	`id` integer PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`hash` text NOT NULL
);
