package dev.clara.shared.events;

import java.time.Instant;

/**
 * A workspace's recorded tokens reached its monthly token budget: from now until the month ends
 * (or the owner raises the budget) the chat answers without the LLM. Written to the outbox by
 * chat-api once per workspace and UTC month, in the transaction that records the usage which
 * found the budget reached (the {@code spend_cap_events} row decides which writer that is), and
 * relayed to the spend caps topic, for whoever tells the owner (mail, dashboard, billing).
 *
 * @param month the UTC month, {@code YYYY-MM}
 * @param budget the {@code monthly_token_budget} that was reached
 * @param tokens the month's recorded tokens at that moment (at least {@code budget})
 * @param reachedAt when it was found reached
 */
public record SpendCapReached(String month, long budget, long tokens, Instant reachedAt) {

	public static final String TYPE = "SpendCapReached";

	public static final int VERSION = 1;

}
