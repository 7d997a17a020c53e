package dev.clara.chat.search;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * Searches one workspace's active Q&A pairs embedded by the current model and orders the hits so
 * the best match comes first: semantic (cosine) or hybrid (full-text fused with cosine by
 * reciprocal rank), then top-1 or a vote over the hits ({@link SearchProperties}). Whatever the
 * order, each {@link Match#similarity()} is the pair's cosine similarity to the question.
 */
@Component
public class KnowledgeSearch {

	private final PairSearchRepository pairs;

	private final PairVectorCache copies;

	private final SearchProperties properties;

	KnowledgeSearch(PairSearchRepository pairs, PairVectorCache copies, SearchProperties properties) {
		this.pairs = pairs;
		this.copies = copies;
		this.properties = properties;
	}

	/**
	 * The snapshot of the in-memory copy of the workspace's pairs, or null: the settings query
	 * confirms it is current (no change to the pairs outside it) and hands it back to
	 * {@link #search}.
	 */
	public String pairSnapshotOf(UUID workspaceId) {
		return this.copies.snapshotOf(workspaceId);
	}

	/**
	 * The configured search for a visitor's question: at most {@code count} matches above
	 * {@code floor} (cosine similarity), the best match first. A semantic search uses the in-memory
	 * copy of the workspace's pairs when {@code confirmedPairSnapshot} is its snapshot, and the
	 * database otherwise; the results are the same.
	 */
	public List<Match> search(UUID workspaceId, String model, String question, float[] embedding, double floor,
			int count, String confirmedPairSnapshot) {
		boolean vote = this.properties.bestMatch() == SearchProperties.BestMatch.VOTE;
		int wanted = vote ? Math.max(count, this.properties.voteCount()) : count;
		List<BestMatch.Hit> hits = hits(workspaceId, model, question, embedding, floor, wanted, confirmedPairSnapshot);
		List<Match> ordered = vote ? BestMatch.vote(hits) : hits.stream().map(BestMatch.Hit::match).toList();
		return ordered.size() > count ? List.copyOf(ordered.subList(0, count)) : ordered;
	}

	private List<BestMatch.Hit> hits(UUID workspaceId, String model, String question, float[] embedding, double floor,
			int count, String confirmedPairSnapshot) {
		if (this.properties.strategy() == SearchProperties.Strategy.HYBRID) {
			return this.pairs.hybrid(workspaceId, model, question, embedding, floor, count, this.properties.rrfK(),
					Math.max(this.properties.candidates(), count));
		}
		PairVectors copy = this.copies.current(workspaceId, model, confirmedPairSnapshot);
		if (copy == null) {
			this.copies.reload(workspaceId, model);
		}
		else if (copy.canSearch(embedding)) {
			return copy.search(embedding, floor, count);
		}
		return this.pairs.semantic(workspaceId, model, embedding, floor, count);
	}

}
