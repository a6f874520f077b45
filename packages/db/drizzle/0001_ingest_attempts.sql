CREATE TABLE "ingest_attempts" (
	"mailbox_id" uuid NOT NULL,
	"folder" text NOT NULL,
	"uid_validity" bigint NOT NULL,
	"uid" bigint NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ingest_attempts_mailbox_id_folder_uid_validity_uid_pk" PRIMARY KEY("mailbox_id","folder","uid_validity","uid")
);
--> statement-breakpoint
ALTER TABLE "ingest_attempts" ADD CONSTRAINT "ingest_attempts_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE cascade ON UPDATE no action;