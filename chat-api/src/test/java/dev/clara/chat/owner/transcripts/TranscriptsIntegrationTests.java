package dev.clara.chat.owner.transcripts;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.owner.OwnerIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Support transcripts against the running chat-api, the test database and the in-process
 * embedding model (real similarities): questions an existing pair already answers are reported
 * as covered, the others suggested; accepting makes a pair, rejecting does not; nothing else
 * enters the knowledge base.
 */
class TranscriptsIntegrationTests extends OwnerIntegrationTest {

	/** Phrased like the pairs of {@code saasKnowledgeBase} (pricing, refund, Slack, encryption, password). */
	static final List<String[]> COVERED = List.of(
			new String[] { "How much does the Pro plan cost per month?", "It is $49 a month." },
			new String[] { "Can I get a refund on my payment?", "Yes, within 30 days." },
			new String[] { "Do you have an integration with Slack?", "Yes, it posts to a channel." },
			new String[] { "Is my data encrypted at rest?", "Yes, with AES-256." },
			new String[] { "How can I reset my password?", "Use 'Forgot password' on the sign-in page." });

	/** Topics the knowledge base does not have. */
	static final List<String[]> NEW = List.of(
			new String[] { "Do you ship physical products to Canada?", "We only sell software, so nothing ships." },
			new String[] { "Is there an Android app?", "Yes, on Google Play." },
			new String[] { "Can I export my conversations to a spreadsheet?", "Yes, as CSV from the dashboard." },
			new String[] { "Which languages can the chatbot speak?", "English, French, German and Spanish." },
			new String[] { "How do I add a team member to my account?", "Invite them under Settings, Team." },
			new String[] { "Can I change the colour of the chat widget?", "Yes, under Appearance." },
			new String[] { "Where are your servers located?", "In Frankfurt and Dublin." },
			new String[] { "Do you have a public REST API?", "Yes, documented at /docs/api." },
			new String[] { "How do I delete my account for good?", "Write to us and we delete it within a week." },
			new String[] { "Can I embed the widget on a WordPress site?", "Yes, with our WordPress plugin." },
			new String[] { "What uptime do you guarantee?", "99.9% on every plan." },
			new String[] { "Can I call your support team by phone?", "Phone support is for Enterprise customers." },
			new String[] { "Can I book a live product demo?", "Yes, pick a slot on our website." },
			new String[] { "Does the widget work in mobile browsers?", "Yes, on iOS and Android browsers." },
			new String[] { "Is there a dark mode for the dashboard?", "Yes, it follows your system setting." });

	@Test
	void twentyExchangesFiveCoveredGiveFifteenSuggestionsAndFiveAlreadyCovered() {
		Owner owner = owner();
		List<UUID> kb = this.workspaces.saasKnowledgeBase(owner.workspaceId());
		List<String[]> exchanges = new ArrayList<>(NEW);
		for (int i = 0; i < COVERED.size(); i++) {
			exchanges.add(3 * i + 1, COVERED.get(i));
		}

		Reply reply = uploadTranscript(owner, "Support chats, March", transcript(exchanges));

		assertThat(reply.status()).as(reply.body()).isEqualTo(201);
		JsonNode transcript = reply.json().get("transcript");
		assertThat(transcript.get("title").asString()).isEqualTo("Support chats, March");
		assertThat(transcript.get("format").asString()).isEqualTo("text");
		assertThat(transcript.get("extracted_by").asString()).isEqualTo("extractive");
		assertThat(transcript.get("exchange_count").asInt()).isEqualTo(20);
		assertThat(transcript.get("suggested_count").asInt()).isEqualTo(15);
		assertThat(transcript.get("covered_count").asInt()).isEqualTo(5);
		assertThat(transcript.get("merged_count").asInt()).isZero();
		JsonNode suggestions = reply.json().get("suggestions");
		assertThat(suggestions).hasSize(20);
		List<String> covered = new ArrayList<>();
		for (JsonNode suggestion : suggestions) {
			if (suggestion.get("status").asString().equals("covered")) {
				covered.add(suggestion.get("question").asString() + " -> "
						+ suggestion.get("covered_by").get("question").asString());
				assertThat(kb).contains(UUID.fromString(suggestion.get("covered_by").get("qa_pair_id").asString()));
			}
		}
		assertThat(covered).containsExactlyInAnyOrder(
				"How much does the Pro plan cost per month? -> How much does the Pro plan cost?",
				"Can I get a refund on my payment? -> Can I get a refund?",
				"Do you have an integration with Slack? -> Do you integrate with Slack?",
				"Is my data encrypted at rest? -> Is my data encrypted?",
				"How can I reset my password? -> How do I reset my password?");
		// nothing entered the knowledge base
		assertThat(count("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws", owner.workspaceId())).isEqualTo(6);

		Reply listed = get(owner.token(), "/api/owner/transcript-suggestions");
		assertThat(listed.json().get("total").asLong()).isEqualTo(15);
		assertThat(get(owner.token(), "/api/owner/transcript-suggestions?status=covered").json().get("total").asLong())
			.isEqualTo(5);
		assertThat(get(owner.token(), "/api/owner/transcripts").json().get("items").get(0).get("id").asString())
			.isEqualTo(transcript.get("id").asString());
	}

