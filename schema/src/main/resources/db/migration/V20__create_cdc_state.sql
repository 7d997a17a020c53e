-- V20: what the CDC relay (module cdc-relay) keeps in the database: its Debezium offsets, its
-- heartbeat, its own bookkeeping, and the per-workspace projection it maintains from the change
-- stream (ARCHITECTURE.md flows 2 and 5).
--
--   * schema cdc: the relay's internal tables. A schema of its own so that Supabase's API (which
--     exposes public) never shows them; row-level security is on anyway, no policy, service_role
--     only.
--       cdc.offsets        Debezium's JdbcOffsetBackingStore table, with exactly the columns that
--                          store reads and writes (id, offset_key, offset_val, record_insert_ts,
--                          record_insert_seq). Offsets live in the same database as the
--                          replication slot, so both survive or both are restored together.
--       cdc.heartbeat      written by Debezium's heartbeat.action.query; it is in the relay's
--                          publication so that the slot's confirmed LSN moves while the captured
--                          tables are idle (PostgreSQL 15 skips empty transactions).
--       cdc.relay_state    one row per slot: bootstrap phase, the slot's consistent point, the
--                          embedding model the projection counts, and watermarks (last relayed
--                          outbox row) for the outbox pruning and the health endpoint.
--       cdc.workspace_model_counts  active embedded Q&A pairs per workspace and embedding model,
--                          so that switching the deployment's model needs no rebuild.
--   * public.workspace_stats: the projection the owner API shows. Kept current by the relay from
--     the change stream only (never polling). last_tx_lsn/last_lsn are the stream position of the
--     last change applied: the relay ignores a change at or before it, so a redelivered or older
--     change never moves a row backwards. No foreign key to workspaces: a workspace's last changes
--     arrive after the workspace row is gone.
--   * messages gets REPLICA IDENTITY FULL (qa_pairs, qa_gaps and conversations have it already):
--     a deleted message's change event must name its workspace for the projection. Messages are
--     rarely updated or deleted, so the extra WAL is small.

CREATE SCHEMA cdc;
COMMENT ON SCHEMA cdc IS 'Internal state of the CDC relay (cdc-relay). Not exposed through any API.';
REVOKE ALL ON SCHEMA cdc FROM PUBLIC;
GRANT USAGE ON SCHEMA cdc TO service_role;

-- ───────────────────────────── cdc.offsets ─────────────────────────────
CREATE TABLE cdc.offsets (
  id                varchar(36) PRIMARY KEY,
  offset_key        varchar(1255),
  offset_val        varchar(1255),
  record_insert_ts  timestamp NOT NULL,
  record_insert_seq integer NOT NULL
);
COMMENT ON TABLE cdc.offsets IS
  'Debezium JdbcOffsetBackingStore (offset.storage.jdbc.table.name=cdc.offsets). Rewritten whole on every flush: one relay deployment per table.';

