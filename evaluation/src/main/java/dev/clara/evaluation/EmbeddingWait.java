package dev.clara.evaluation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Waits until the embedding worker has embedded every active pair of the workspaces with the
 * model, printing progress. The worker's {@code POST /backfill} embeds whatever lacks a current
 * vector; it is called again whenever a run ends early (pairs imported while it ran).
 */
final class EmbeddingWait {

	private static final String PROGRESS = """
			SELECT count(*) FILTER (WHERE embedding IS NOT NULL AND embedding_model = ?), count(*)
			FROM qa_pairs WHERE workspace_id = ANY (?) AND is_active
			""";

	private EmbeddingWait() {
	}

	static void await(Connection db, HttpClient http, String worker, String model, Collection<UUID> workspaces,
			Duration timeout) throws Exception {
		AtomicBoolean done = new AtomicBoolean();
		Thread backfill = new Thread(() -> {
			while (!done.get()) {
				try {
					http.send(HttpRequest.newBuilder(URI.create(worker + "/backfill"))
						.POST(HttpRequest.BodyPublishers.noBody())
						.timeout(Duration.ofMinutes(30))
						.build(), HttpResponse.BodyHandlers.discarding());
					Thread.sleep(1000);
				}
				catch (InterruptedException ex) {
					return;
				}
				catch (Exception ex) {
					System.out.println("  (backfill call failed: " + ex + "; retrying)");
					try {
						Thread.sleep(2000);
					}
					catch (InterruptedException interrupted) {
						return;
					}
				}
			}
		}, "backfill-caller");
		backfill.setDaemon(true);
		backfill.start();
		long started = System.nanoTime();
		long deadline = started + timeout.toNanos();
		try {
			long lastEmbedded = -1;
			while (true) {
				long[] progress = progress(db, model, workspaces);
				long embedded = progress[0];
				long total = progress[1];
				double seconds = (System.nanoTime() - started) / 1e9;
				if (embedded != lastEmbedded || embedded >= total) {
					double rate = seconds > 0 ? embedded / seconds : 0;
					System.out.printf("  embedding with %s: %d/%d (%.0f%%, %.0f pairs/s%s)%n", model, embedded, total,
							total == 0 ? 100.0 : 100.0 * embedded / total, rate,
							rate > 0 && embedded < total ? String.format(", about %.0f s left", (total - embedded) / rate) : "");
					lastEmbedded = embedded;
				}
				if (embedded >= total) {
					System.out.printf("  all %d pairs embedded in %.1f s%n", total, seconds);
					return;
				}
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("embedding did not finish within " + timeout + ": " + embedded + "/" + total);
				}
				Thread.sleep(3000);
			}
		}
		finally {
			done.set(true);
		}
	}

	private static long[] progress(Connection db, String model, Collection<UUID> workspaces) throws Exception {
		try (PreparedStatement select = db.prepareStatement(PROGRESS)) {
			select.setString(1, model);
			select.setArray(2, db.createArrayOf("uuid", workspaces.toArray()));
			try (ResultSet rows = select.executeQuery()) {
				rows.next();
				return new long[] { rows.getLong(1), rows.getLong(2) };
			}
		}
	}

}
