package dev.clara.chat.turn;

import java.util.List;
import java.util.UUID;

import com.pgvector.PGvector;
import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Questions no pair answers are answered from the workspace's documents: extractively the most
 * relevant sentences, or by the LLM from the passages; citations name the document and the
 * passage, and the conversation is linked to the document. A pair that answers still wins, and a
 * question nothing answers is still a gap.
 */
class ChatDocumentsIntegrationTests extends ChatApiIntegrationTest {

	private static final String WARRANTY = "Every Acme kettle comes with a two-year warranty. The warranty covers "
			+ "defects in materials and workmanship. It does not cover damage from dropping the kettle. Keep your "
			+ "receipt as proof of purchase.";

	private static final String REPAIRS = "Repairs are done at our workshop in Leeds. Send the kettle in its "
			+ "original box. A repair usually takes ten working days.";

	@Test
	void aQuestionNoPairAnswersIsAnsweredExtractivelyFromTheBestPassageAndCitesIt() {
		UUID workspace = this.workspaces.create();
		UUID document = document(workspace, "Kettle warranty and repairs");
		UUID warranty = chunk(workspace, document, 0, "Warranty", WARRANTY);
		chunk(workspace, document, 1, "Repairs", REPAIRS);

		String token = ChatApiHttp.token();
		JsonNode message = this.http.chat(workspace, token, "How long is the warranty on the kettle?").json().get("message");

		assertThat(message.get("content").asString()).isEqualTo(
				"Every Acme kettle comes with a two-year warranty. The warranty covers defects in materials and workmanship.");
		assertThat(message.get("gap_detected").asBoolean()).isFalse();
		JsonNode citation = message.get("citations").get(0);
		assertThat(message.get("citations")).hasSize(1);
		assertThat(citation.get("title").asString()).isEqualTo("Kettle warranty and repairs");
		assertThat(citation.get("document_id").asString()).isEqualTo(document.toString());
		assertThat(citation.get("chunk_id").asString()).isEqualTo(warranty.toString());
		assertThat(citation.get("passage").asString()).isEqualTo(message.get("content").asString());
		assertThat(citation.get("snippet").asString()).isEqualTo(message.get("content").asString());
		assertThat(citation.get("qa_id").isNull()).isTrue();

		// the link, and the question is not a gap
		assertThat(this.jdbc.sql("""
				SELECT l.chunk_ids FROM document_conversation_links l JOIN conversations c ON c.id = l.conversation_id
				WHERE l.document_id = :document AND c.session_token = :token
				""").param("document", document).param("token", token).query((row, i) -> List.of((Object[]) row.getArray(1).getArray()))
			.single()).containsExactly(warranty);
		assertThat(this.jdbc.sql("""
				SELECT payload->'payload'->>'gap_detected' FROM outbox_events
				WHERE workspace_id = :ws AND event_type = 'QuestionAsked'
				""").param("ws", workspace).query(String.class).single()).isEqualTo("false");

		// history replays the document citation as it was given
		JsonNode history = this.http.get("/api/chat/messages?workspace_id=" + workspace, token).json();
		JsonNode replayed = history.get("messages").get(1).get("citations").get(0);
		assertThat(replayed.get("document_id").asString()).isEqualTo(document.toString());
	}

	@Test
	void aQuestionNothingAnswersIsStillAGapAndAPairThatAnswersWins() {
		UUID workspace = this.workspaces.create();
		UUID document = document(workspace, "Kettle warranty and repairs");
		chunk(workspace, document, 0, "Warranty", WARRANTY);

		JsonNode unknown = this.http.chat(workspace, ChatApiHttp.token(), "Do you sell train tickets to Paris?").json()
			.get("message");
		assertThat(unknown.get("gap_detected").asBoolean()).isTrue();
		assertThat(unknown.get("citations")).isEmpty();
		assertThat(count("SELECT count(*) FROM document_conversation_links WHERE workspace_id = :ws", workspace)).isZero();

		UUID pair = this.workspaces.pair(workspace, "How long is the kettle warranty?",
				"Two years from the day of delivery.", "Warranty");
		JsonNode answered = this.http.chat(workspace, ChatApiHttp.token(), "How long is the kettle warranty?").json()
			.get("message");
		assertThat(answered.get("content").asString()).isEqualTo("Two years from the day of delivery.");
		assertThat(answered.get("citations").get(0).get("qa_id").asString()).isEqualTo(pair.toString());
		assertThat(answered.get("citations").get(0).has("document_id")).isFalse();
	}

	@Test
	void withAnLlmThePassagesAreItsNumberedEntriesAndItsMarkersCiteTheDocument() {
		UUID workspace = this.workspaces.create();
		addWorkspaceKey(workspace, "sk-test-documents-" + UUID.randomUUID());
		UUID document = document(workspace, "Kettle warranty and repairs");
		UUID warranty = chunk(workspace, document, 0, "Warranty", WARRANTY);
		llm.answer("The kettle has a two-year warranty [1].");

		JsonNode message = this.http.chat(workspace, ChatApiHttp.token(), "How long is the warranty on the kettle?")
			.json().get("message");

		assertThat(message.get("content").asString()).isEqualTo("The kettle has a two-year warranty.");
		assertThat(message.get("citations").get(0).get("chunk_id").asString()).isEqualTo(warranty.toString());
		assertThat(llm.received().get(0).body()).contains("### Documents").contains("From \\\"Kettle warranty and repairs\\\"");
	}

	private UUID document(UUID workspace, String title) {
		return this.jdbc.sql("""
				INSERT INTO documents (workspace_id, title, file_type, status, version, serving_version)
				VALUES (:ws, :title, 'text/plain', 'ready', 1, 1) RETURNING id
				""").param("ws", workspace).param("title", title).query(UUID.class).single();
	}

	/** A chunk embedded as the embedding worker embeds it: its heading, a line break, its text. */
	private UUID chunk(UUID workspace, UUID document, int index, String heading, String content) {
		return this.jdbc.sql("""
				INSERT INTO document_chunks (document_id, workspace_id, document_version, chunk_index, content, metadata,
				                             embedding, embedding_model, embedded_at)
				VALUES (:document, :ws, 1, :index, :content, jsonb_build_object('heading', CAST(:heading AS text)),
				        CAST(:embedding AS extensions.vector), :model, now())
				RETURNING id
				""").param("document", document).param("ws", workspace).param("index", index).param("content", content)
			.param("heading", heading).param("embedding", new PGvector(this.embeddings.embed(heading + "\n" + content)))
			.param("model", this.embeddings.modelId()).query(UUID.class).single();
	}

}
