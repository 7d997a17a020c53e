package dev.clara.chat.owner.gaps;

import java.util.Collection;
import java.util.UUID;

import dev.clara.outbox.GapEvents;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Publishes the owner's status changes of gaps (resolved with a pair, dismissed, reopened) as
 * {@code GapDetected} events, through the outbox, in the owner's transaction: the CDC relay puts
 * them on the gaps topic beside the gap detector's own events.
 *
 * <p>Owners may not write the outbox (no grant, no policy): an owner who could would be able to
 * publish anything. So, as the last step of the owner's transaction, this reads the gaps and
 * writes their events as the service's own role; the owner's statements are all done by then.
 */
@Repository
class GapStatusEvents {

	private static final String LEAVE_OWNER_ROLE = "RESET ROLE";

	private final GapEvents gapEvents;

	GapStatusEvents(GapEvents gapEvents) {
		this.gapEvents = gapEvents;
	}

	/** Ends the owner's part of the transaction {@code sql} runs in and writes one event per gap, as they are now. */
	void publish(JdbcClient sql, Collection<UUID> gapIds) {
		if (gapIds.isEmpty()) {
			return;
		}
		sql.sql(LEAVE_OWNER_ROLE).update();
		this.gapEvents.publish(gapIds);
	}

}
