CREATE TABLE `deal_dependencies` (
	`task_id` text NOT NULL,
	`depends_on` text NOT NULL,
	PRIMARY KEY(`task_id`, `depends_on`)
);
--> statement-breakpoint
CREATE INDEX `deal_dependencies_on_idx` ON `deal_dependencies` (`depends_on`);--> statement-breakpoint
CREATE TABLE `deal_info` (
	`id` integer PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`address` text NOT NULL,
	`status` text NOT NULL,
	`acceptance` text NOT NULL,
	`closing` text NOT NULL,
	`time_zone` text NOT NULL,
	`parties` text NOT NULL,
	`purchase_price` integer,
	`financing` text,
	`commission` text,
	`template_id` text,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `deal_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`milestone_id` text,
	`ord` integer NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`notes` text NOT NULL,
	`assignee` text,
	`assignee_outsider` integer DEFAULT false NOT NULL,
	`due_rule` text,
	`due_date` text,
	`started_at` integer,
	`started_by` text,
	`completed_at` integer,
	`completed_by` text,
	`shared_with_buyer` integer NOT NULL,
	`document_requested` integer NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `deal_tasks_milestone_idx` ON `deal_tasks` (`milestone_id`);--> statement-breakpoint
CREATE TABLE `deal_milestones` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`ord` integer NOT NULL,
	`reached_at` integer,
	`created_at` integer NOT NULL
);