	@Test
	void acceptingMakesAnActivePairFromTheTranscriptAndOnlyOnce() {
		Owner owner = owner();
		Reply uploaded = uploadTranscript(owner, "Calls", transcript(NEW.subList(0, 2)));
		JsonNode first = uploaded.json().get("suggestions").get(0);
		String id = first.get("id").asString();

		Reply accepted = post(owner.token(), "/api/owner/transcript-suggestions/" + id + "/accept", null);

		assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
		assertThat(accepted.json().get("status").asString()).isEqualTo("accepted");
		UUID pair = UUID.fromString(accepted.json().get("accepted_qa_id").asString());
		Map<String, Object> row = this.jdbc.sql("""
				SELECT question, answer, source, is_active, metadata->>'transcript_id' AS transcript,
				       metadata->>'transcript_title' AS title, metadata->>'edited' AS edited
				FROM qa_pairs WHERE id = :id AND workspace_id = :ws""")
			.param("id", pair)
			.param("ws", owner.workspaceId())
			.query()
			.singleRow();
		assertThat(row).containsEntry("question", NEW.get(0)[0])
			.containsEntry("answer", NEW.get(0)[1])
			.containsEntry("source", "transcript_extraction")
			.containsEntry("is_active", true)
			.containsEntry("transcript", uploaded.json().get("transcript").get("id").asString())
			.containsEntry("title", "Calls")
			.containsEntry("edited", "false");
		assertThat(get(owner.token(), "/api/owner/qa-pairs/" + pair).json().get("source").asString())
			.isEqualTo("transcript_extraction");

		assertThat(post(owner.token(), "/api/owner/transcript-suggestions/" + id + "/accept", null).status())
			.isEqualTo(409);
		assertThat(post(owner.token(), "/api/owner/transcript-suggestions/" + id + "/reject", null).status())
			.isEqualTo(409);
		assertThat(count("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws", owner.workspaceId())).isEqualTo(1);
	}

	@Test
	void theOwnerMayEditOnAcceptAndRejectWithoutAPair() {
		Owner owner = owner();
		JsonNode suggestions = uploadTranscript(owner, "Chat", transcript(NEW.subList(2, 4))).json().get("suggestions");

		Reply edited = post(owner.token(),
				"/api/owner/transcript-suggestions/" + suggestions.get(0).get("id").asString() + "/accept",
				json("question", "Can I export conversations?", "answer", "Yes: Conversations, Export, CSV.",
						"category", "data"));
		Reply rejected = post(owner.token(),
				"/api/owner/transcript-suggestions/" + suggestions.get(1).get("id").asString() + "/reject", null);
		Reply invalid = post(owner.token(),
				"/api/owner/transcript-suggestions/" + suggestions.get(1).get("id").asString() + "/accept",
				json("question", ""));

		assertThat(edited.status()).as(edited.body()).isEqualTo(201);
		Map<String, Object> row = this.jdbc.sql("SELECT question, answer, category, metadata->>'edited' AS edited FROM qa_pairs WHERE id = :id")
			.param("id", UUID.fromString(edited.json().get("accepted_qa_id").asString()))
			.query()
			.singleRow();
		assertThat(row).containsEntry("question", "Can I export conversations?")
			.containsEntry("answer", "Yes: Conversations, Export, CSV.")
			.containsEntry("category", "data")
			.containsEntry("edited", "true");
		assertThat(rejected.status()).isEqualTo(200);
		assertThat(rejected.json().get("status").asString()).isEqualTo("rejected");
		assertThat(rejected.json().get("accepted_qa_id").isNull()).isTrue();
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(count("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws", owner.workspaceId())).isEqualTo(1);
		assertThat(get(owner.token(), "/api/owner/transcript-suggestions?status=all").json().get("total").asLong())
			.isEqualTo(2);
	}

