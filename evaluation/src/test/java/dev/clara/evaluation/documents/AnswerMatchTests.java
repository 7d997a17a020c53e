package dev.clara.evaluation.documents;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerMatchTests {

	@Test
	void normalisesCaseWhiteSpaceAndPunctuation() {
		assertThat(AnswerMatch.normalise("  The  \"Normans\",\n in 1066! ")).isEqualTo("the normans in 1066");
		assertThat(AnswerMatch.normalise("ﬁve – 1,000")).isEqualTo("five 1000");
	}

	@Test
	void findsAnyGoldAnswerAsWholeWords() {
		String passage = "They were descended from Norse raiders and pirates from Denmark, Iceland and Norway.";
		assertThat(AnswerMatch.contains(passage, List.of("Sweden", "denmark, iceland"))).isTrue();
		assertThat(AnswerMatch.contains(passage, List.of("NORSE"))).isTrue();
		assertThat(AnswerMatch.contains(passage, List.of("Sweden"))).isFalse();
		// a word inside another word is not the answer
		assertThat(AnswerMatch.contains(passage, List.of("rates"))).isFalse();
	}

	@Test
	void findsNothingWithoutAnswersOrPassage() {
		assertThat(AnswerMatch.contains("anything", List.of())).isFalse();
		assertThat(AnswerMatch.contains("anything", List.of(" ... "))).isFalse();
		assertThat(AnswerMatch.contains(null, List.of("anything"))).isFalse();
	}

}
