package dev.clara.chat.search;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BestMatchTests {

	static BestMatch.Hit hit(String question, String answer, double similarity) {
		return new BestMatch.Hit(new Match(UUID.randomUUID(), question, answer, "general", similarity), similarity);
	}

	@Test
	void theAnswerWithTheMostWeightWinsAndItsBestHitLeads() {
		BestMatch.Hit lone = hit("what is my balance", "Balance answer", 0.90);
		BestMatch.Hit first = hit("move money to savings", "Transfer answer", 0.85);
		BestMatch.Hit second = hit("send money to checking", "transfer  ANSWER", 0.80);

		List<Match> ordered = BestMatch.vote(List.of(lone, first, second));

		assertThat(ordered).containsExactly(first.match(), lone.match(), second.match());
		assertThat(ordered.get(0).similarity()).isEqualTo(0.85);
	}

	@Test
	void aTieKeepsTheSearchOrder() {
		BestMatch.Hit a = hit("a", "A", 0.7);
		BestMatch.Hit b = hit("b", "B", 0.7);

		assertThat(BestMatch.vote(List.of(a, b))).containsExactly(a.match(), b.match());
		assertThat(BestMatch.vote(List.of())).isEmpty();
	}

}
