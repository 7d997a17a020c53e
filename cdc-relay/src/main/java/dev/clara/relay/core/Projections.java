package dev.clara.relay.core;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-workspace projection ({@code public.workspace_stats}, flow 5), kept current from the
 * change stream of qa_pairs, qa_gaps, conversations and messages only.
 *
 * <p>Each change adds its row's contribution after the change and subtracts the one before it.
 * Every workspace row stores the stream {@link Position} of the last change applied to it, and a
 * change at or before that position is ignored: a change redelivered after a crash, or an older
 * change arriving after a newer one, never moves a row (the LSN guard). The guard and the counts
 * are updated in the same transaction.
 *
 * <p>Embedded pairs are also counted per embedding model ({@code cdc.workspace_model_counts}),
 * so that {@code embedded_pairs}/{@code pending_embeddings} for a newly configured model are
 * derived from counts at the same stream position, without rebuilding.
 */
public final class Projections {

	public static final List<String> TABLES = List.of("public.qa_pairs", "public.qa_gaps", "public.conversations",
			"public.messages");

	private static final Logger logger = LoggerFactory.getLogger(Projections.class);

	private static final String LOCK_ROWS = """
			SELECT workspace_id, last_tx_lsn::text, last_lsn::text FROM public.workspace_stats
			 WHERE workspace_id = ANY (?) FOR UPDATE""";

	private static final String UPSERT_STATS = """
			INSERT INTO public.workspace_stats AS s
			       (workspace_id, active_pairs, embedded_pairs, pending_embeddings, open_gaps, sessions, messages,
			        last_activity_at, last_tx_lsn, last_lsn)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::pg_lsn, ?::pg_lsn)
			ON CONFLICT (workspace_id) DO UPDATE SET
			  active_pairs = s.active_pairs + EXCLUDED.active_pairs,
			  embedded_pairs = s.embedded_pairs + EXCLUDED.embedded_pairs,
			  pending_embeddings = s.pending_embeddings + EXCLUDED.pending_embeddings,
			  open_gaps = s.open_gaps + EXCLUDED.open_gaps,
			  sessions = s.sessions + EXCLUDED.sessions,
			  messages = s.messages + EXCLUDED.messages,
			  last_activity_at = GREATEST(s.last_activity_at, EXCLUDED.last_activity_at),
			  last_tx_lsn = EXCLUDED.last_tx_lsn,
			  last_lsn = EXCLUDED.last_lsn
			WHERE (s.last_tx_lsn, s.last_lsn) < (EXCLUDED.last_tx_lsn, EXCLUDED.last_lsn)""";

	private static final String UPSERT_MODEL_COUNT = """
			INSERT INTO cdc.workspace_model_counts AS m (workspace_id, embedding_model, embedded_pairs)
			VALUES (?, ?, ?)
			ON CONFLICT (workspace_id, embedding_model) DO UPDATE
			SET embedded_pairs = m.embedded_pairs + EXCLUDED.embedded_pairs""";

	/** Every workspace's figures computed from the tables (the projection's definition). */
	static final String REBUILD_MODEL_COUNTS = """
			INSERT INTO cdc.workspace_model_counts (workspace_id, embedding_model, embedded_pairs)
			SELECT workspace_id, embedding_model, count(*) FROM public.qa_pairs
			 WHERE is_active AND embedding_model IS NOT NULL
			 GROUP BY workspace_id, embedding_model""";

