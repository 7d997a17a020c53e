package dev.clara.embedding.training;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import dev.clara.shared.answers.AnswerDecision.Policy;

/**
 * What one training run of a workspace works from, read at one moment: the embedding model its
 * search uses, its decision policy, its active pairs that have a vector of that model, and its
 * dismissed gaps marked as out-of-scope examples.
 */
record TrainingSnapshot(UUID workspaceId, String embeddingModel, Policy policy, List<Pair> pairs,
		List<OutOfScope> outOfScope) {

	/** A pair as the model sees it: its answer group and the vector of its question. */
	record Pair(UUID id, String groupId, float[] vector, OffsetDateTime embeddedAt) {
	}

	/** A dismissed gap taught as "not something we answer". */
	record OutOfScope(UUID gapId, float[] vector) {
	}

	/**
	 * What a model trained on this snapshot is trained on, as text that changes exactly when
	 * training could give another model: the embedding model, each pair's id, group and vector
	 * time, and each out-of-scope example. Rows come ordered by id, so a replayed change that
	 * changed nothing gives the same fingerprint.
	 */
	String fingerprint() {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update(this.embeddingModel.getBytes(StandardCharsets.UTF_8));
			for (Pair pair : this.pairs) {
				digest.update((";" + pair.id() + ":" + pair.groupId() + ":" + pair.embeddedAt().toInstant())
					.getBytes(StandardCharsets.UTF_8));
			}
			for (OutOfScope example : this.outOfScope) {
				digest.update((";oos:" + example.gapId()).getBytes(StandardCharsets.UTF_8));
			}
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java runtime has SHA-256", ex);
		}
	}

	long groupCount() {
		return this.pairs.stream().map(Pair::groupId).distinct().count();
	}

}