	@Test
	void theSameQuestionInTwoTranscriptsIsOneSuggestionWithTwoSources() {
		Owner owner = owner();
		uploadTranscript(owner, "Monday", transcript(NEW.subList(0, 3)));

		Reply second = uploadTranscript(owner, "Tuesday",
				transcript(List.of(NEW.get(1), new String[] { "Do you have a public status page?", "Yes, status.example.test." })));

		assertThat(second.status()).isEqualTo(201);
		assertThat(second.json().get("transcript").get("merged_count").asInt()).isEqualTo(1);
		assertThat(second.json().get("transcript").get("suggested_count").asInt()).isEqualTo(1);
		JsonNode merged = second.json().get("suggestions").get(0);
		assertThat(merged.get("question").asString()).isEqualTo(NEW.get(1)[0]);
		assertThat(merged.get("sources").asInt()).isEqualTo(2);
		assertThat(merged.get("transcript_title").asString()).isEqualTo("Monday");
		assertThat(get(owner.token(), "/api/owner/transcript-suggestions").json().get("total").asLong()).isEqualTo(4);
	}

	@Test
	void badTranscriptsAreProblemsAndStoreNothing() {
		Owner owner = owner();

		Reply noLabels = uploadTranscript(owner, null, "We talked about refunds and shipping.");
		Reply unknownJson = uploadTranscript(owner, null, "{\"tickets\": [{\"subject\": \"Refund\"}]}");
		Reply noExchange = uploadTranscript(owner, null, "Agent: Hello, how can I help?\nCustomer: Thanks, bye");
		Reply notUtf8 = upload(owner.token(), "/api/owner/transcripts", "chat.txt", "text/plain",
				new byte[] { 'A', 'g', 'e', 'n', 't', ':', ' ', (byte) 0xC3, (byte) 0x28 });
		Reply tooLarge = upload(owner.token(), "/api/owner/transcripts", "big.txt", "text/plain",
				("Customer: Why?\nAgent: " + "x".repeat(1024 * 1024)).getBytes(StandardCharsets.UTF_8));
		Reply noFile = post(owner.token(), "/api/owner/transcripts", json("file", "Customer: hi"));
		Reply badTitle = uploadTranscript(owner, " ", transcript(NEW.subList(0, 1)));

		assertThat(noLabels.status()).isEqualTo(400);
		assertThat(noLabels.json().get("field_errors").get("file").asString()).contains("speaker labels");
		assertThat(unknownJson.status()).isEqualTo(400);
		assertThat(unknownJson.json().get("field_errors").get("file").asString()).contains("unknown shape");
		assertThat(noExchange.status()).isEqualTo(400);
		assertThat(notUtf8.status()).isEqualTo(400);
		assertThat(tooLarge.status()).isEqualTo(413);
		assertThat(tooLarge.header("Content-Type")).startsWith("application/problem+json");
		assertThat(noFile.status()).isEqualTo(415);
		assertThat(badTitle.status()).isEqualTo(400);
		assertThat(count("SELECT count(*) FROM transcripts WHERE workspace_id = :ws", owner.workspaceId())).isZero();
	}

	@Test
	void anotherOwnersSuggestionsAreNotThere() {
		Owner owner = owner();
		Owner other = owner();
		String id = uploadTranscript(owner, "Mine", transcript(NEW.subList(0, 1))).json().get("suggestions").get(0)
			.get("id").asString();

		assertThat(post(other.token(), "/api/owner/transcript-suggestions/" + id + "/accept", null).status())
			.isEqualTo(404);
		assertThat(post(other.token(), "/api/owner/transcript-suggestions/" + id + "/reject", null).status())
			.isEqualTo(404);
		assertThat(get(other.token(), "/api/owner/transcript-suggestions?status=all").json().get("total").asLong())
			.isZero();
		assertThat(get(other.token(), "/api/owner/transcripts").json().get("total").asLong()).isZero();
		assertThat(post(owner.token(), "/api/owner/transcript-suggestions/" + UUID.randomUUID() + "/accept", null)
			.status()).isEqualTo(404);
	}

	static String transcript(List<String[]> exchanges) {
		StringBuilder text = new StringBuilder("Agent: Hi, this is Sam from support. How can I help?\n");
		for (String[] exchange : exchanges) {
			text.append("Customer: ").append(exchange[0]).append('\n').append("Agent: ").append(exchange[1]).append('\n');
			text.append("Customer: Thanks!\nAgent: You're welcome.\n");
		}
		return text.toString();
	}

	/** A multipart upload of {@code text} as the file, with a title field unless it is null. */
	Reply uploadTranscript(Owner owner, String title, String text) {
		String boundary = "----clara-test-" + UUID.randomUUID();
		StringBuilder body = new StringBuilder();
		if (title != null) {
			body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n")
				.append(title).append("\r\n");
		}
		body.append("--").append(boundary)
			.append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"chat.txt\"\r\nContent-Type: text/plain\r\n\r\n")
			.append(text).append("\r\n--").append(boundary).append("--\r\n");
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.http.baseUrl() + "/api/owner/transcripts"))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.header("Authorization", "Bearer " + owner.token())
			.POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
			.build();
		return this.http.send(request);
	}

}
