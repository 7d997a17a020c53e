package dev.clara.gaps;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

import dev.clara.gaps.GapRepository.Asked;
import dev.clara.gaps.GapRepository.GapRow;
import dev.clara.gaps.GapRepository.GroupMatch;
import dev.clara.gaps.GapRepository.OpenGap;
import dev.clara.gaps.GapRepository.Thresholds;
import dev.clara.gaps.Gaps.Recorded;
import dev.clara.gaps.Gaps.Result;
import dev.clara.outbox.GapEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The rules of one gap ask, inside a transaction that already claimed the event and holds the
 * workspace's lock: dedup on the open gap of the normalised question, grouping with the most
 * similar open gaps, resolution at once when the chat would now answer it, and whether the gap's
 * {@code GapDetected} outbox row is due. Shared by the one-event path ({@link Gaps}) and the batch path
 * ({@link QuestionBatches}), so both apply exactly the same rules, ask after ask.
 */
final class GapRecorder {

	private final GapRepository repository;

	private final GapDecisions decisions;

	private final GapEvents gapEvents;

	private final GapProperties properties;

	private final Counter opened;

	private final Counter askedAgain;

	private final Counter grouped;

	private final Counter resolvedAutomatically;

	private final Counter published;

	GapRecorder(GapRepository repository, GapDecisions decisions, GapEvents gapEvents, GapProperties properties,
			MeterRegistry meters) {
		this.repository = repository;
		this.decisions = decisions;
		this.gapEvents = gapEvents;
		this.properties = properties;
		// registering a meter twice returns the first one: every recorder counts into the same meters
		this.opened = Counter.builder("clara.gaps.opened").description("new gap rows").register(meters);
		this.askedAgain = Counter.builder("clara.gaps.asked.again")
			.description("asks of an open gap of the same question")
			.register(meters);
		this.grouped = Counter.builder("clara.gaps.grouped")
			.description("new gaps that joined an existing group")
			.register(meters);
		this.resolvedAutomatically = Counter.builder("clara.gaps.resolved.automatically")
			.description("gaps a Q&A pair answered")
			.register(meters);
		this.published = Counter.builder("clara.gaps.events").description("GapDetected outbox rows").register(meters);
	}

	/**
	 * Records one ask; the caller claimed the event and locked the workspace in this transaction.
	 * The caller writes the {@code GapDetected} of a gap whose result says {@code published}
	 * ({@link #publish}): at once for one event, once at the end for a poll's gaps.
	 * @param existing the open gap of the question's normalised text, read under the lock
	 * @param early the question's vector, made before the transaction; null when none was made
	 */
	Recorded record(UUID workspaceId, Asked asked, Optional<OpenGap> existing, String model, float[] early,
			Thresholds thresholds) {
		// Rare: the open gap that had a vector was closed meanwhile, so a new gap opens without one.
		// The provider is never called here, inside the transaction and the workspace's lock: the gap
		// gets its vector from the next ask or the workspace's next embedded pair.
		float[] vector = early;
		UUID id = UUID.randomUUID();
		Optional<GroupMatch> group = (existing.isEmpty() && vector != null)
				? this.repository.closestGroup(workspaceId, model, vector, this.properties.linkage())
					.filter(match -> match.similarity() >= this.properties.groupingThreshold(thresholds.grouping()))
				: Optional.empty();
		GapRow row = this.repository.upsert(id, workspaceId, asked, group.map(GroupMatch::groupId).orElse(id), vector,
				model);
		if (!row.inserted()) {
			this.askedAgain.increment();
			boolean update = existing.isPresent()
					&& interval(existing.get().lastAskedAt()) < interval(row.lastAskedAt());
			return new Recorded(Result.ASKED_AGAIN, row.id(), row.groupId(), false, false, update);
		}
		this.opened.increment();
		group.ifPresent(match -> this.grouped.increment());
		// a feedback gap was answered, wrongly: the chat answering it again proves nothing
		Optional<UUID> answeredBy = (vector == null || Asked.FEEDBACK.equals(asked.kind())) ? Optional.empty()
				: this.decisions.answer(workspaceId, model, thresholds, vector);
		boolean resolved = answeredBy.isPresent() && resolve(row.id(), answeredBy.get());
		return new Recorded(Result.OPENED, row.id(), row.groupId(), group.isPresent(), resolved, true);
	}

	/** Resolves the gap with the pair, automatically; false when it was not open. */
	boolean resolve(UUID gapId, UUID pairId) {
		boolean resolved = this.repository.resolve(gapId, pairId);
		if (resolved) {
			this.resolvedAutomatically.increment();
		}
		return resolved;
	}

	/** Writes the gaps' {@code GapDetected} events to the outbox, as the gaps are now, in the caller's transaction. */
	void publish(Collection<UUID> gapIds) {
		this.published.increment(this.gapEvents.publish(gapIds));
	}

	private long interval(Instant instant) {
		return Math.floorDiv(instant.toEpochMilli(), this.properties.countUpdateInterval().toMillis());
	}

}
