package dev.clara.chat.passages;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SentenceWindowTests {

	private static final String PASSAGE = "Our shop is in Leeds. Opening hours are nine to five on weekdays. "
			+ "On Saturdays we open at ten. Parking is free for customers. We are closed on Sundays.";

	@Test
	void theWindowSharingMostContentWordsWithTheQuestionIsTheAnswer() {
		assertThat(SentenceWindow.best("Is parking free?", PASSAGE))
			.isEqualTo("On Saturdays we open at ten. Parking is free for customers.");
		assertThat(SentenceWindow.best("What are your opening hours on weekdays?", PASSAGE))
			.isEqualTo("Our shop is in Leeds. Opening hours are nine to five on weekdays.");
		assertThat(SentenceWindow.best("Are you closed on Sundays?", PASSAGE))
			.isEqualTo("Parking is free for customers. We are closed on Sundays.");
	}

	@Test
	void aShortPassageIsItsOwnWindowAndNoOverlapKeepsTheStart() {
		assertThat(SentenceWindow.best("Where?", "Leeds.")).isEqualTo("Leeds.");
		assertThat(SentenceWindow.best("zebra", PASSAGE)).isEqualTo("Our shop is in Leeds. Opening hours are nine to five on weekdays.");
	}

}
