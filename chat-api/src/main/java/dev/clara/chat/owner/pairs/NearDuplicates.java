package dev.clara.chat.owner.pairs;

import java.util.List;
import java.util.UUID;

import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.search.EmbeddingUsageRepository;
import dev.clara.chat.search.QuestionEmbeddings;
import dev.clara.shared.embedding.EmbeddingProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The dedup rule: a new or edited Q&A pair whose question is more similar than the model's
 * {@code near_duplicate_threshold} (e.g. 0.95) to another pair gets a warning (not a refusal). The
 * question is embedded before the transaction (no connection is held while the model runs); the
 * search runs inside it, under the owner's row-level security.
 *
 * <p>The tokens a remote provider bills for the question count toward the workspace's budget:
 * they are recorded right after the call, in a short transaction of their own as the service
 * role, not in the owner's transaction: owners may only read {@code api_usage}, and the tokens
 * were billed whether or not the pair is then saved.
 */
@Component
class NearDuplicates {

	private static final Logger log = LoggerFactory.getLogger(NearDuplicates.class);

	private final QuestionEmbeddings embeddings;

	private final QaPairRepository pairs;

	private final EmbeddingUsageRepository usage;

	NearDuplicates(QuestionEmbeddings embeddings, QaPairRepository pairs, EmbeddingUsageRepository usage) {
		this.embeddings = embeddings;
		this.pairs = pairs;
		this.usage = usage;
	}

	/** The owner's workspace and the model its search uses, read in a short owner transaction. */
	public record Target(UUID workspaceId, String model) {
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
	public Probe probe(Target target, String question) {
		String model = target.model();
		if (model == null || !this.embeddings.canEmbedWith(model)) {
			return null;
		}
		EmbeddingProvider.Embedded embedded;
		try {
			embedded = this.embeddings.embedCounted(model, question);
		}
		catch (RuntimeException ex) {
			log.warn("Near-duplicate check skipped: embedding failed ({})", ex.getClass().getSimpleName());
			return null;
		}
		this.usage.record(target.workspaceId(), model, embedded.tokens(), null, null);
		return new Probe(model, embedded.vectors().get(0));
	}

	public Target target(JdbcClient sql) {
		return new Target(OwnerDb.workspaceId(sql), this.pairs.searchModel(sql, this.embeddings.deploymentModel()));
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
