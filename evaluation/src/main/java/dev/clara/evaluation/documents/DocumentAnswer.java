package dev.clara.evaluation.documents;

/**
 * What the chat API answered to one SQuAD question, as the figures need it.
 *
 * @param part the question's article's part of the split
 * @param gapDetected the reply's {@code gap_detected}
 * @param confidence the reply's {@code confidence}: the first passage's cosine similarity when
 * answered from the documents
 * @param citations how many passages the reply cited
 * @param shownHit whether a gold answer is in the first citation's {@code passage} as the visitor
 * reads it (without an LLM: the best passage's sentence window)
 * @param hitRank the rank (1 = first) of the first cited chunk containing a gold answer, 0 when none does
 */
record DocumentAnswer(String id, String article, ArticleSplit.Part part, boolean answerable, boolean gapDetected,
		double confidence, int citations, boolean shownHit, int hitRank) {

	/** Flagged as a gap by the reply, or, simulated, because the confidence is under {@code threshold}. */
	boolean flaggedAt(double threshold) {
		return this.gapDetected || this.citations == 0 || this.confidence < threshold;
	}

	boolean inTop(int k) {
		return this.hitRank >= 1 && this.hitRank <= k;
	}

}
