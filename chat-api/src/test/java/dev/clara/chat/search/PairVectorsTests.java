package dev.clara.chat.search;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The in-memory search against a plain cosine search in double precision, and the database's rules. */
class PairVectorsTests {

	private static final int DIMENSIONS = 384;

	@Test
	void findsTheNearestPairsAboveTheFloorInOrder() {
		Random random = new Random(7);
		PairVectors.Builder builder = new PairVectors.Builder("model", "1:1:");
		List<float[]> vectors = new ArrayList<>();
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < 2_000; i++) {
			float[] vector = randomVector(random);
			UUID id = UUID.randomUUID();
			vectors.add(vector);
			ids.add(id);
			builder.add(pair(id), send(vector));
		}
		PairVectors copy = builder.build(System.nanoTime());
		for (int q = 0; q < 20; q++) {
			float[] query = randomVector(random);
			double floor = q % 2 == 0 ? -1 : 0.05;

			List<BestMatch.Hit> hits = copy.search(query, floor, 5);

			List<Integer> expected = new ArrayList<>();
			for (int i = 0; i < vectors.size(); i++) {
				if (cosine(vectors.get(i), query) > floor) {
					expected.add(i);
				}
			}
			expected.sort(Comparator.comparingDouble((Integer i) -> -cosine(vectors.get(i), query)));
			List<Integer> top = expected.subList(0, Math.min(5, expected.size()));
			assertThat(hits).extracting(hit -> hit.match().id()).containsExactlyElementsOf(top.stream().map(ids::get).toList());
			for (int k = 0; k < hits.size(); k++) {
				assertThat(hits.get(k).match().similarity()).isCloseTo(cosine(vectors.get(top.get(k)), query), within(1e-6));
				assertThat(hits.get(k).weight()).isEqualTo(hits.get(k).match().similarity());
			}
		}
	}

	@Test
	void keepsOnlyWhatIsStrictlyAboveTheFloor() {
		float[] vector = unit(0);
		PairVectors.Builder builder = new PairVectors.Builder("model", "1:1:");
		builder.add(pair(UUID.randomUUID()), send(vector));
		PairVectors copy = builder.build(System.nanoTime());

		assertThat(copy.search(unit(1), 0.0, 5)).isEmpty();
		assertThat(copy.search(unit(1), -0.1, 5)).hasSize(1);
		assertThat(copy.search(vector, 0.999, 5)).hasSize(1);
	}

	@Test
	void equalDistancesAreOrderedByIdAsTheDatabaseComparesUuids() {
		// as unsigned bytes 00… comes before 80…; Java's UUID.compareTo puts 80… (a negative long) first
		UUID high = UUID.fromString("80000000-0000-0000-0000-000000000000");
		UUID low = UUID.fromString("00000000-0000-0000-0000-000000000001");
		PairVectors.Builder builder = new PairVectors.Builder("model", "1:1:");
		builder.add(pair(high), send(unit(0)));
		builder.add(pair(low), send(unit(0)));

		assertThat(builder.build(System.nanoTime()).search(unit(0), -1, 2)).extracting(hit -> hit.match().id())
			.containsExactly(low, high);
	}

	@Test
	void aZeroVectorIsAboveNoFloor() {
		PairVectors.Builder builder = new PairVectors.Builder("model", "1:1:");
		builder.add(pair(UUID.randomUUID()), send(new float[DIMENSIONS]));

		assertThat(builder.build(System.nanoTime()).search(unit(0), -2, 5)).isEmpty();
	}

	@Test
	void searchesOnlyAWholeCopyWithTheQuestionsDimensions() {
		PairVectors.Builder builder = new PairVectors.Builder("model", "1:1:");
		builder.add(pair(UUID.randomUUID()), send(unit(0)));

		assertThat(builder.build(System.nanoTime()).canSearch(unit(0))).isTrue();
		assertThat(builder.build(System.nanoTime()).canSearch(new float[DIMENSIONS + 1])).isFalse();
		assertThat(builder.tooLarge(System.nanoTime()).canSearch(unit(0))).isFalse();
		assertThat(builder.tooLarge(System.nanoTime()).size()).isZero();
		assertThat(new PairVectors.Builder("model", "1:1:").build(System.nanoTime()).search(unit(0), -1, 5)).isEmpty();
	}

	private static PairVectors.Pair pair(UUID id) {
		return new PairVectors.Pair(id, "question " + id, "answer", null);
	}

	private static float[] unit(int dimension) {
		float[] vector = new float[DIMENSIONS];
		vector[dimension] = 1;
		return vector;
	}

	private static float[] randomVector(Random random) {
		float[] vector = new float[DIMENSIONS];
		for (int i = 0; i < DIMENSIONS; i++) {
			vector[i] = (float) random.nextGaussian();
		}
		return vector;
	}

	private static double cosine(float[] a, float[] b) {
		double dot = 0;
		double normA = 0;
		double normB = 0;
		for (int i = 0; i < a.length; i++) {
			dot += (double) a[i] * b[i];
			normA += (double) a[i] * a[i];
			normB += (double) b[i] * b[i];
		}
		return dot / Math.sqrt(normA * normB);
	}

	/** pgvector's binary form, as {@code vector_send} returns it. */
	private static byte[] send(float[] vector) {
		ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * vector.length);
		buffer.putShort((short) vector.length).putShort((short) 0);
		for (float value : vector) {
			buffer.putFloat(value);
		}
		return buffer.array();
	}

}