	static final String REBUILD_STATS = """
			INSERT INTO public.workspace_stats
			       (workspace_id, active_pairs, embedded_pairs, pending_embeddings, open_gaps, sessions, messages,
			        last_activity_at, last_tx_lsn, last_lsn)
			SELECT w.id,
			       COALESCE(p.active, 0), COALESCE(p.embedded, 0), COALESCE(p.active, 0) - COALESCE(p.embedded, 0),
			       COALESCE(g.open, 0), COALESCE(c.sessions, 0), COALESCE(m.messages, 0),
			       GREATEST(c.last_updated, m.last_created), '0/0', '0/0'
			  FROM (SELECT id FROM public.workspaces
			        UNION SELECT workspace_id FROM public.qa_pairs
			        UNION SELECT workspace_id FROM public.qa_gaps
			        UNION SELECT workspace_id FROM public.conversations) w
			  LEFT JOIN (SELECT workspace_id, count(*) FILTER (WHERE is_active) AS active,
			                    count(*) FILTER (WHERE is_active AND embedding_model = ?) AS embedded
			               FROM public.qa_pairs GROUP BY workspace_id) p ON p.workspace_id = w.id
			  LEFT JOIN (SELECT workspace_id, count(*) FILTER (WHERE status = 'open') AS open
			               FROM public.qa_gaps GROUP BY workspace_id) g ON g.workspace_id = w.id
			  LEFT JOIN (SELECT workspace_id, count(*) AS sessions, max(updated_at) AS last_updated
			               FROM public.conversations GROUP BY workspace_id) c ON c.workspace_id = w.id
			  LEFT JOIN (SELECT workspace_id, count(*) AS messages, max(created_at) AS last_created
			               FROM public.messages GROUP BY workspace_id) m ON m.workspace_id = w.id""";

	private final String currentModel;

	public Projections(String currentModel) {
		this.currentModel = currentModel;
	}

	/** Whether a change of this table feeds the projection. */
	public static boolean captures(String table) {
		return TABLES.contains(table);
	}

	/**
	 * Applies changes (in stream order) inside the caller's transaction; returns how many were
	 * applied (the others were at or before their workspace's stored position).
	 */
	public int apply(Connection connection, List<Change> changes) throws SQLException {
		if (changes.isEmpty()) {
			return 0;
		}
		List<Contribution> contributions = new ArrayList<>();
		for (Change change : changes) {
			contributions.addAll(contributions(change));
		}
		if (contributions.isEmpty()) {
			return 0;
		}
		Set<UUID> gone = forgetDeletedWorkspaces(connection, contributions);
		Map<UUID, Position> stored = lockRows(connection, contributions);
		Map<UUID, Delta> deltas = new LinkedHashMap<>();
		int applied = 0;
		for (Contribution contribution : contributions) {
			if (gone.contains(contribution.workspaceId())) {
				continue;
			}
			Position last = stored.getOrDefault(contribution.workspaceId(), Position.ZERO);
			if (!contribution.position().isAfter(last)) {
				continue;
			}
			Delta delta = deltas.computeIfAbsent(contribution.workspaceId(), Delta::new);
			delta.add(contribution);
			stored.put(contribution.workspaceId(), contribution.position());
			applied++;
		}
		write(connection, deltas);
		return applied;
	}

	/**
	 * A deleted workspace's rows are deleted in the same transaction, after the workspace row
	 * (cascades run at the end of the statement): their changes would recreate its projection with
	 * negative counts. A workspace that no longer exists has no projection: its row is removed and
	 * its changes ignored (workspace ids are never reused).
	 */
	private Set<UUID> forgetDeletedWorkspaces(Connection connection, List<Contribution> contributions)
			throws SQLException {
		Set<UUID> ids = new HashSet<>();
		contributions.forEach((c) -> ids.add(c.workspaceId()));
		try (PreparedStatement select = connection
			.prepareStatement("SELECT id FROM public.workspaces WHERE id = ANY (?)")) {
			select.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
			try (ResultSet rs = select.executeQuery()) {
				while (rs.next()) {
					ids.remove(rs.getObject(1, UUID.class));
				}
			}
		}
		if (!ids.isEmpty()) {
			java.sql.Array gone = connection.createArrayOf("uuid", ids.toArray());
			try (PreparedStatement stats = connection
				.prepareStatement("DELETE FROM public.workspace_stats WHERE workspace_id = ANY (?)");
					PreparedStatement models = connection
						.prepareStatement("DELETE FROM cdc.workspace_model_counts WHERE workspace_id = ANY (?)")) {
				stats.setArray(1, gone);
				models.setArray(1, gone);
				stats.executeUpdate();
				models.executeUpdate();
			}
		}
		return ids;
	}

