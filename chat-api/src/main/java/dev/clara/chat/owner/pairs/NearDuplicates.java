package dev.clara.chat.owner.pairs;

import java.util.List;
import java.util.UUID;

import dev.clara.chat.search.QuestionEmbeddings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The dedup rule: a new or edited Q&A pair whose question is more similar than the model's
 * {@code near_duplicate_threshold} (e.g. 0.95) to another pair gets a warning (not a refusal). The
 * question is embedded before the transaction (no connection is held while the model runs); the
 * search runs inside it, under the owner's row-level security.
 */
@Component
class NearDuplicates {

	private static final Logger log = LoggerFactory.getLogger(NearDuplicates.class);

	private final QuestionEmbeddings embeddings;

	private final QaPairRepository pairs;

	NearDuplicates(QuestionEmbeddings embeddings, QaPairRepository pairs) {
		this.embeddings = embeddings;
		this.pairs = pairs;
	}

	/** A question's vector by one model, made before the transaction. */
	public record Probe(String model, float[] vector) {
	}

	public record Warning(String type, UUID qaPairId, String question, double similarity) {
	}

	/**
	 * Embeds with the model the workspace's search uses (read in a short owner transaction by the
	 * caller); null when that model cannot be used here or embedding fails: the pair is still
	 * saved, without the check.
	 */
	public Probe probe(String model, String question) {
		if (model == null || !this.embeddings.canEmbedWith(model)) {
			return null;
		}
		try {
			return new Probe(model, this.embeddings.embed(model, question));
		}
		catch (RuntimeException ex) {
			log.warn("Near-duplicate check skipped: embedding failed ({})", ex.getClass().getSimpleName());
			return null;
		}
	}

	public String modelOf(JdbcClient sql) {
		return this.pairs.searchModel(sql, this.embeddings.deploymentModel());
	}

	/** Pairs near {@code probe}, inside the owner's transaction; {@code self} is left out. */
	public List<Warning> find(JdbcClient sql, UUID workspaceId, Probe probe, UUID self) {
		if (probe == null) {
			return List.of();
		}
		return this.pairs.nearest(sql, workspaceId, probe.vector(), probe.model())
			.stream()
			.map(pair -> new Warning("near_duplicate", pair.id(), pair.question(),
					Math.round(pair.similarity() * 10000) / 10000.0))
			.filter(warning -> !warning.qaPairId().equals(self))
			.limit(3)
			.toList();
	}

}
