package dev.clara.shared.embedding;

import java.util.List;

/** Turns the pooled vectors of a long text's token windows into one. */
final class Pooling {

	private Pooling() {
	}

	/**
	 * LangChain4j's average of the windows, in float as it did it, weighted by their word pieces;
	 * a single window's vector as it is.
	 */
	static float[] weightedAverage(List<WordPieceWindows.Window> windows, List<float[]> pooled) {
		if (pooled.size() == 1) {
			return pooled.get(0);
		}
		float[] average = new float[pooled.get(0).length];
		int totalWeight = 0;
		for (int i = 0; i < pooled.size(); i++) {
			int weight = windows.get(i).weight();
			totalWeight += weight;
			float[] vector = pooled.get(i);
			for (int d = 0; d < average.length; d++) {
				average[d] += vector[d] * weight;
			}
		}
		for (int d = 0; d < average.length; d++) {
			average[d] /= totalWeight;
		}
		return average;
	}

}
