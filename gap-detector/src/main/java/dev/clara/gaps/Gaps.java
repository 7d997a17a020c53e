package dev.clara.gaps;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.clara.gaps.GapRepository.Asked;
import dev.clara.gaps.GapRepository.OpenGap;
import dev.clara.gaps.GapRepository.Pair;
import dev.clara.gaps.GapRepository.Thresholds;
import dev.clara.gaps.GapRepository.Unembedded;
import dev.clara.outbox.GapEvents;
import dev.clara.shared.embedding.EmbeddingException;
import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.events.AnswerRated;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.InvalidEventException;
import dev.clara.shared.events.QaPairEmbedded;
import dev.clara.shared.events.QuestionAsked;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The gap detector's whole effect on the database, one transaction per event (the questions
 * listener applies a whole poll in one transaction instead, with the same rules:
 * {@link QuestionBatches}; this one-event path is its fallback to find a failing event):
 *
 * <ul>
 * <li>{@link #recordQuestion}: a question Clara could not answer becomes an open gap, or asks
 * the open gap of the same (normalised) question again; a new gap joins the group of the most
 * similar open gaps when it is close enough, and is resolved at once when the chat would now
 * answer it (a Q&A pair embedded since the question was asked answers it);</li>
 * <li>{@link #recordFeedback}: an answer the visitor rated down takes the same path as a gap of
 * kind {@code feedback}, with the answer and the comment, but is never resolved at once: the chat
 * did answer it, and that answer is what the visitor found wrong;</li>
 * <li>{@link #closeAnswered}: a Q&A pair that got its vector resolves every open gap of its
 * workspace that the chat would now answer with its answer group, being the gap's nearest pair.</li>
 * </ul>
 *
 * <p>"Would the chat now answer it" is the chat turn's own decision, asked by {@link GapDecisions}:
 * a gap never closes at a threshold of this service's.
 *
 * <p>Each event is applied once: its id goes into {@code processed_events} first, in the same
 * transaction, so a redelivered event finds it there and changes nothing (an event seen before is
 * recognised before any provider call too). Every change analysts should see writes a
 * {@code GapDetected} outbox row in that transaction. Writers of one workspace's gaps take a
 * transaction-scoped advisory lock on the workspace, so that grouping and re-scoring see each
 * other's gaps even when replicas overlap during a rebalance; the unique index on open questions
 * is what makes a doubled gap impossible. The embedding provider is never called inside a
 * transaction: it may take seconds, and the lock would hold every other writer of the workspace.
 *
 * <p>The tokens a remote provider billed for an event's questions (all of one workspace) go into
 * {@code api_usage} in the transaction that claims the event, so they count toward the
 * workspace's monthly budget once: a redelivery is recognised before it calls the provider, and a
 * concurrent delivery that loses the claim records nothing. An in-process model records nothing.
 */
@Component
public class Gaps {

	private static final Logger log = LoggerFactory.getLogger(Gaps.class);

	/** What {@link #recordQuestion} did. */
	public enum Result {

		/** The question was answered confidently: nothing to do. */
		NOT_A_GAP,
		/** This event id was applied before: nothing changed. */
		ALREADY_PROCESSED,
		/** The workspace no longer exists (deleted since): nothing to do. */
		UNKNOWN_WORKSPACE,
		/** An answer rated up: nothing to do (the rating is the chat API's row; an owner closes gaps). */
		RATED_UP,
		/** A new gap row. */
		OPENED,
		/** The open gap of the same question was asked again. */
		ASKED_AGAIN

	}

	/**
	 * @param gapId the gap row (null unless opened or asked again)
	 * @param groupId its group ({@code gapId} when it leads one)
	 * @param joinedGroup whether a new gap joined an existing group
	 * @param resolvedAtOnce whether a new gap was already answered by a pair embedded since
	 * @param published whether a {@code GapDetected} event was written
	 */
	public record Recorded(Result result, UUID gapId, UUID groupId, boolean joinedGroup, boolean resolvedAtOnce,
			boolean published) {

		static Recorded of(Result result) {
			return new Recorded(result, null, null, false, false, false);
		}

	}

	/** Gaps {@link #closeAnswered} resolved (empty when the event was seen before or did nothing). */
	public record Closed(boolean alreadyProcessed, List<UUID> gapIds) {
	}

	/** A vector made for an open gap before the transaction, and the text it was made of. */
	private record GapVector(UUID gapId, String question, float[] vector) {
	}

	/** The vectors made for a workspace's open gaps, and the tokens billed for them. */
	private record GapVectors(List<GapVector> vectors, long tokens) {

		static final GapVectors NONE = new GapVectors(List.of(), 0);

	}

	private final TransactionTemplate transactions;

	private final GapRepository repository;

	private final GapDecisions decisions;

	private final GapEmbeddings embeddings;

	private final GapProperties properties;

	private final GapRecorder recorder;

	private final Counter unembedded;

	private final Counter redelivered;

	private final Counter ratedUp;

	Gaps(TransactionTemplate transactions, GapRepository repository, GapDecisions decisions, GapEvents gapEvents,
			GapEmbeddings embeddings, GapProperties properties, MeterRegistry meters) {
		this.transactions = transactions;
		this.repository = repository;
		this.decisions = decisions;
		this.embeddings = embeddings;
		this.properties = properties;
		this.recorder = new GapRecorder(repository, decisions, gapEvents, properties, meters);
		this.unembedded = Counter.builder("clara.gaps.unembedded")
			.description("gaps stored without a vector because the provider failed")
			.register(meters);
		this.ratedUp = Counter.builder("clara.gaps.feedback.up")
			.description("answers rated up (no gap change)")
			.register(meters);
		this.redelivered = Counter.builder("clara.gaps.redelivered")
			.description("events applied before, skipped")
			.register(meters);
	}

	GapProperties properties() {
		return this.properties;
	}

	/** The rules of one ask, for {@link QuestionBatches}, which applies a poll's questions in one transaction. */
	GapRecorder recorder() {
		return this.recorder;
	}

	/** A gap question must have a text: a blank one is poison (the dead-letter topic), not a gap. */
	static void requireQuestion(EventEnvelope<QuestionAsked> event) {
		if (event.payload().gapDetected() && event.payload().question().isBlank()) {
			throw new InvalidEventException("QuestionAsked " + event.eventId() + " has a blank question");
		}
	}

	/** Applies one {@code QuestionAsked} event (see the class comment). */
	public Recorded recordQuestion(EventEnvelope<QuestionAsked> event) {
		QuestionAsked asked = event.payload();
		if (!asked.gapDetected()) {
			return Recorded.of(Result.NOT_A_GAP);
		}
		requireQuestion(event);
		return recordAsked(event.eventId(), event.workspaceId(), Asked.of(asked), this.embeddings.carried(asked));
	}

	/**
	 * Applies one {@code AnswerRated} event: a {@code down} is a gap of kind {@code feedback}; an
	 * {@code up} changes no gap (an owner decides about gaps), it is only marked as applied.
	 */
	public Recorded recordFeedback(EventEnvelope<AnswerRated> event) {
		AnswerRated rated = event.payload();
		boolean known = AnswerRated.UP.equals(rated.rating()) || AnswerRated.DOWN.equals(rated.rating());
		if (rated.question().isBlank() || !known) {
			throw new InvalidEventException(
					"AnswerRated " + event.eventId() + " has a blank question or an unknown rating");
		}
		if (AnswerRated.UP.equals(rated.rating())) {
			return this.transactions.execute(status -> {
				if (!markProcessed(event.eventId())) {
					return Recorded.of(Result.ALREADY_PROCESSED);
				}
				this.ratedUp.increment();
				return Recorded.of(Result.RATED_UP);
			});
		}
		UUID bestMatch = rated.matchedQaIds().isEmpty() ? null : rated.matchedQaIds().get(0);
		return recordAsked(event.eventId(), event.workspaceId(), new Asked(rated.question(), rated.answer(), bestMatch,
				rated.confidence(), rated.conversationId(), rated.ratedAt(), Asked.FEEDBACK, rated.comment()), null);
	}

	/** @param carried the vector the event brought (the chat turn's), or null: then it is embedded here */
	private Recorded recordAsked(UUID eventId, UUID workspaceId, Asked asked, float[] carried) {
		if (seenBefore(eventId)) {
			return Recorded.of(Result.ALREADY_PROCESSED);
		}
		String model = this.embeddings.deploymentModel();
		// embedding is the slow part: before the transaction, and only when the gap needs a vector
		boolean embedEarly = carried == null && this.repository.openGap(workspaceId, asked.question(), model)
			.filter(OpenGap::hasVector)
			.isEmpty();
		EmbeddingProvider.Embedded early = carried != null ? new EmbeddingProvider.Embedded(List.of(carried), 0)
				: embedEarly ? tryEmbed(asked.question()) : null;
		return this.transactions.execute(status -> {
			if (!markProcessed(eventId)) {
				return Recorded.of(Result.ALREADY_PROCESSED);
			}
			if (early != null) {
				this.repository.recordEmbeddingUsage(workspaceId, model, early.tokens());
			}
			return record(eventId, workspaceId, asked, model, early == null ? null : early.vectors().get(0));
		});
	}

	private Recorded record(UUID eventId, UUID workspaceId, Asked asked, String model, float[] early) {
		Optional<Thresholds> thresholds = this.repository.thresholds(workspaceId, model);
		if (thresholds.isEmpty()) {
			log.debug("event {} of workspace {} that no longer exists: skipped", eventId, workspaceId);
			return Recorded.of(Result.UNKNOWN_WORKSPACE);
		}
		this.repository.lockWorkspace(workspaceId);
		Optional<OpenGap> existing = this.repository.openGap(workspaceId, asked.question(), model);
		Recorded recorded = this.recorder.record(workspaceId, asked, existing, model, early, thresholds.get());
		if (recorded.published()) {
			this.recorder.publish(List.of(recorded.gapId()));
		}
		return recorded;
	}

	/** Applies one {@code QaPairEmbedded} event (see the class comment). */
	public Closed closeAnswered(EventEnvelope<QaPairEmbedded> event) {
		if (seenBefore(event.eventId())) {
			return new Closed(true, List.of());
		}
		Optional<Pair> before = usablePair(event);
		String embeddedWith = before.map(Pair::model).orElse(null);
		GapVectors made = before.map(pair -> embedOpenGaps(pair.workspaceId(), pair.model())).orElse(GapVectors.NONE);
		List<GapVector> vectors = made.vectors();
		return this.transactions.execute(status -> {
			if (!markProcessed(event.eventId())) {
				return new Closed(true, List.of());
			}
			// billed whether or not the vectors are still of use
			before.ifPresent(pair -> this.repository.recordEmbeddingUsage(pair.workspaceId(), embeddedWith, made.tokens()));
			// deleted, deactivated or edited since: a later event carries its current vector, if any;
			// re-embedded with another model since: the vectors made before are of the wrong model
			return usablePair(event)
				.map(pair -> close(event.payload().qaPairId(), pair,
						pair.model().equals(embeddedWith) ? vectors : List.of()))
				.orElseGet(() -> new Closed(false, List.of()));
		});
	}

	private Closed close(UUID pairId, Pair pair, List<GapVector> vectors) {
		UUID workspaceId = pair.workspaceId();
		String model = pair.model();
		Optional<Thresholds> thresholds = this.repository.thresholds(workspaceId, model);
		if (thresholds.isEmpty()) {
			return new Closed(false, List.of());
		}
		this.repository.lockWorkspace(workspaceId);
		vectors.forEach(made -> this.repository.setVector(made.gapId(), made.question(), model, made.vector()));
		List<UUID> closed = new ArrayList<>();
		for (UUID gapId : this.decisions.answeredByPair(pairId, pair.answer(), workspaceId, model, thresholds.get())) {
			if (this.recorder.resolve(gapId, pairId)) {
				closed.add(gapId);
			}
		}
		this.recorder.publish(closed);
		return new Closed(false, closed);
	}

	/** The event's pair, while it is active with the vector of its text and in the event's workspace. */
	private Optional<Pair> usablePair(EventEnvelope<QaPairEmbedded> event) {
		return this.repository.pair(event.payload().qaPairId())
			.filter(pair -> pair.usable() && pair.workspaceId().equals(event.workspaceId()));
	}

	/** Vectors of {@code model} for the open gaps that lack one, if this service can make them. */
	private GapVectors embedOpenGaps(UUID workspaceId, String model) {
		if (!this.embeddings.canEmbedWith(model)) {
			log.warn("cannot embed gap questions with {}: gaps of workspace {} without such a vector are not re-scored",
					model, workspaceId);
			return GapVectors.NONE;
		}
		List<Unembedded> gaps = this.repository.openWithoutVector(workspaceId, model);
		if (gaps.isEmpty()) {
			return GapVectors.NONE;
		}
		EmbeddingProvider.Embedded embedded = this.embeddings.embedAll(model,
				gaps.stream().map(Unembedded::question).toList());
		List<GapVector> made = new ArrayList<>();
		for (int i = 0; i < gaps.size(); i++) {
			made.add(new GapVector(gaps.get(i).id(), gaps.get(i).question(), embedded.vectors().get(i)));
		}
		return new GapVectors(made, embedded.tokens());
	}

	/** Whether the event was applied before (a read, so a redelivery costs no provider call). */
	private boolean seenBefore(UUID eventId) {
		boolean seen = this.repository.isProcessed(this.properties.consumer(), eventId);
		if (seen) {
			this.redelivered.increment();
		}
		return seen;
	}

	/** Claims the event inside the transaction: false when a concurrent delivery applied it first. */
	private boolean markProcessed(UUID eventId) {
		boolean marked = this.repository.markProcessed(this.properties.consumer(), eventId);
		if (!marked) {
			this.redelivered.increment();
		}
		return marked;
	}

	private EmbeddingProvider.Embedded tryEmbed(String question) {
		try {
			return this.embeddings.embed(question);
		}
		catch (EmbeddingException ex) {
			// a gap without a vector is still a gap: it is stored ungrouped, and gets its vector later
			this.unembedded.increment();
			log.warn("embedding a gap question failed ({}); the gap is stored without a vector", ex.getMessage());
			return null;
		}
	}

}
