-- U20: undo V20. The relay's replication slot and publication are runtime objects, not part of
-- the migration: drop them separately (SELECT pg_drop_replication_slot('clara_cdc');
-- DROP PUBLICATION clara_cdc;) before dropping the database.
ALTER TABLE public.messages REPLICA IDENTITY DEFAULT;
DROP TABLE public.workspace_stats;
DROP TABLE cdc.workspace_model_counts;
DROP TABLE cdc.relay_state;
DROP TABLE cdc.heartbeat;
DROP TABLE cdc.offsets;
DROP SCHEMA cdc;
