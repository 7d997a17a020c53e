package dev.clara.chat.answer;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.clara.chat.passages.Passage;
import dev.clara.chat.passages.PassageProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How many passages an answer from documents without an LLM cites ({@code clara.chat.passages.extractive-citations}). */
class ExtractiveCitationsTests {

	private static final List<Passage> PASSAGES = List.of(
			passage("The kettle has a two-year warranty. It covers defects. Drops are not covered."),
			passage("Returns are accepted within 30 days."), passage("Shipping takes three days."));

	private static Passage passage(String content) {
		return new Passage(UUID.randomUUID(), UUID.randomUUID(), "Kettle manual", "", content, 0.8);
	}

	private static Answer answer(int citations) {
		AnswerComposer composer = new AnswerComposer(null,
				new PassageProperties(PassageProperties.Strategy.HYBRID, citations));
		// no LLM key: the extractive answer; settings are not read on this path
		return composer.compose(new AnswerComposer.Context(null, "How long is the kettle's warranty?", List.of(), false,
				false, List.of(), null, PASSAGES), Optional.empty());
	}

	@Test
	void byDefaultOnlyThePassageTheAnswerIsIsCited() {
		Answer answer = answer(1);
		assertThat(answer.citations()).hasSize(1);
		assertThat(answer.citations().get(0).chunkId()).isEqualTo(PASSAGES.get(0).chunkId());
		assertThat(answer.citations().get(0).passage()).isEqualTo(answer.text());
	}

	@Test
	void moreCitationsAddTheNextPassagesWholeBestFirst() {
		Answer answer = answer(5);
		assertThat(answer.citations()).extracting(Citation::chunkId)
			.containsExactly(PASSAGES.get(0).chunkId(), PASSAGES.get(1).chunkId(), PASSAGES.get(2).chunkId());
		assertThat(answer.citations().get(0).passage()).isEqualTo(answer.text());
		assertThat(answer.citations().get(1).passage()).isEqualTo(PASSAGES.get(1).content());
		assertThat(answer(2).citations()).hasSize(2);
	}

}
