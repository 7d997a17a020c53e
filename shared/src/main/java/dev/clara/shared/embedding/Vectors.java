package dev.clara.shared.embedding;

import java.util.Objects;

/**
 * Small vector helpers shared by the services: normalising, similarity, and pgvector's text
 * form, so a service can bind {@code CAST(? AS extensions.vector)} without pgvector-java.
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

	/** pgvector's text form, {@code [0.1,0.2,...]}, for binding as {@code CAST(? AS extensions.vector)}. */
	public static String toPgVectorLiteral(float[] vector) {
		Objects.requireNonNull(vector, "vector");
		StringBuilder text = new StringBuilder(vector.length * 12 + 2).append('[');
		for (int i = 0; i < vector.length; i++) {
			if (!Float.isFinite(vector[i])) {
				// pgvector rejects NaN and infinity; fail here with the position instead
				throw new IllegalArgumentException("vector element " + i + " is not finite");
			}
			if (i > 0) {
				text.append(',');
			}
			// Float.toString is the shortest text that reads back to the same float (pgvector's strtof
			// accepts its exponent form too)
			text.append(vector[i]);
		}
		return text.append(']').toString();
	}

	/** Parses pgvector's text form, for reading a {@code vector} column as text. */
	public static float[] fromPgVectorLiteral(String literal) {
		Objects.requireNonNull(literal, "literal");
		String trimmed = literal.strip();
		if (trimmed.length() < 2 || trimmed.charAt(0) != '[' || trimmed.charAt(trimmed.length() - 1) != ']') {
			throw new IllegalArgumentException("not a pgvector literal: expected [x,y,...]");
		}
		String body = trimmed.substring(1, trimmed.length() - 1).strip();
		if (body.isEmpty()) {
			return new float[0];
		}
		String[] parts = body.split(",");
		float[] vector = new float[parts.length];
		for (int i = 0; i < parts.length; i++) {
			try {
				vector[i] = Float.parseFloat(parts[i].strip());
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("pgvector literal element " + i + " is not a number", ex);
			}
		}
		return vector;
	}

	private static void requireSameLength(float[] a, float[] b) {
		if (a.length != b.length) {
			throw new IllegalArgumentException("vectors differ in dimensions: " + a.length + " vs " + b.length);
		}
	}

}
