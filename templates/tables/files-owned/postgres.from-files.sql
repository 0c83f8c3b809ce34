DROP INDEX "files_created_at_idx";--> statement-breakpoint
ALTER TABLE "files" ADD COLUMN "owner_id" uuid NOT NULL;--> statement-breakpoint
ALTER TABLE "files" ADD CONSTRAINT "files_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "files_owner_created_at_idx" ON "files" USING btree ("owner_id","created_at");