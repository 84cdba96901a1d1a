CREATE TABLE `ydoc_snapshot` (
	`generation` integer NOT NULL,
	`part` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`generation`, `part`)
);
--> statement-breakpoint
CREATE TABLE `ydoc_updates` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`update` blob NOT NULL
);
