package dev.clara.shared.embedding;

import java.util.Objects;

/**
 * Small vector helpers shared by the services: normalising and similarity. (Vectors go to and
 * from PostgreSQL through pgvector-java's {@code PGvector}.)
 */
public final class Vectors {

	private Vectors() {
	}

	/** Euclidean (L2) length. */
	public static double norm(float[] vector) {
		double sum = 0;
		for (float x : vector) {
			sum += (double) x * x;
		}
		return Math.sqrt(sum);
	}

	/**
	 * A unit-length copy. Throws {@link IllegalArgumentException} for a zero or non-finite vector,
	 * which has no direction and would poison every similarity computed against it.
	 */
	public static float[] normalize(float[] vector) {
		Objects.requireNonNull(vector, "vector");
		double norm = norm(vector);
		if (norm == 0 || !Double.isFinite(norm)) {
			throw new IllegalArgumentException("cannot normalise a zero or non-finite vector");
		}
		float[] unit = new float[vector.length];
		for (int i = 0; i < vector.length; i++) {
			unit[i] = (float) (vector[i] / norm);
		}
		return unit;
	}

	/** Dot product; equals cosine similarity for unit vectors. */
	public static double dot(float[] a, float[] b) {
		requireSameLength(a, b);
		double sum = 0;
		for (int i = 0; i < a.length; i++) {
			sum += (double) a[i] * b[i];
		}
		return sum;
	}

	/** Cosine similarity in [-1, 1], whatever the vectors' lengths. */
	public static double cosine(float[] a, float[] b) {
		requireSameLength(a, b);
		double na = norm(a);
		double nb = norm(b);
		if (na == 0 || nb == 0) {
			throw new IllegalArgumentException("cosine similarity is undefined for a zero vector");
		}
		return dot(a, b) / (na * nb);
	}

	private static void requireSameLength(float[] a, float[] b) {
		if (a.length != b.length) {
			throw new IllegalArgumentException("vectors differ in dimensions: " + a.length + " vs " + b.length);
		}
	}

}
