CREATE TABLE `ai_usage` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`user_key` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`cached_input_tokens` integer DEFAULT 0 NOT NULL,
	`cache_write_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`reasoning_tokens` integer DEFAULT 0 NOT NULL,
	`cost_micros` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`estimated` integer DEFAULT false NOT NULL,
	`time_to_first_token_ms` integer,
	`latency_ms` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ai_usage_request_id_unique` ON `ai_usage` (`request_id`);--> statement-breakpoint
CREATE INDEX `ai_usage_user_created_at_idx` ON `ai_usage` (`user_key`,`created_at`);--> statement-breakpoint
CREATE INDEX `ai_usage_created_at_idx` ON `ai_usage` (`created_at`);