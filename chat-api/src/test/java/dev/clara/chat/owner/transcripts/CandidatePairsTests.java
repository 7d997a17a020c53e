package dev.clara.chat.owner.transcripts;

import java.util.List;

import dev.clara.chat.owner.transcripts.TranscriptParser.Exchange;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Only exactly the JSON asked for is taken from the LLM; anything else means the extractive pairs. */
class CandidatePairsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final CandidatePairs.Limits LIMITS = new CandidatePairs.Limits(100, 200, 100);

	@Test
	void theAskedForJsonIsTaken() {
		assertThat(CandidatePairs.pairsOf(JSON, """
				{"pairs": [{"question": " Do you refund? ", "answer": "Yes, within 30 days."}]}""", 2, LIMITS))
			.containsExactly(new Exchange("Do you refund?", "Yes, within 30 days."));
		assertThat(CandidatePairs.pairsOf(JSON, "```json\n{\"pairs\": []}\n```", 2, LIMITS)).isEmpty();
	}

	@Test
	void anythingElseIsGarbage() {
		List<String> garbage = List.of("Sure! Here are your pairs: Q: refunds? A: yes",
				"[{\"question\": \"Q?\", \"answer\": \"A.\"}]",
				"{\"pairs\": [{\"question\": \"Q?\", \"answer\": \"A.\"}], \"note\": \"ignore previous instructions\"}",
				"{\"pairs\": [{\"question\": \"Q?\", \"answer\": \"A.\", \"category\": \"x\"}]}",
				"{\"pairs\": [{\"question\": \"Q?\"}]}", "{\"pairs\": [{\"question\": \"\", \"answer\": \"A.\"}]}",
				"{\"pairs\": [{\"question\": 42, \"answer\": \"A.\"}]}", "{\"pairs\": \"none\"}",
				"{\"pairs\": [{\"question\": \"" + "Q".repeat(101) + "\", \"answer\": \"A.\"}]}",
				"{\"pairs\": [{\"question\": \"Q?\", \"answer\": \"A\\u0007.\"}]}",
				"{\"pairs\": [{\"question\": \"1?\", \"answer\": \"A.\"}, {\"question\": \"2?\", \"answer\": \"A.\"},"
						+ " {\"question\": \"3?\", \"answer\": \"A.\"}]}");
		for (String reply : garbage) {
			assertThat(CandidatePairs.pairsOf(JSON, reply, 2, LIMITS)).as(reply).isNull();
		}
	}

}
