CREATE TABLE `projection_docs` (
	`audience` text NOT NULL,
	`part` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`audience`, `part`)
);
