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
	`ack_at` integer,
	`ack_note` text,
	`resolved_by` text,
	`resolved_at` integer,
	`action` text,
	`product` text,
	`resolution_note` text,
	`photo_id` text
);
--> statement-breakpoint
CREATE INDEX `alerts_unit_rule_idx` ON `alerts` (`unit_id`,`rule`,`state`);--> statement-breakpoint
CREATE INDEX `alerts_state_idx` ON `alerts` (`state`,`cleared_at`);--> statement-breakpoint
CREATE TABLE `photos` (
	`id` text PRIMARY KEY NOT NULL,
	`content_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`uploaded_by` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
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
