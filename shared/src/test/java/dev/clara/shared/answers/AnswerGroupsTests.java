package dev.clara.shared.answers;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerGroupsTests {

	record Pair(String question, String answer) {
	}

	@Test
	void answersEqualAfterTrimmingCollapsingSpaceAndCaseFoldingFormOneGroup() {
		List<Pair> pairs = List.of(new Pair("q1", "Open  9 to 5.\n"), new Pair("q2", "We ship worldwide."),
				new Pair("q3", "  open 9\tTO 5."), new Pair("q4", "We ship worldwide!"));

		Map<String, List<Pair>> groups = AnswerGroups.group(pairs, Pair::answer);

		assertThat(groups).hasSize(3);
		assertThat(groups.values()).extracting(g -> g.stream().map(Pair::question).toList())
			.containsExactly(List.of("q1", "q3"), List.of("q2"), List.of("q4"));
		assertThat(groups.keySet()).first().isEqualTo(AnswerGroups.groupId("OPEN 9 TO 5."));
	}

	@Test
	void normalisingFoldsCaseAndWhiteSpaceOnly() {
		assertThat(AnswerGroups.normalise("  Straße\u00a0 IS\n\nclosed ")).isEqualTo("strasse is closed");
		assertThat(AnswerGroups.normalise("a.b")).isNotEqualTo(AnswerGroups.normalise("a b"));
		assertThat(AnswerGroups.groupId("x")).hasSize(32).isEqualTo(AnswerGroups.groupId(" X "));
	}

}