-- ───────────────────────────── cdc.heartbeat ─────────────────────────────
CREATE TABLE cdc.heartbeat (
  slot_name text PRIMARY KEY,
  beat_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE cdc.heartbeat IS 'Debezium heartbeat.action.query target; part of the relay''s publication.';

-- ───────────────────────────── cdc.relay_state ─────────────────────────────
CREATE TABLE cdc.relay_state (
  slot_name              text PRIMARY KEY,
  phase                  text NOT NULL CHECK (phase IN ('bootstrapping', 'streaming')),
  consistent_lsn         pg_lsn,
  replay_since           timestamptz,
  projection_model       text,
  bootstrapped_at        timestamptz,
  last_event_at          timestamptz,
  last_outbox_commit_at  timestamptz,
  last_outbox_created_at timestamptz,
  last_outbox_event_id   uuid,
  updated_at             timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE cdc.relay_state IS 'The CDC relay''s bookkeeping, one row per replication slot.';
COMMENT ON COLUMN cdc.relay_state.phase IS
  'bootstrapping: the relay is creating its slot and replaying (a crash here is redone from scratch); streaming: Debezium owns the slot.';
COMMENT ON COLUMN cdc.relay_state.consistent_lsn IS
  'Consistent point of the slot the relay created; until Debezium stores offsets the slot must not have moved past it.';
COMMENT ON COLUMN cdc.relay_state.replay_since IS 'Outbox rows created at or after this were replayed at bootstrap (null: all retained rows).';
COMMENT ON COLUMN cdc.relay_state.projection_model IS 'Embedding model that workspace_stats.embedded_pairs/pending_embeddings count.';
COMMENT ON COLUMN cdc.relay_state.last_event_at IS 'Commit time of the last captured change the relay processed.';
COMMENT ON COLUMN cdc.relay_state.last_outbox_commit_at IS 'Commit time of the last outbox row relayed to Kafka (pruning watermark).';

CREATE TRIGGER set_updated_at_relay_state
  BEFORE UPDATE ON cdc.relay_state
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- ───────────────────────────── cdc.workspace_model_counts ─────────────────────────────
CREATE TABLE cdc.workspace_model_counts (
  workspace_id    uuid NOT NULL,
  embedding_model text NOT NULL,
  embedded_pairs  integer NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, embedding_model)
);
COMMENT ON TABLE cdc.workspace_model_counts IS
  'Active Q&A pairs with an embedding, per workspace and model; updated with workspace_stats under its LSN guard.';

ALTER TABLE cdc.offsets ENABLE ROW LEVEL SECURITY;
ALTER TABLE cdc.heartbeat ENABLE ROW LEVEL SECURITY;
ALTER TABLE cdc.relay_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE cdc.workspace_model_counts ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON TABLE cdc.offsets, cdc.heartbeat, cdc.relay_state, cdc.workspace_model_counts
  FROM PUBLIC, anon, authenticated;
GRANT ALL ON TABLE cdc.offsets, cdc.heartbeat, cdc.relay_state, cdc.workspace_model_counts TO service_role;

-- ───────────────────────────── public.workspace_stats ─────────────────────────────
CREATE TABLE public.workspace_stats (
  workspace_id       uuid PRIMARY KEY,
  active_pairs       integer NOT NULL DEFAULT 0,
  embedded_pairs     integer NOT NULL DEFAULT 0,
  pending_embeddings integer NOT NULL DEFAULT 0,
  open_gaps          integer NOT NULL DEFAULT 0,
  sessions           integer NOT NULL DEFAULT 0,
  messages           bigint NOT NULL DEFAULT 0,
  last_activity_at   timestamptz,
  last_tx_lsn        pg_lsn NOT NULL DEFAULT '0/0',
  last_lsn           pg_lsn NOT NULL DEFAULT '0/0',
  updated_at         timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE public.workspace_stats IS
  'Per-workspace read model kept current by the CDC relay from the change stream (flow 5). Read-only for owners.';
COMMENT ON COLUMN public.workspace_stats.active_pairs IS 'qa_pairs with is_active.';
COMMENT ON COLUMN public.workspace_stats.embedded_pairs IS
  'Active qa_pairs with an embedding by the deployment''s current model (cdc.relay_state.projection_model).';
COMMENT ON COLUMN public.workspace_stats.pending_embeddings IS
  'Active qa_pairs without an embedding by the current model (none, or another model''s).';
COMMENT ON COLUMN public.workspace_stats.open_gaps IS 'qa_gaps with status open.';
COMMENT ON COLUMN public.workspace_stats.sessions IS 'conversations (widget sessions and signed-in conversations).';
COMMENT ON COLUMN public.workspace_stats.messages IS 'messages.';
COMMENT ON COLUMN public.workspace_stats.last_activity_at IS
  'Newest messages.created_at or conversations.updated_at seen; deletions do not move it back.';
COMMENT ON COLUMN public.workspace_stats.last_tx_lsn IS
  'With last_lsn, the stream position of the last change applied (commit LSN of the preceding transaction, change LSN).';

CREATE TRIGGER set_updated_at_workspace_stats
  BEFORE UPDATE ON public.workspace_stats
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.workspace_stats ENABLE ROW LEVEL SECURITY;

CREATE POLICY workspace_stats_owner_select ON public.workspace_stats
  FOR SELECT TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.workspace_stats FROM PUBLIC, anon, authenticated;
GRANT SELECT ON TABLE public.workspace_stats TO authenticated;
GRANT ALL ON TABLE public.workspace_stats TO service_role;

-- ───────────────────────────── messages: full replica identity ─────────────────────────────
ALTER TABLE public.messages REPLICA IDENTITY FULL;