	private Map<UUID, Position> lockRows(Connection connection, List<Contribution> contributions) throws SQLException {
		UUID[] ids = contributions.stream().map(Contribution::workspaceId).distinct().toArray(UUID[]::new);
		Map<UUID, Position> stored = new HashMap<>();
		try (PreparedStatement select = connection.prepareStatement(LOCK_ROWS)) {
			select.setArray(1, connection.createArrayOf("uuid", ids));
			try (ResultSet rs = select.executeQuery()) {
				while (rs.next()) {
					stored.put(rs.getObject(1, UUID.class),
							new Position(Lsn.parse(rs.getString(2)), Lsn.parse(rs.getString(3))));
				}
			}
		}
		return stored;
	}

	private void write(Connection connection, Map<UUID, Delta> deltas) throws SQLException {
		if (deltas.isEmpty()) {
			return;
		}
		try (PreparedStatement stats = connection.prepareStatement(UPSERT_STATS);
				PreparedStatement models = connection.prepareStatement(UPSERT_MODEL_COUNT)) {
			boolean anyModel = false;
			for (Delta d : deltas.values()) {
				long embedded = d.embeddedByModel.getOrDefault(this.currentModel, 0L);
				stats.setObject(1, d.workspaceId);
				stats.setLong(2, d.active);
				stats.setLong(3, embedded);
				stats.setLong(4, d.active - embedded);
				stats.setLong(5, d.openGaps);
				stats.setLong(6, d.sessions);
				stats.setLong(7, d.messages);
				stats.setTimestamp(8, (d.lastActivity != null) ? Timestamp.from(d.lastActivity) : null);
				stats.setString(9, Lsn.format(d.position.txLsn()));
				stats.setString(10, Lsn.format(d.position.lsn()));
				stats.addBatch();
				for (Map.Entry<String, Long> model : d.embeddedByModel.entrySet()) {
					if (model.getValue() != 0) {
						models.setObject(1, d.workspaceId);
						models.setString(2, model.getKey());
						models.setLong(3, model.getValue());
						models.addBatch();
						anyModel = true;
					}
				}
			}
			stats.executeBatch();
			if (anyModel) {
				models.executeBatch();
			}
		}
	}

	/**
	 * Replaces the whole projection with figures computed from the tables, at the stream position
	 * before every change still to come (the caller's transaction runs on the slot's exported
	 * snapshot, so no change is both counted here and streamed later).
	 */
	public void rebuild(Connection connection) throws SQLException {
		try (PreparedStatement deleteStats = connection.prepareStatement("DELETE FROM public.workspace_stats");
				PreparedStatement deleteModels = connection.prepareStatement("DELETE FROM cdc.workspace_model_counts");
				PreparedStatement models = connection.prepareStatement(REBUILD_MODEL_COUNTS);
				PreparedStatement stats = connection.prepareStatement(REBUILD_STATS)) {
			deleteStats.executeUpdate();
			deleteModels.executeUpdate();
			models.executeUpdate();
			stats.setString(1, this.currentModel);
			int rows = stats.executeUpdate();
			logger.info("Projection rebuilt from the tables: {} workspaces (embedding model {})", rows, this.currentModel);
		}
	}

	/**
	 * Recomputes embedded/pending for this model from the per-model counts (same stream position),
	 * when the deployment's model changed since the projection was last written.
	 */
	public void switchModel(Connection connection) throws SQLException {
		try (PreparedStatement update = connection.prepareStatement("""
				WITH counts AS (
				  SELECT s.workspace_id, COALESCE(m.embedded_pairs, 0) AS embedded
				    FROM public.workspace_stats s
				    LEFT JOIN cdc.workspace_model_counts m
				           ON m.workspace_id = s.workspace_id AND m.embedding_model = ?)
				UPDATE public.workspace_stats s
				   SET embedded_pairs = c.embedded, pending_embeddings = s.active_pairs - c.embedded
				  FROM counts c
				 WHERE c.workspace_id = s.workspace_id""")) {
			update.setString(1, this.currentModel);
			int rows = update.executeUpdate();
			logger.info("Projection switched to embedding model {} ({} workspaces)", this.currentModel, rows);
		}
	}

