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

	@Test
	void pgVectorLiteralRoundTrips() {
		float[] vector = { 0.1f, -0.25f, 1.0E-7f, 3f };
		String literal = Vectors.toPgVectorLiteral(vector);
		assertThat(literal).isEqualTo("[0.1,-0.25,1.0E-7,3.0]");
		assertThat(Vectors.fromPgVectorLiteral(literal)).containsExactly(vector);
		assertThat(Vectors.fromPgVectorLiteral(" [1, 2] ")).containsExactly(1f, 2f);
		assertThat(Vectors.toPgVectorLiteral(new float[0])).isEqualTo("[]");
		assertThat(Vectors.fromPgVectorLiteral("[]")).isEmpty();
	}

	@Test
	void pgVectorLiteralRejectsWhatPgvectorWould() {
		assertThatIllegalArgumentException().isThrownBy(() -> Vectors.toPgVectorLiteral(new float[] { Float.NaN }))
			.withMessageContaining("element 0");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Vectors.toPgVectorLiteral(new float[] { 1, Float.POSITIVE_INFINITY }));
		assertThatIllegalArgumentException().isThrownBy(() -> Vectors.fromPgVectorLiteral("1,2"));
		assertThatIllegalArgumentException().isThrownBy(() -> Vectors.fromPgVectorLiteral("[1,x]"))
			.withMessageContaining("element 1");
	}

}
