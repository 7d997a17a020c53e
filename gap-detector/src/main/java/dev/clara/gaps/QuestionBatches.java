package dev.clara.gaps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.clara.gaps.GapRepository.Asked;
import dev.clara.gaps.GapRepository.OpenGap;
import dev.clara.gaps.GapRepository.Thresholds;
import dev.clara.gaps.Gaps.Recorded;
import dev.clara.gaps.Gaps.Result;
import dev.clara.shared.embedding.EmbeddingException;
import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.QuestionAsked;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A poll's {@code QuestionAsked} events applied together, with the effect of applying them one
 * after the other ({@link Gaps#recordQuestion}), at a fraction of the cost:
 *
 * <ol>
 * <li>the events applied before are recognised in one read ({@code processed_events}), so a
 * replayed batch calls no provider;</li>
 * <li>a question's vector is the one its event carries (the chat turn's); those that carry none
 * and need one (the first ask of a text in the batch whose open gap has none) are embedded in one
 * provider call, outside any transaction; a billed provider is called
 * once per workspace, so each workspace is charged what it used; a text embedded lately (in
 * another workspace, or before its gap closed) is taken from {@link RecentVectors};</li>
 * <li>one transaction claims every event in one statement (an event claimed before, e.g. by a
 * replica that overlapped during a rebalance, is skipped: counted once), locks the batch's
 * workspaces in one statement (sorted, so overlapping batches cannot deadlock), reads the open gap
 * of every asked text in one statement, and applies the asks in their order with the rules of
 * {@link GapRecorder}: a question asked twice in the batch is one gap counted twice (its second ask
 * reads the gap the first one wrote), a paraphrase joins the group a gap opened earlier in the
 * batch. Every gap the batch changed gets one {@code GapDetected} outbox row in that transaction,
 * as the gap is at the batch's end.</li>
 * </ol>
 *
 * <p>All or nothing: a crash or a failure rolls the whole batch back, claims included, and Kafka
 * delivers it again.
 */
@Component
class QuestionBatches {

	private static final Logger log = LoggerFactory.getLogger(QuestionBatches.class);

	private final TransactionTemplate transactions;

	private final QuestionBatchRepository batches;

	private final GapRepository repository;

	private final GapEmbeddings embeddings;

	private final GapRecorder recorder;

	private final String consumer;

	private final RecentVectors recent = new RecentVectors();

	private final Counter unembedded;

	private final Counter redelivered;

	QuestionBatches(TransactionTemplate transactions, QuestionBatchRepository batches, GapRepository repository,
			GapEmbeddings embeddings, Gaps gaps, MeterRegistry meters) {
		this.transactions = transactions;
		this.batches = batches;
		this.repository = repository;
		this.embeddings = embeddings;
		this.recorder = gaps.recorder();
		this.consumer = gaps.properties().consumer();
		this.unembedded = Counter.builder("clara.gaps.unembedded")
			.description("gaps stored without a vector because the provider failed")
			.register(meters);
		this.redelivered = Counter.builder("clara.gaps.redelivered")
			.description("events applied before, skipped")
			.register(meters);
	}

	/** What each event did, in the events' order. Blank gap questions must have been refused before. */
	List<Recorded> record(List<EventEnvelope<QuestionAsked>> events) {
		Recorded[] results = new Recorded[events.size()];
		List<Integer> asks = asks(events, results);
		if (asks.isEmpty()) {
			return Arrays.asList(results);
		}
		String model = this.embeddings.deploymentModel();
		Vectors vectors = embed(events, asks, model);
		this.transactions.executeWithoutResult(status -> {
			Set<UUID> claimed = this.batches.claim(this.consumer, asks.stream().map(i -> events.get(i).eventId()).toList());
			List<Integer> applied = new ArrayList<>();
			for (int i : asks) {
				if (claimed.contains(events.get(i).eventId())) {
					applied.add(i);
				}
				else {
					// a concurrent delivery applied it first
					this.redelivered.increment();
					results[i] = Recorded.of(Result.ALREADY_PROCESSED);
				}
			}
			Set<UUID> workspaces = new HashSet<>();
			applied.forEach(i -> workspaces.add(events.get(i).workspaceId()));
			vectors.tokens().forEach((workspace, tokens) -> {
				if (workspaces.contains(workspace)) {
					this.repository.recordEmbeddingUsage(workspace, model, tokens);
				}
			});
			if (applied.isEmpty()) {
				return;
			}
			this.batches.lockWorkspaces(workspaces);
			List<QuestionBatchRepository.OpenAsk> openGaps = this.batches.openGaps(
					applied.stream().map(i -> events.get(i).workspaceId()).toList(),
					applied.stream().map(i -> events.get(i).payload().question()).toList(), model);
			Map<UUID, Optional<Thresholds>> thresholds = new HashMap<>();
			Set<String> asked = new HashSet<>();
			Set<UUID> changed = new LinkedHashSet<>();
			for (int k = 0; k < applied.size(); k++) {
				int i = applied.get(k);
				EventEnvelope<QuestionAsked> event = events.get(i);
				Optional<Thresholds> of = thresholds.computeIfAbsent(event.workspaceId(),
						workspace -> this.repository.thresholds(workspace, model));
				if (of.isEmpty()) {
					results[i] = Recorded.of(Result.UNKNOWN_WORKSPACE);
					continue;
				}
				// read before the batch's first ask of the text; a later ask sees what the earlier one did
				boolean first = asked.add(event.workspaceId() + "\n" + openGaps.get(k).normalized());
				Optional<OpenGap> existing = first ? openGaps.get(k).open()
						: this.repository.openGap(event.workspaceId(), event.payload().question(), model);
				results[i] = this.recorder.record(event.workspaceId(), Asked.of(event.payload()), existing, model,
						vectors.byEvent().get(i), of.get());
				if (results[i].published()) {
					changed.add(results[i].gapId());
				}
			}
			// one GapDetected per gap the batch changed, as the gap is at the batch's end
			this.recorder.publish(changed);
		});
		return Arrays.asList(results);
	}

	/** The indexes of the gap events not applied before; the others' results are set here. */
	private List<Integer> asks(List<EventEnvelope<QuestionAsked>> events, Recorded[] results) {
		List<UUID> gapEvents = events.stream().filter(e -> e.payload().gapDetected()).map(EventEnvelope::eventId).toList();
		Set<UUID> seen = gapEvents.isEmpty() ? Set.of() : this.batches.processedAmong(this.consumer, gapEvents);
		Set<UUID> taken = new HashSet<>();
		List<Integer> asks = new ArrayList<>();
		for (int i = 0; i < events.size(); i++) {
			EventEnvelope<QuestionAsked> event = events.get(i);
			if (!event.payload().gapDetected()) {
				results[i] = Recorded.of(Result.NOT_A_GAP);
			}
			else if (seen.contains(event.eventId()) || !taken.add(event.eventId())) {
				// applied before, or twice in this batch: the second copy is a redelivery too
				this.redelivered.increment();
				results[i] = Recorded.of(Result.ALREADY_PROCESSED);
			}
			else {
				asks.add(i);
			}
		}
		return asks;
	}

	/** Vectors made before the transaction, by event index, and the tokens billed per workspace. */
	private record Vectors(Map<Integer, float[]> byEvent, Map<UUID, Long> tokens) {
	}

	/**
	 * Each ask's vector: the one its event carries (the chat turn's, of the deployment's model),
	 * else one made here per first ask of a text in the batch (per workspace and normalised
	 * question) whose open gap has none; a later ask of the same text in the batch finds the gap the
	 * first one opened, with its vector. Identical texts are embedded once, texts embedded lately not
	 * again.
	 */
	private Vectors embed(List<EventEnvelope<QuestionAsked>> events, List<Integer> asks, String model) {
		Map<Integer, float[]> vectors = new HashMap<>();
		List<Integer> uncarried = new ArrayList<>();
		for (int i : asks) {
			float[] carried = this.embeddings.carried(events.get(i).payload());
			if (carried != null) {
				vectors.put(i, carried);
			}
			else {
				uncarried.add(i);
			}
		}
		if (uncarried.isEmpty()) {
			return new Vectors(vectors, Map.of());
		}
		List<QuestionBatchRepository.Asked> known = this.batches.asked(
				uncarried.stream().map(i -> events.get(i).workspaceId()).toList(),
				uncarried.stream().map(i -> events.get(i).payload().question()).toList(), model);
		Set<String> firsts = new HashSet<>();
		Map<UUID, List<Integer>> byWorkspace = new LinkedHashMap<>();
		for (int k = 0; k < uncarried.size(); k++) {
			int i = uncarried.get(k);
			UUID workspace = events.get(i).workspaceId();
			if (firsts.add(workspace + "\n" + known.get(k).normalized()) && !known.get(k).hasVector()) {
				// a billed provider is called per workspace; an in-process one once for the batch
				UUID call = this.embeddings.billed() ? workspace : null;
				byWorkspace.computeIfAbsent(call, w -> new ArrayList<>()).add(i);
			}
		}
		Map<UUID, Long> tokens = new HashMap<>();
		byWorkspace.forEach((workspace, indexes) -> {
			Map<String, float[]> made = new HashMap<>();
			for (int i : indexes) {
				String text = events.get(i).payload().question();
				if (!made.containsKey(text)) {
					made.put(text, this.recent.get(text)); // null: to embed
				}
			}
			List<String> texts = made.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
			try {
				EmbeddingProvider.Embedded embedded = texts.isEmpty() ? new EmbeddingProvider.Embedded(List.of(), 0)
						: this.embeddings.embedAll(model, texts);
				for (int t = 0; t < texts.size(); t++) {
					made.put(texts.get(t), embedded.vectors().get(t));
					this.recent.put(texts.get(t), embedded.vectors().get(t));
				}
				indexes.forEach(i -> vectors.put(i, made.get(events.get(i).payload().question())));
				if (workspace != null && embedded.tokens() > 0) {
					tokens.put(workspace, embedded.tokens());
				}
			}
			catch (EmbeddingException ex) {
				// gaps without a vector are still gaps: stored ungrouped, they get their vector later
				this.unembedded.increment(indexes.size());
				log.warn("embedding {} gap questions failed ({}); their gaps are stored without a vector",
						indexes.size(), ex.getMessage());
			}
		});
		return new Vectors(vectors, tokens);
	}

}