	// ───────────────────────────── contributions ─────────────────────────────

	/** One change's effect on one workspace's figures (+ after, - before). */
	record Contribution(UUID workspaceId, Position position, long active, Map<String, Long> embeddedByModel,
			long openGaps, long sessions, long messages, Instant activity) {
	}

	static List<Contribution> contributions(Change change) {
		List<Contribution> result = new ArrayList<>(2);
		String table = change.table();
		if (!captures(table)) {
			return result;
		}
		Map<String, Object> before = change.isInsert() ? null : change.before();
		Map<String, Object> after = change.isDelete() ? null : change.after();
		if (change.isUpdate() && before == null) {
			logger.warn("Update of {} without the old row (is REPLICA IDENTITY FULL?); projection unchanged", table);
			return result;
		}
		UUID beforeWs = Change.uuid(before, "workspace_id");
		UUID afterWs = Change.uuid(after, "workspace_id");
		if (before != null && beforeWs == null) {
			logger.warn("Change of {} without the workspace of the old row (is REPLICA IDENTITY FULL?); projection unchanged",
					table);
			return result;
		}
		if (beforeWs != null && beforeWs.equals(afterWs)) {
			result.add(difference(table, change, after, before, afterWs));
		}
		else {
			if (beforeWs != null) {
				result.add(difference(table, change, null, before, beforeWs));
			}
			if (afterWs != null) {
				result.add(difference(table, change, after, null, afterWs));
			}
		}
		return result;
	}

	private static Contribution difference(String table, Change change, Map<String, Object> after,
			Map<String, Object> before, UUID workspaceId) {
		long active = 0;
		Map<String, Long> embedded = Map.of();
		long openGaps = 0;
		long sessions = 0;
		long messages = 0;
		Instant activity = null;
		switch (table) {
			case "public.qa_pairs" -> {
				active = flag(after != null && Change.bool(after, "is_active"))
						- flag(before != null && Change.bool(before, "is_active"));
				Map<String, Long> byModel = new HashMap<>(2);
				addModel(byModel, after, 1);
				addModel(byModel, before, -1);
				byModel.values().removeIf((v) -> v == 0);
				embedded = byModel;
			}
			case "public.qa_gaps" -> openGaps = flag(after != null && "open".equals(Change.string(after, "status")))
					- flag(before != null && "open".equals(Change.string(before, "status")));
			case "public.conversations" -> {
				sessions = flag(after != null) - flag(before != null);
				activity = (after != null) ? Change.instant(after, "updated_at") : null;
			}
			case "public.messages" -> {
				messages = flag(after != null) - flag(before != null);
				activity = (after != null) ? Change.instant(after, "created_at") : null;
			}
			default -> {
			}
		}
		return new Contribution(workspaceId, change.position(), active, embedded, openGaps, sessions, messages,
				activity);
	}

	private static void addModel(Map<String, Long> byModel, Map<String, Object> row, long sign) {
		if (row != null && Change.bool(row, "is_active")) {
			String model = Change.string(row, "embedding_model");
			if (model != null) {
				byModel.merge(model, sign, Long::sum);
			}
		}
	}

	private static long flag(boolean value) {
		return value ? 1 : 0;
	}

	/** Accumulated effect on one workspace within a batch. */
	static final class Delta {

		final UUID workspaceId;

		long active;

		final Map<String, Long> embeddedByModel = new HashMap<>();

		long openGaps;

		long sessions;

		long messages;

		Instant lastActivity;

		Position position = Position.ZERO;

		Delta(UUID workspaceId) {
			this.workspaceId = workspaceId;
		}

		void add(Contribution c) {
			this.active += c.active();
			c.embeddedByModel().forEach((model, n) -> this.embeddedByModel.merge(model, n, Long::sum));
			this.openGaps += c.openGaps();
			this.sessions += c.sessions();
			this.messages += c.messages();
			if (c.activity() != null && (this.lastActivity == null || c.activity().isAfter(this.lastActivity))) {
				this.lastActivity = c.activity();
			}
			this.position = c.position();
		}

	}

}
