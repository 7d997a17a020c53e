package dev.clara.chat.search;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.embedding.LocalEmbeddingProvider;

import org.springframework.stereotype.Component;

/**
 * Embeds visitor questions with the model of the workspace's vectors. That is the deployment's
 * model, except for a workspace still searching with the previous local model while its new
 * vectors are made: its questions are embedded by that model, loaded in-process on first use.
 */
@Component
public class QuestionEmbeddings {

	private final EmbeddingProvider deployment;

	private final Map<String, EmbeddingProvider> previousModels = new ConcurrentHashMap<>();

	QuestionEmbeddings(EmbeddingProvider deployment) {
		this.deployment = deployment;
	}

	public String deploymentModel() {
		return this.deployment.modelId();
	}

	/** Whether questions can be embedded with {@code model} here. */
	public boolean canEmbedWith(String model) {
		return this.deployment.modelId().equals(model) || LocalEmbeddingProvider.modelIds().contains(model);
	}

	public float[] embed(String model, String question) {
		return embedCounted(model, question).vectors().get(0);
	}

	/** As {@link #embed}, with the tokens a remote provider billed (0 for an in-process model). */
	public EmbeddingProvider.Embedded embedCounted(String model, String question) {
		return embedAllCounted(model, List.of(question));
	}

	/** Several questions in one call, their vectors in the same order, with the tokens billed. */
	public EmbeddingProvider.Embedded embedAllCounted(String model, List<String> questions) {
		if (this.deployment.modelId().equals(model)) {
			return this.deployment.embedAllCounted(questions);
		}
		return this.previousModels.computeIfAbsent(model, LocalEmbeddingProvider::new).embedAllCounted(questions);
	}

}
