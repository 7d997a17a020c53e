package dev.clara.shared.embedding;

import java.util.List;
import java.util.Objects;

/** Input checks shared by the providers, so every provider rejects the same inputs the same way. */
final class TextChecks {

	private TextChecks() {
	}

	/** Throws {@link IllegalArgumentException} naming the first null or blank text. */
	static void requireEmbeddable(List<String> texts) {
		Objects.requireNonNull(texts, "texts");
		for (int i = 0; i < texts.size(); i++) {
			String text = texts.get(i);
			if (text == null || text.isBlank()) {
				throw new IllegalArgumentException(
						"text " + i + " is " + ((text == null) ? "null" : "blank") + ": there is nothing to embed");
			}
		}
	}

}
