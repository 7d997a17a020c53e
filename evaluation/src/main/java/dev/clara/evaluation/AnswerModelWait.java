package dev.clara.evaluation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Collection;
import java.util.UUID;

/**
 * Asks the worker's trainer for each workspace's answer model (as the pipeline's events would) and
 * waits until every workspace has one trained on all of its embedded pairs, printing how long the
 * last vector to the trained model took.
 */
final class AnswerModelWait {

	private static final String REQUEST = "SELECT public.request_answer_model(?)";

	/** Workspaces whose newest model has seen every active embedded pair. */
	private static final String TRAINED = """
			SELECT count(*) FROM workspaces w
			WHERE w.id = ANY (?)
			  AND (SELECT a.pair_count FROM answer_models a WHERE a.workspace_id = w.id ORDER BY a.version DESC LIMIT 1)
			      = (SELECT count(*) FROM qa_pairs p WHERE p.workspace_id = w.id AND p.is_active AND p.embedding IS NOT NULL)
			""";

	private AnswerModelWait() {
	}

	static void await(Connection db, Collection<UUID> workspaces, Duration timeout) throws Exception {
		for (UUID workspace : workspaces) {
			try (PreparedStatement request = db.prepareStatement(REQUEST)) {
				request.setObject(1, workspace);
				request.execute();
			}
		}
		long started = System.nanoTime();
		while (trained(db, workspaces) < workspaces.size()) {
			if (System.nanoTime() - started > timeout.toNanos()) {
				throw new IllegalStateException("no complete answer model within " + timeout + " (is the trainer on?)");
			}
			Thread.sleep(1000);
		}
		System.out.printf("  answer models trained %.1f s after the last vector (%d workspaces)%n",
				(System.nanoTime() - started) / 1e9, workspaces.size());
	}

	private static long trained(Connection db, Collection<UUID> workspaces) throws Exception {
		try (PreparedStatement select = db.prepareStatement(TRAINED)) {
			select.setArray(1, db.createArrayOf("uuid", workspaces.toArray()));
			try (ResultSet rows = select.executeQuery()) {
				rows.next();
				return rows.getLong(1);
			}
		}
	}

}
