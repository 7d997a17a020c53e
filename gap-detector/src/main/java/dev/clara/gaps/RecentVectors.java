package dev.clara.gaps;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The vectors of the question texts embedded last (the deployment's model only), so that a text
 * asked again in another workspace, or after its gap was closed, is not embedded again: the same
 * text and model give the same vector. Bounded (least recently used out): 4096 vectors of 384
 * floats are about 7 MB.
 */
final class RecentVectors {

	static final int CAPACITY = 4096;

	private final Map<String, float[]> vectors = new LinkedHashMap<>(256, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
			return size() > CAPACITY;
		}
	};

	synchronized float[] get(String text) {
		return this.vectors.get(text);
	}

	synchronized void put(String text, float[] vector) {
		this.vectors.put(text, vector);
	}

}
