package dev.clara.evaluation;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.clara.evaluation.ValidationSplit.Question;
import tools.jackson.databind.JsonNode;

/**
 * Asks CLINC150 questions through the public chat API as the widget does and reads back
 * {@code matched_qa_ids}, {@code confidence} and {@code gap_detected}.
 */
final class ChatAsker {

	/** The chat API's reply to one question. */
	record Reply(Question question, List<UUID> matchedQaIds, double confidence, boolean gapDetected) {
	}

	/** Questions one visitor (session token) asks before another takes over. */
	private static final int QUESTIONS_PER_SESSION = 50;

	private final ChatVisitors visitors;

	ChatAsker(HttpClient http, String chatApi) {
		this.visitors = new ChatVisitors(http, chatApi);
	}

	List<Reply> ask(UUID workspace, List<Question> questions, int concurrency, String label) throws Exception {
		return this.visitors.askAll(questions, concurrency, QUESTIONS_PER_SESSION, label, (token, question) -> {
			JsonNode message = this.visitors.message(workspace, token, question.text());
			List<UUID> matched = new ArrayList<>();
			message.path("matched_qa_ids").forEach(id -> matched.add(UUID.fromString(id.asString())));
			return new Reply(question, List.copyOf(matched), message.path("confidence").asDouble(0),
					message.path("gap_detected").asBoolean(true));
		});
	}

}
