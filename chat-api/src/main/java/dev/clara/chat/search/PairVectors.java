package dev.clara.chat.search;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * One workspace's searchable Q&amp;A pairs (active, embedded by one model) as they were in one
 * database snapshot, searched exactly in memory. The hits are those {@code search_qa_pairs}
 * returns over the same rows: above the floor, nearest first, ties by id in the database's order,
 * with the similarity computed as pgvector computes it (float sums, then the cosine in double);
 * the database's HNSW index is approximate, this search is not, so it finds at least what the
 * index finds.
 * <p>
 * The vectors are one array, pair after pair, so a search reads memory in order.
 */
final class PairVectors {

	/** What a pair of the copy answers with. */
	record Pair(UUID id, String question, String answer, String category) {
	}

	private final String model;

	private final String snapshot;

	private final long loadedAtNanos;

	private final Pair[] pairs;

	private final int dimensions;

	private final float[] vectors;

	private final float[] normSquares;

	private final boolean complete;

	private PairVectors(String model, String snapshot, long loadedAtNanos, Pair[] pairs, int dimensions,
			float[] vectors, boolean complete) {
		this.complete = complete;
		this.model = model;
		this.snapshot = snapshot;
		this.loadedAtNanos = loadedAtNanos;
		this.pairs = pairs;
		this.dimensions = dimensions;
		this.vectors = vectors;
		this.normSquares = new float[pairs.length];
		for (int i = 0; i < pairs.length; i++) {
			this.normSquares[i] = dot(vectors, i * dimensions, vectors, i * dimensions, dimensions);
		}
	}

	String model() {
		return this.model;
	}

	/** The database snapshot ({@code pg_snapshot} as text) the pairs were read in. */
	String snapshot() {
		return this.snapshot;
	}

	long loadedAtNanos() {
		return this.loadedAtNanos;
	}

	int size() {
		return this.pairs.length;
	}

	/**
	 * Whether a question embedded as {@code query} can be searched here: the copy holds all the
	 * workspace's searchable pairs (not so for a workspace too large to keep), and the query has the
	 * model's dimensions (the database explains a mismatch).
	 */
	boolean canSearch(float[] query) {
		return this.complete && (this.pairs.length == 0 || query.length == this.dimensions);
	}

	/** At most {@code count} pairs whose similarity is above {@code floor}, the nearest first. */
	List<BestMatch.Hit> search(float[] query, double floor, int count) {
		if (count < 1 || this.pairs.length == 0) {
			return List.of();
		}
		float queryNormSquare = dot(query, 0, query, 0, query.length);
		int[] best = new int[count];
		double[] bestDistance = new double[count];
		int found = 0;
		for (int i = 0; i < this.pairs.length; i++) {
			float dot = dot(this.vectors, i * this.dimensions, query, 0, this.dimensions);
			double distance = cosineDistance(dot, this.normSquares[i], queryNormSquare);
			// NaN (a zero vector) is above no floor, as in the database
			if (!(1 - distance > floor) || (found == count && !before(distance, i, bestDistance[count - 1], best[count - 1]))) {
				continue;
			}
			int at = found < count ? found++ : count - 1;
			while (at > 0 && before(distance, i, bestDistance[at - 1], best[at - 1])) {
				best[at] = best[at - 1];
				bestDistance[at] = bestDistance[at - 1];
				at--;
			}
			best[at] = i;
			bestDistance[at] = distance;
		}
		List<BestMatch.Hit> hits = new ArrayList<>(found);
		for (int k = 0; k < found; k++) {
			Pair pair = this.pairs[best[k]];
			double similarity = 1 - bestDistance[k];
			hits.add(new BestMatch.Hit(new Match(pair.id(), pair.question(), pair.answer(), pair.category(), similarity),
					similarity));
		}
		return hits;
	}

	/** pgvector's cosine distance: {@code 1 - dot / sqrt(|a|² |b|²)}, the cosine kept within [-1, 1]. */
	private static double cosineDistance(float dot, float normSquareA, float normSquareB) {
		double similarity = (double) dot / Math.sqrt((double) normSquareA * (double) normSquareB);
		if (Double.isNaN(similarity)) {
			return Double.NaN;
		}
		return 1 - Math.max(-1, Math.min(1, similarity));
	}

	/** The database's order: distance, then id (uuid compares as unsigned bytes). */
	private boolean before(double distance, int pair, double otherDistance, int other) {
		if (distance != otherDistance) {
			return distance < otherDistance;
		}
		UUID a = this.pairs[pair].id();
		UUID b = this.pairs[other].id();
		int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
		return (high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits())) < 0;
	}

	/**
	 * The dot product of {@code length} floats of {@code a} and {@code b}, in float as pgvector sums;
	 * eight running sums let the processor overlap the multiplications (the order of a float sum
	 * changes its last bits, not which pairs are nearest).
	 */
	private static float dot(float[] a, int offsetA, float[] b, int offsetB, int length) {
		float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
		int i = 0;
		for (; i + 8 <= length; i += 8) {
			s0 += a[offsetA + i] * b[offsetB + i];
			s1 += a[offsetA + i + 1] * b[offsetB + i + 1];
			s2 += a[offsetA + i + 2] * b[offsetB + i + 2];
			s3 += a[offsetA + i + 3] * b[offsetB + i + 3];
			s4 += a[offsetA + i + 4] * b[offsetB + i + 4];
			s5 += a[offsetA + i + 5] * b[offsetB + i + 5];
			s6 += a[offsetA + i + 6] * b[offsetB + i + 6];
			s7 += a[offsetA + i + 7] * b[offsetB + i + 7];
		}
		float sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
		for (; i < length; i++) {
			sum += a[offsetA + i] * b[offsetB + i];
		}
		return sum;
	}

	/** Collects a copy row by row; a vector arrives as pgvector's binary form ({@code vector_send}). */
	static final class Builder {

		private final String model;

		private final String snapshot;

		private final List<Pair> pairs = new ArrayList<>();

		private float[] vectors = new float[0];

		private int dimensions = -1;

		Builder(String model, String snapshot) {
			this.model = model;
			this.snapshot = snapshot;
		}

		/** Adds a pair; its vector is pgvector's send format: dimensions (int16), unused (int16), floats. */
		void add(Pair pair, byte[] vectorSend) {
			ByteBuffer buffer = ByteBuffer.wrap(vectorSend);
			int dims = Short.toUnsignedInt(buffer.getShort());
			buffer.getShort();
			if (this.dimensions < 0) {
				this.dimensions = dims;
			}
			else if (dims != this.dimensions) {
				throw new IllegalStateException("pair " + pair.id() + " has " + dims + " dimensions, not " + this.dimensions);
			}
			int at = this.pairs.size() * dims;
			if (at + dims > this.vectors.length) {
				this.vectors = Arrays.copyOf(this.vectors, Math.max(at + dims, this.vectors.length * 2));
			}
			buffer.asFloatBuffer().get(this.vectors, at, dims);
			this.pairs.add(pair);
		}

		int size() {
			return this.pairs.size();
		}

		PairVectors build(long loadedAtNanos) {
			int dims = Math.max(this.dimensions, 0);
			return new PairVectors(this.model, this.snapshot, loadedAtNanos, this.pairs.toArray(Pair[]::new), dims,
					Arrays.copyOf(this.vectors, this.pairs.size() * dims), true);
		}

		/** A copy that holds none of the pairs, for a workspace with more than can be kept: it says so until it changes. */
		PairVectors tooLarge(long loadedAtNanos) {
			return new PairVectors(this.model, this.snapshot, loadedAtNanos, new Pair[0], 0, new float[0], false);
		}

	}

}
