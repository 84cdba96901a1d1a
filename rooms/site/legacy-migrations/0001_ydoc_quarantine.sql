CREATE TABLE `ydoc_quarantine` (
	`id` integer NOT NULL,
	`part` integer NOT NULL,
	`data` blob NOT NULL,
	`source` text NOT NULL,
	`reason` text NOT NULL,
	`quarantined_at` integer NOT NULL,
	PRIMARY KEY(`id`, `part`)
);
