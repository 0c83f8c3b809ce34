CREATE TABLE `usage_meter_events` (
	`user_key` text NOT NULL,
	`metric` text NOT NULL,
	`hour` integer NOT NULL,
	`event_name` text NOT NULL,
	`stripe_customer_id` text NOT NULL,
	`identifier` text NOT NULL,
	`value` integer NOT NULL,
	`sent_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`user_key`, `metric`, `hour`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `usage_meter_events_identifier_unique` ON `usage_meter_events` (`identifier`);