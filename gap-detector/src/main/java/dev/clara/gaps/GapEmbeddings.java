package dev.clara.gaps;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.embedding.LocalEmbeddingProvider;
import dev.clara.shared.events.QuestionAsked;

/**
 * Embeds gap questions. New gaps get the deployment's model; when a Q&A pair of another model
 * that this service can make in-process (a local model) re-scores the open gaps, their vectors of
 * that model are made here too.
 */
class GapEmbeddings {

	private final EmbeddingProvider deployment;

	private final Map<String, EmbeddingProvider> others = new ConcurrentHashMap<>();

	GapEmbeddings(EmbeddingProvider deployment) {
		this.deployment = deployment;
	}

	String deploymentModel() {
		return this.deployment.modelId();
	}

	/**
	 * The vector a {@code QuestionAsked} carries (the one the chat turn searched with) when it is
	 * of the deployment's model, so the question need not be embedded here; null otherwise (an
	 * event written before events carried vectors, a workspace still searching with another model).
	 */
	float[] carried(QuestionAsked asked) {
		float[] vector = asked.questionEmbedding();
		boolean usable = vector != null && vector.length == this.deployment.dimensions()
				&& this.deployment.modelId().equals(asked.embeddingModel());
		return usable ? vector : null;
	}

	/** Whether the deployment's provider bills per call: then a batch is embedded per workspace. */
	boolean billed() {
		return this.deployment.billed();
	}

	boolean canEmbedWith(String model) {
		return this.deployment.modelId().equals(model) || LocalEmbeddingProvider.modelIds().contains(model);
	}

	/** With the tokens a remote provider billed (0 in-process): all one workspace's, so one call. */
	EmbeddingProvider.Embedded embed(String question) {
		return this.deployment.embedAllCounted(List.of(question));
	}

	/** As {@link #embed}; the questions are one workspace's, so the call's tokens are all its own. */
	EmbeddingProvider.Embedded embedAll(String model, List<String> questions) {
		if (this.deployment.modelId().equals(model)) {
			return this.deployment.embedAllCounted(questions);
		}
		return this.others.computeIfAbsent(model, LocalEmbeddingProvider::new).embedAllCounted(questions);
	}

}
