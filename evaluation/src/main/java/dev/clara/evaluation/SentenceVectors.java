package dev.clara.evaluation;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import dev.clara.shared.embedding.EmbeddingProvider;

/**
 * Sentence vectors of one embedding model, embedded once and kept in a file of the state folder
 * ({@code vectors-<model>.bin}), so that re-running an offline experiment does not embed again.
 */
final class SentenceVectors {

	private static final int BATCH = 64;

	private final Map<String, float[]> byText;

	private SentenceVectors(Map<String, float[]> byText) {
		this.byText = byText;
	}

	/** The vectors of {@code texts}: read from the cache file, the missing ones embedded and added to it. */
	static SentenceVectors of(Collection<String> texts, EmbeddingProvider provider, Path stateDir) throws IOException {
		Path file = stateDir.resolve("vectors-" + provider.modelId() + ".bin");
		Map<String, float[]> byText = Files.exists(file) ? read(file) : new LinkedHashMap<>();
		List<String> missing = new ArrayList<>(new LinkedHashSet<>(texts));
		missing.removeIf(byText::containsKey);
		if (missing.isEmpty()) {
			return new SentenceVectors(byText);
		}
		long started = System.nanoTime();
		for (int from = 0; from < missing.size(); from += BATCH) {
			List<String> batch = missing.subList(from, Math.min(missing.size(), from + BATCH));
			List<float[]> vectors = provider.embedAll(batch);
			for (int i = 0; i < batch.size(); i++) {
				byText.put(batch.get(i), vectors.get(i));
			}
			if ((from / BATCH) % 20 == 0) {
				System.err.printf("embedded %d / %d (%.0f s)%n", from + batch.size(), missing.size(),
						(System.nanoTime() - started) / 1e9);
			}
		}
		Files.createDirectories(stateDir);
		write(byText, file);
		return new SentenceVectors(byText);
	}

	float[] of(String text) {
		float[] vector = this.byText.get(text);
		if (vector == null) {
			throw new IllegalArgumentException("no vector for: " + text);
		}
		return vector;
	}

	private static Map<String, float[]> read(Path file) throws IOException {
		try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
			int count = in.readInt();
			Map<String, float[]> byText = new LinkedHashMap<>(count * 2);
			for (int n = 0; n < count; n++) {
				String text = in.readUTF();
				float[] vector = new float[in.readInt()];
				for (int i = 0; i < vector.length; i++) {
					vector[i] = in.readFloat();
				}
				byText.put(text, vector);
			}
			return byText;
		}
	}

	private static void write(Map<String, float[]> byText, Path file) throws IOException {
		Path partial = file.resolveSibling(file.getFileName() + ".partial");
		try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(partial)))) {
			out.writeInt(byText.size());
			for (Map.Entry<String, float[]> entry : byText.entrySet()) {
				out.writeUTF(entry.getKey());
				out.writeInt(entry.getValue().length);
				for (float x : entry.getValue()) {
					out.writeFloat(x);
				}
			}
		}
		Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
	}

}
