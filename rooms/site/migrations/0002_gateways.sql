ALTER TABLE `alerts` ADD `gateway` text;--> statement-breakpoint
ALTER TABLE `devices` ADD `gateway_id` text;--> statement-breakpoint
CREATE INDEX `devices_gateway_idx` ON `devices` (`gateway_id`);