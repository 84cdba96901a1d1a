CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`unit_id` text NOT NULL,
	`rule` text NOT NULL,
	`severity` text NOT NULL,
	`state` text NOT NULL,
	`threshold` real NOT NULL,
	`started_at` integer NOT NULL,
	`raised_at` integer NOT NULL,
	`cleared_at` integer,
	`last_value` real,
	`peak_value` real,
	`breaches` integer NOT NULL,
	`escalation_step` integer NOT NULL,
	`ack_by` text,
	`ack_by_name` text,
	`ack_at` integer,
	`ack_note` text,
	`resolved_by` text,
	`resolved_by_name` text,
	`resolved_at` integer,
	`action` text,
	`product` text,
	`resolution_note` text,
	`photo_id` text
);
--> statement-breakpoint
CREATE INDEX `alerts_unit_rule_idx` ON `alerts` (`unit_id`,`rule`,`state`);--> statement-breakpoint
CREATE INDEX `alerts_state_idx` ON `alerts` (`state`,`cleared_at`);--> statement-breakpoint
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
CREATE INDEX `devices_unit_idx` ON `devices` (`unit_id`);--> statement-breakpoint
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
CREATE TABLE `readings_hour` (
	`unit_id` text NOT NULL,
	`at` integer NOT NULL,
	`count` integer NOT NULL,
	`sum` real NOT NULL,
	`min` real NOT NULL,
	`max` real NOT NULL,
	PRIMARY KEY(`unit_id`, `at`)
);
--> statement-breakpoint
CREATE TABLE `readings_minute` (
	`unit_id` text NOT NULL,
	`at` integer NOT NULL,
	`count` integer NOT NULL,
	`sum` real NOT NULL,
	`min` real NOT NULL,
	`max` real NOT NULL,
	PRIMARY KEY(`unit_id`, `at`)
);
--> statement-breakpoint
CREATE TABLE `rule_overrides` (
	`scope` text NOT NULL,
	`kind` text NOT NULL,
	`rule` text NOT NULL,
	PRIMARY KEY(`scope`, `kind`)
);
--> statement-breakpoint
CREATE TABLE `rule_states` (
	`unit_id` text NOT NULL,
	`kind` text NOT NULL,
	`breach_since` integer,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`unit_id`, `kind`)
);
--> statement-breakpoint
CREATE TABLE `site_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`retention_days` integer NOT NULL,
	`rollup_retention_days` integer NOT NULL,
	`escalation` text NOT NULL
);
--> statement-breakpoint
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