package dev.clara.chat.search;

import dev.clara.shared.embedding.EmbeddingProvider;

/** Question embeddings over a provider of the test's choosing (a billing fake). */
public final class TestQuestionEmbeddings {

	private TestQuestionEmbeddings() {
	}

	public static QuestionEmbeddings over(EmbeddingProvider provider) {
		return new QuestionEmbeddings(provider);
	}

}
