CREATE TABLE `usage_ledger` (
	`user_key` text NOT NULL,
	`metric` text NOT NULL,
	`hour` integer NOT NULL,
	`quantity` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_key`, `metric`, `hour`)
);
--> statement-breakpoint
CREATE INDEX `usage_ledger_hour_idx` ON `usage_ledger` (`hour`);