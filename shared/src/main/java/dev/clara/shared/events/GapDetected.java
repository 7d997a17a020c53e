package dev.clara.shared.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A question Clara could not answer opened a gap (or asked an open one again), for analysts on
 * the gaps topic.
 *
 * @param gapId the {@code qa_gaps} row
 * @param groupId the group of near-duplicate gaps it belongs to (its own id when it leads one)
 * @param question the visitor's question
 * @param askCount how often the open gap has been asked
 * @param bestMatchId the closest Q&A pair when it was asked, or null
 * @param similarity that pair's similarity
 * @param conversationId the conversation it was asked in
 * @param status {@code open}, {@code resolved} or {@code dismissed}
 * @param resolvedQaId the Q&A pair that resolved it, or null
 * @param resolvedAutomatically whether Clara closed it itself (the owner can reopen it)
 * @param lastAskedAt when it was last asked
 */
public record GapDetected(UUID gapId, UUID groupId, String question, int askCount, UUID bestMatchId,
		double similarity, UUID conversationId, String status, UUID resolvedQaId, boolean resolvedAutomatically,
		Instant lastAskedAt) {

	public static final String TYPE = "GapDetected";

	public static final int VERSION = 1;

}
