package dev.clara.chat.search;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * In-memory copies of workspaces' searchable pairs, so that the semantic search of a chat turn
 * needs no round trip to the database.
 * <p>
 * A copy is used only by a turn whose settings query confirmed it: no transaction that changed the
 * workspace's pairs is outside the copy's snapshot ({@code qa_pair_search_changes}). The turn
 * therefore searches what the database holds, as a search in the database would. A copy is also
 * dropped an hour after it was read, well inside the day the database keeps those changes.
 * <p>
 * A turn without a current copy searches the database and asks for a new copy, which one
 * background thread reads (a workspace at most once a second, so a knowledge base that is being
 * imported and embedded is not read again on every turn). The copies hold at most
 * {@code memoryPairs} pairs together, the least recently searched going first; a workspace with
 * more pairs than that is searched in the database.
 */
@Component
class PairVectorCache implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(PairVectorCache.class);

	static final Duration MAX_AGE = Duration.ofHours(1);

	private static final Duration RELOAD_INTERVAL = Duration.ofSeconds(1);

	private final PairVectorRepository repository;

	private final int memoryPairs;

	/** In access order, so the eldest is the least recently used; guarded by {@code this}. */
	private final LinkedHashMap<UUID, PairVectors> copies = new LinkedHashMap<>(16, 0.75f, true);

	private volatile int pairsHeld;

	private final Map<UUID, Long> lastLoadStarts = new ConcurrentHashMap<>();

	private final Set<UUID> loading = ConcurrentHashMap.newKeySet();

	private final ExecutorService loader = Executors.newSingleThreadExecutor(task -> {
		Thread thread = new Thread(task, "pair-vector-loader");
		thread.setDaemon(true);
		return thread;
	});

	PairVectorCache(PairVectorRepository repository, SearchProperties properties, MeterRegistry meters) {
		this.repository = repository;
		this.memoryPairs = properties.memoryPairs();
		Gauge.builder("clara.search.memory.pairs", this, cache -> cache.pairsHeld)
			.description("Q&A pairs chat-api holds in memory for the semantic search")
			.register(meters);
	}

	/** The snapshot of the workspace's copy, for the settings query to confirm; null when there is none. */
	synchronized String snapshotOf(UUID workspaceId) {
		PairVectors copy = this.copies.get(workspaceId);
		if (copy == null) {
			return null;
		}
		if (System.nanoTime() - copy.loadedAtNanos() > MAX_AGE.toNanos()) {
			remove(workspaceId);
			return null;
		}
		return copy.snapshot();
	}

	/** The workspace's copy for {@code model} when {@code confirmedSnapshot} is its snapshot, else null. */
	synchronized PairVectors current(UUID workspaceId, String model, String confirmedSnapshot) {
		PairVectors copy = (confirmedSnapshot != null) ? this.copies.get(workspaceId) : null;
		return (copy != null && copy.model().equals(model) && copy.snapshot().equals(confirmedSnapshot)) ? copy : null;
	}

	/** Reads a new copy in the background, unless one is being read or was started within the second. */
	void reload(UUID workspaceId, String model) {
		if (this.memoryPairs == 0) {
			return;
		}
		long now = System.nanoTime();
		Long last = this.lastLoadStarts.get(workspaceId);
		if ((last != null && now - last < RELOAD_INTERVAL.toNanos()) || !this.loading.add(workspaceId)) {
			return;
		}
		this.lastLoadStarts.put(workspaceId, now);
		try {
			this.loader.execute(() -> load(workspaceId, model));
		}
		catch (RejectedExecutionException ex) {
			// shutting down
			this.loading.remove(workspaceId);
		}
	}

	private void load(UUID workspaceId, String model) {
		try {
			PairVectors.Builder rows = this.repository.load(workspaceId, model, this.memoryPairs + 1);
			long now = System.nanoTime();
			put(workspaceId, (rows.size() > this.memoryPairs) ? rows.tooLarge(now) : rows.build(now));
		}
		catch (RuntimeException ex) {
			// the turns go on searching the database; the next one asks again
			log.warn("Could not read the pairs of workspace {} into memory: {}", workspaceId, ex.toString());
		}
		finally {
			this.loading.remove(workspaceId);
		}
	}

	private synchronized void put(UUID workspaceId, PairVectors copy) {
		remove(workspaceId);
		this.copies.put(workspaceId, copy);
		this.pairsHeld += copy.size();
		Iterator<Map.Entry<UUID, PairVectors>> eldest = this.copies.entrySet().iterator();
		while (this.pairsHeld > this.memoryPairs && eldest.hasNext()) {
			Map.Entry<UUID, PairVectors> entry = eldest.next();
			this.pairsHeld -= entry.getValue().size();
			eldest.remove();
		}
	}

	private void remove(UUID workspaceId) {
		PairVectors old = this.copies.remove(workspaceId);
		if (old != null) {
			this.pairsHeld -= old.size();
		}
	}

	@Override
	public void destroy() {
		this.loader.shutdownNow();
	}

}
