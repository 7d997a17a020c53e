package dev.clara.schema;

import java.util.Random;

/** Random unit vectors around topic centres: the search benchmarks' stand-in for real embeddings. */
final class SyntheticVectors {

	private SyntheticVectors() {
	}

	/** Each coordinate drawn from N(0, sigma²). */
	static float[] gaussian(Random random, int dimensions, float sigma) {
		float[] v = new float[dimensions];
		for (int i = 0; i < v.length; i++) {
			v[i] = (float) (random.nextGaussian() * sigma);
		}
		return v;
	}

	static float[] add(float[] a, float[] b) {
		float[] v = new float[a.length];
		for (int i = 0; i < v.length; i++) {
			v[i] = a[i] + b[i];
		}
		return v;
	}

	/** Scales {@code v} to length 1, in place. */
	static float[] normalise(float[] v) {
		double norm = 0;
		for (float x : v) {
			norm += x * x;
		}
		norm = Math.sqrt(norm);
		for (int i = 0; i < v.length; i++) {
			v[i] = (float) (v[i] / norm);
		}
		return v;
	}

}
