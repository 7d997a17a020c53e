package dev.clara.embedding;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Embeds every active pair (and, through the {@link BackfillStep}s, every document chunk) that has no
 * vector of the current model (new deployment, model switch,
 * events that went to the dead-letter topic). Runs at start-up and on demand, one run at a time,
 * logging progress as counts and rate.
 */
@Component
class Backfill {

	private static final Logger log = LoggerFactory.getLogger(Backfill.class);

	private final PairEmbeddings pairs;

	private final Embedder embedder;

	private final WorkerProperties properties;

	private final List<BackfillStep> steps;

	private final AtomicBoolean running = new AtomicBoolean();

	Backfill(PairEmbeddings pairs, Embedder embedder, WorkerProperties properties, List<BackfillStep> steps) {
		this.pairs = pairs;
		this.embedder = embedder;
		this.properties = properties;
		this.steps = steps;
	}

	/** What one run did. */
	record Result(long pendingAtStart, long embedded, long millis, boolean alreadyRunning) {
	}

	@EventListener(ApplicationReadyEvent.class)
	void onStartup() {
		if (this.properties.backfillOnStartup()) {
			// in the background, so the worker is healthy and consuming while it catches up
			Thread thread = new Thread(this::run, "backfill");
			thread.setDaemon(true);
			thread.start();
		}
	}

	Result run() {
		if (!this.running.compareAndSet(false, true)) {
			return new Result(0, 0, 0, true);
		}
		try {
			String model = this.embedder.model();
			long started = System.nanoTime();
			long total = this.pairs.countPending(model);
			if (total > 0) {
				log.info("backfill: {} active pairs need a {} vector", total, model);
			}
			long embedded = 0;
			long lastLog = started;
			UUID after = null;
			List<PairEmbeddings.Pending> page;
			while (!(page = this.pairs.backfillPage(model, after, this.properties.batchSize())).isEmpty()) {
				embedded += this.embedder.embed(page);
				after = page.get(page.size() - 1).id();
				long now = System.nanoTime();
				if (now - lastLog > 5_000_000_000L) {
					log.info("backfill: {}/{} embedded ({}/s)", embedded, total, rate(embedded, now - started));
					lastLog = now;
				}
			}
			for (BackfillStep step : this.steps) {
				embedded += step.embedMissing(model);
			}
			// workspaces still searching with another model move over once all their pairs and chunks are staged
			for (UUID workspace : this.pairs.switchingWorkspaces(model)) {
				if (this.pairs.cutOver(workspace, model)) {
					log.info("backfill: workspace {} now searches with {}", workspace, model);
				}
			}
			long elapsed = System.nanoTime() - started;
			if (total > 0) {
				log.info("backfill: done, {} embedded in {} ms ({}/s)", embedded, elapsed / 1_000_000,
						rate(embedded, elapsed));
			}
			return new Result(total, embedded, elapsed / 1_000_000, false);
		}
		catch (RuntimeException ex) {
			log.error("backfill failed; it runs again at the next start or on POST /backfill", ex);
			throw ex;
		}
		finally {
			this.running.set(false);
		}
	}

	private static long rate(long count, long nanos) {
		return nanos == 0 ? 0 : Math.round(count / (nanos / 1e9));
	}

}
