package dev.clara.chat.workspace;

/**
 * A workspace's monthly token budget and what it has spent this UTC month (LLM answers and remote
 * embeddings, as recorded in {@code api_usage}). Read from the database on every turn, so every
 * replica sees the same figure and the cap needs no per-process counting.
 *
 * @param budget the owner's {@code monthly_token_budget}, or null for no cap
 * @param monthTokens the tokens recorded since the start of the UTC month
 */
public record TokenBudget(Long budget, long monthTokens) {

	public static final TokenBudget NONE = new TokenBudget(null, 0);

	/** Whether the recorded tokens have reached the budget: from then on the turn answers without the LLM. */
	public boolean reached() {
		return this.budget != null && this.monthTokens >= this.budget;
	}

	/**
	 * Whether {@code addedTokens} more would reach the budget as the turn read it: only then need the
	 * database be asked for the month's sum ({@link SpendCapRepository#announceIfReached}).
	 */
	public boolean reachedWith(long addedTokens) {
		return this.budget != null && this.monthTokens + addedTokens >= this.budget;
	}

}
