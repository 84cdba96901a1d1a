CREATE TABLE `areas` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `devices` (
	`dev_eui` text PRIMARY KEY NOT NULL,
	`unit_id` text NOT NULL,
	`name` text NOT NULL,
	`mapping` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ingest_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`label` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE TABLE `readings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dev_eui` text NOT NULL,
	`unit_id` text NOT NULL,
	`at` integer NOT NULL,
	`temperature` real,
	`humidity` real,
	`battery` real,
	`door_open` integer,
	`rssi` real,
	`snr` real
);
--> statement-breakpoint
CREATE INDEX `readings_unit_at_idx` ON `readings` (`unit_id`,`at`);--> statement-breakpoint
CREATE TABLE `unclaimed_devices` (
	`dev_eui` text PRIMARY KEY NOT NULL,
	`device_id` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`uplinks` integer NOT NULL,
	`last_values` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `units` (
	`id` text PRIMARY KEY NOT NULL,
	`area_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `uplinks` (
	`dev_eui` text NOT NULL,
	`f_cnt` integer,
	`correlation_id` text,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `uplinks_device_fcnt_idx` ON `uplinks` (`dev_eui`,`f_cnt`);--> statement-breakpoint
CREATE INDEX `uplinks_correlation_idx` ON `uplinks` (`correlation_id`);--> statement-breakpoint
CREATE INDEX `uplinks_received_idx` ON `uplinks` (`received_at`);