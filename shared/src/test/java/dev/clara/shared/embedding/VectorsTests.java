package dev.clara.shared.embedding;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class VectorsTests {

	@Test
	void normalizeMakesUnitLengthAndKeepsDirection() {
		float[] unit = Vectors.normalize(new float[] { 3, 4 });
		assertThat(unit).containsExactly(new float[] { 0.6f, 0.8f }, within(1e-6f));
		assertThat(Vectors.norm(unit)).isCloseTo(1.0, within(1e-6));
	}

	@Test
	void normalizeRejectsZeroAndNonFiniteVectors() {
		assertThatIllegalArgumentException().isThrownBy(() -> Vectors.normalize(new float[] { 0, 0 }));
		assertThatIllegalArgumentException().isThrownBy(() -> Vectors.normalize(new float[] { Float.NaN, 1 }));
	}

	@Test
	void cosineAndDot() {
		float[] a = { 1, 0 };
		float[] b = { 1, 1 };
		assertThat(Vectors.dot(a, b)).isEqualTo(1.0);
		assertThat(Vectors.cosine(a, b)).isCloseTo(Math.sqrt(0.5), within(1e-9));
		assertThat(Vectors.cosine(a, new float[] { -2, 0 })).isCloseTo(-1.0, within(1e-9));
		assertThat(Vectors.dot(Vectors.normalize(b), Vectors.normalize(b))).isCloseTo(1.0, within(1e-6));
	}

	@Test
	void differentDimensionsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> Vectors.dot(new float[2], new float[3]))
			.withMessageContaining("2 vs 3");
		assertThatIllegalArgumentException().isThrownBy(() -> Vectors.cosine(new float[] { 0, 0 }, new float[] { 1, 0 }));
	}

}
