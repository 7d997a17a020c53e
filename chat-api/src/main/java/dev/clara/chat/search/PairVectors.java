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
 * with the similarity computed as pgvector computes it (float sums dimension by dimension, then
 * the cosine in double); the database's HNSW index is approximate, this search is not, so it
 * finds at least what the index finds.
 * <p>
 * The vectors are kept dimension by dimension: one array per dimension holding every pair's value
 * of it. A search adds one dimension's products to every pair's running sum at a time, a loop
 * over plain arrays that the JIT compiles to SIMD instructions; pair by pair, a dot product is a
 * sum the JIT does not vectorize, which made 10,000 pairs cost 1.7 ms instead of 0.4 ms.
 */
final class PairVectors {

	/** What a pair of the copy answers with. */
	record Pair(UUID id, String question, String answer, String category) {
	}

	private final String model;

	private final String snapshot;

	private final long loadedAtNanos;

	private final Pair[] pairs;

	/** {@code dimensions[d][i]}: pair i's value of dimension d. */
	private final float[][] dimensions;

	private final float[] normSquares;

	private final boolean complete;

	private PairVectors(String model, String snapshot, long loadedAtNanos, Pair[] pairs, float[][] dimensions,
			boolean complete) {
		this.complete = complete;
		this.model = model;
		this.snapshot = snapshot;
		this.loadedAtNanos = loadedAtNanos;
		this.pairs = pairs;
		this.dimensions = dimensions;
		this.normSquares = new float[pairs.length];
		for (float[] dimension : dimensions) {
			for (int i = 0; i < pairs.length; i++) {
				this.normSquares[i] += dimension[i] * dimension[i];
			}
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
		return this.complete && (this.pairs.length == 0 || query.length == this.dimensions.length);
	}

	/** At most {@code count} pairs whose similarity is above {@code floor}, the nearest first. */
	List<BestMatch.Hit> search(float[] query, double floor, int count) {
		if (count < 1 || this.pairs.length == 0) {
			return List.of();
		}
		float[] dots = new float[this.pairs.length];
		float queryNormSquare = 0;
		for (int d = 0; d < this.dimensions.length; d++) {
			addProducts(this.dimensions[d], query[d], dots);
			queryNormSquare += query[d] * query[d];
		}
		int[] best = new int[count];
		double[] bestDistance = new double[count];
		int found = 0;
		for (int i = 0; i < this.pairs.length; i++) {
			double distance = cosineDistance(dots[i], this.normSquares[i], queryNormSquare);
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

	/** {@code sums[i] += dimension[i] * value} for every pair: the loop the JIT vectorizes. */
	private static void addProducts(float[] dimension, float value, float[] sums) {
		for (int i = 0; i < sums.length; i++) {
			sums[i] += dimension[i] * value;
		}
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
			int count = this.pairs.size();
			float[][] byDimension = new float[Math.max(this.dimensions, 0)][count];
			for (int i = 0; i < count; i++) {
				for (int d = 0; d < byDimension.length; d++) {
					byDimension[d][i] = this.vectors[i * this.dimensions + d];
				}
			}
			return new PairVectors(this.model, this.snapshot, loadedAtNanos, this.pairs.toArray(Pair[]::new),
					byDimension, true);
		}

		/** A copy that holds none of the pairs, for a workspace with more than can be kept: it says so until it changes. */
		PairVectors tooLarge(long loadedAtNanos) {
			return new PairVectors(this.model, this.snapshot, loadedAtNanos, new Pair[0], new float[0][], false);
		}

	}

}
