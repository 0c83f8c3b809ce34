CREATE TABLE "usage_ledger" (
	"user_key" text NOT NULL,
	"metric" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"quantity" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_ledger_user_key_metric_hour_pk" PRIMARY KEY("user_key","metric","hour")
);
--> statement-breakpoint
CREATE INDEX "usage_ledger_hour_idx" ON "usage_ledger" USING btree ("hour");