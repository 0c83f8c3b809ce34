CREATE TABLE "usage_meter_events" (
	"user_key" text NOT NULL,
	"metric" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"event_name" text NOT NULL,
	"stripe_customer_id" text NOT NULL,
	"identifier" text NOT NULL,
	"value" bigint NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_meter_events_user_key_metric_hour_pk" PRIMARY KEY("user_key","metric","hour"),
	CONSTRAINT "usage_meter_events_identifier_unique" UNIQUE("identifier")
);
