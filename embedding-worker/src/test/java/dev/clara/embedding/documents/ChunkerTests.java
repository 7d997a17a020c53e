package dev.clara.embedding.documents;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkerTests {

	private final Chunker chunker = new Chunker(200, 60);

	@Test
	void aHeadingStartsANewChunkAndNamesItsSection() {
		List<Chunker.Chunk> chunks = this.chunker.split("""
				# Returns

				You can return any item within 30 days.

				## Refunds

				Refunds reach your card within five working days.

				# Shipping

				We ship worldwide.
				""");
		assertThat(chunks).containsExactly(new Chunker.Chunk("You can return any item within 30 days.", "Returns"),
				new Chunker.Chunk("Refunds reach your card within five working days.", "Returns › Refunds"),
				new Chunker.Chunk("We ship worldwide.", "Shipping"));
	}

	@Test
	void chunksEndAtSentencesStayNearTheTargetAndOverlapByWholeSentences() {
		StringBuilder text = new StringBuilder();
		for (int i = 1; i <= 30; i++) {
			text.append("Sentence number ").append(i).append(" says something short. ");
		}
		List<Chunker.Chunk> chunks = this.chunker.split(text.toString());
		assertThat(chunks).hasSizeGreaterThan(3);
		for (Chunker.Chunk chunk : chunks) {
			assertThat(chunk.content()).hasSizeLessThanOrEqualTo(200).startsWith("Sentence number ").endsWith("short.");
		}
		for (int i = 1; i < chunks.size(); i++) {
			String previous = chunks.get(i - 1).content();
			String lastSentence = previous.substring(previous.lastIndexOf("Sentence number"));
			assertThat(chunks.get(i).content()).as("the next chunk repeats the end of the previous one")
				.startsWith(lastSentence);
		}
		assertThat(chunks.get(chunks.size() - 1).content()).endsWith("Sentence number 30 says something short.");
		assertThat(this.chunker.split(text.toString())).as("deterministic").isEqualTo(chunks);
	}

	@Test
	void aSentenceLongerThanAChunkIsCutBetweenWords() {
		String longSentence = "word ".repeat(100).strip() + ".";
		List<Chunker.Chunk> chunks = this.chunker.split(longSentence);
		assertThat(chunks).hasSizeGreaterThan(1);
		assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.content()).hasSizeLessThanOrEqualTo(200));
		assertThat(String.join(" ", chunks.stream().map(Chunker.Chunk::content).toList())).contains("word word");
	}

	@Test
	void noTextGivesNoChunksAndNonsenseSettingsAreRefused() {
		assertThat(this.chunker.split("\n\n   \n")).isEmpty();
		assertThat(this.chunker.split("# Only a heading\n\n")).isEmpty();
		assertThatThrownBy(() -> new Chunker(50, 10)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new Chunker(200, 150)).isInstanceOf(IllegalArgumentException.class);
	}

}
