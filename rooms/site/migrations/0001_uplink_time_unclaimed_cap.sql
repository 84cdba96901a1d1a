DROP INDEX `uplinks_device_fcnt_idx`;--> statement-breakpoint
ALTER TABLE `uplinks` ADD `uplink_at` integer;--> statement-breakpoint
CREATE INDEX `uplinks_device_fcnt_at_idx` ON `uplinks` (`dev_eui`,`f_cnt`,`uplink_at`);--> statement-breakpoint
CREATE INDEX `unclaimed_last_seen_idx` ON `unclaimed_devices` (`last_seen_at`,`dev_eui`);