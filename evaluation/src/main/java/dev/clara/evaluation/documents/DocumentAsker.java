package dev.clara.evaluation.documents;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.clara.evaluation.ChatVisitors;
import tools.jackson.databind.JsonNode;

/**
 * Asks each question through {@code POST /api/chat} as the widget does, each in a new session (no
 * conversation carries over from one question to the next), and reads back {@code gap_detected},
 * {@code confidence} and the {@code citations} (chunk ids and passages, in order).
 */
final class DocumentAsker {

	/** One cited passage: its chunk and the passage text the reply carries. */
	record Cited(UUID chunkId, String passage) {
	}

	/** The reply to one question. */
	record Reply(Squad.Question question, boolean gapDetected, double confidence, List<Cited> citations) {
	}

	private final ChatVisitors visitors;

	DocumentAsker(HttpClient http, String chatApi) {
		this.visitors = new ChatVisitors(http, chatApi);
	}

	List<Reply> ask(UUID workspace, List<Squad.Question> questions, int concurrency, String label) throws Exception {
		return this.visitors.askAll(questions, concurrency, 1, label, (token, question) -> {
			JsonNode message = this.visitors.message(workspace, token, question.text());
			List<Cited> citations = new ArrayList<>();
			for (JsonNode citation : message.path("citations")) {
				if (citation.hasNonNull("chunk_id")) {
					citations.add(new Cited(UUID.fromString(citation.get("chunk_id").asString()),
							citation.path("passage").asString("")));
				}
			}
			return new Reply(question, message.path("gap_detected").asBoolean(true), message.path("confidence").asDouble(0),
					List.copyOf(citations));
		});
	}

}
