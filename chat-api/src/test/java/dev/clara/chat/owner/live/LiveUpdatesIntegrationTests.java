package dev.clara.chat.owner.live;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.owner.live.LiveReplicas.Owner;
import dev.clara.chat.owner.live.LiveStreamClient.Event;
import dev.clara.shared.events.AnswerModelTrained;
import dev.clara.shared.events.DocumentIngested;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.GapDetected;
import dev.clara.shared.events.SpendCapReached;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two chat-api replicas on one database and one set of (private) topics: an owner's stream on
 * one replica hears what the other replica did, through the topics, and nothing of another
 * workspace; streams are bounded, cleaned up when the client leaves, and refused without a token.
 */
class LiveUpdatesIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final EventCodec CODEC = new EventCodec();

	static LiveReplicas replicas;

	static int first;

	static int second;

	@BeforeAll
	static void start() {
		replicas = new LiveReplicas();
		first = LiveReplicas.port(replicas.first);
		second = LiveReplicas.port(replicas.second);
		// each replica reads from the end once it has its partitions: before that, events would pass it by
		await().atMost(WAIT)
			.until(() -> LiveReplicas.reading(replicas.first) && LiveReplicas.reading(replicas.second));
	}

	@AfterAll
	static void stop() {
		if (replicas != null) {
			replicas.close();
		}
	}

	@Test
	void aStreamOnOneReplicaHearsWhatTheOtherDidForItsWorkspaceOnly() throws Exception {
		Owner owner = replicas.owner();
		Owner other = replicas.owner();
		try (LiveStreamClient mine = LiveStreamClient.open(first, owner.token());
				LiveStreamClient theirs = LiveStreamClient.open(first, other.token())) {
			assertThat(mine.status()).isEqualTo(200);
			assertThat(mine.header("Content-Type")).startsWith("text/event-stream");
			await().atMost(WAIT).until(() -> !mine.events().isEmpty() && !theirs.events().isEmpty());
			Event hello = mine.events().get(0);
			assertThat(hello.name()).isEqualTo("hello");
			assertThat(hello.retry()).isEqualTo("3000");
			assertThat(hello.json().get("workspace_id").asString()).isEqualTo(owner.workspaceId().toString());

			// a visitor asks on the other replica; the owner's knowledge base is empty, so it is a gap
			ChatApiHttp visitor = new ChatApiHttp(second);
			assertThat(visitor.chat(owner.workspaceId(), ChatApiHttp.token(), "Do you ship to Antarctica?").status())
				.isEqualTo(200);
			// the owner imports a CSV on the other replica: the import runs there
			assertThat(upload(second, owner.token(), "/api/owner/qa-pairs/imports", "faq.csv", "text/csv",
					"question,answer\nWhat is Clara?,A helper.\nIs it free?,Yes.\n"))
				.isEqualTo(202);
			await().atMost(WAIT)
				.until(() -> replicas.jdbc.sql("SELECT status FROM qa_import_jobs WHERE workspace_id = :ws")
					.param("ws", owner.workspaceId())
					.query(String.class)
					.optional()
					.filter("completed"::equals)
					.isPresent());
			replicas.relay(owner.workspaceId());
			// and the gap detector opens the gap (its event, as the relay publishes it)
			UUID gap = UUID.randomUUID();
			replicas.publish(replicas.topics.get(GapDetected.TYPE), owner.workspaceId().toString(),
					CODEC.toJson(EventCodec.envelope(owner.workspaceId(), Instant.now(),
							new GapDetected(gap, gap, "Do you ship to Antarctica?", 1, null, 0.2, UUID.randomUUID(),
									"open", null, false, Instant.now()))),
					UUID.randomUUID().toString(), GapDetected.TYPE, "1");

			await().atMost(WAIT).until(() -> !mine.named("question").isEmpty() && !mine.named("gap").isEmpty()
					&& mine.named("import").stream().anyMatch(event -> event.data().contains("\"completed\"")));
			JsonNode question = mine.named("question").get(0).json();
			assertThat(question.get("workspace_id").asString()).isEqualTo(owner.workspaceId().toString());
			assertThat(question.get("gap_detected").asBoolean()).isTrue();
			assertThat(question.has("conversation_id")).isTrue();
			// no visitor text travels to the dashboard: it refetches through the owner API
			assertThat(mine.named("question").get(0).data()).doesNotContain("Antarctica");
			JsonNode opened = mine.named("gap").get(0).json();
			assertThat(opened.get("gap_id").asString()).isEqualTo(gap.toString());
			assertThat(opened.get("status").asString()).isEqualTo("open");
			assertThat(opened.get("ask_count").asInt()).isEqualTo(1);
			assertThat(opened.get("resolved_automatically").asBoolean()).isFalse();
			List<JsonNode> imports = mine.named("import").stream().map(Event::json).toList();
			assertThat(imports).extracting(event -> event.get("status").asString())
				.containsSubsequence("queued", "running", "completed");
			assertThat(imports.get(0).get("total_rows").isNull()).isTrue();
			JsonNode done = imports.get(imports.size() - 1);
			assertThat(done.get("processed_rows").asInt()).isEqualTo(2);
			assertThat(done.get("total_rows").asInt()).isEqualTo(2);
			for (Event event : mine.events()) {
				assertThat(event.data()).doesNotContain("\n");
				assertThat(event.json().get("workspace_id").asString()).isEqualTo(owner.workspaceId().toString());
			}

			// the other owner's stream heard nothing of it: the first thing after its hello is its own event
			replicas.publish(replicas.topics.get(SpendCapReached.TYPE), other.workspaceId().toString(),
					CODEC.toJson(EventCodec.envelope(other.workspaceId(), Instant.now(),
							new SpendCapReached("2026-01", 300, 405, Instant.now()))),
					UUID.randomUUID().toString(), SpendCapReached.TYPE, "1");
			await().atMost(WAIT).until(() -> theirs.events().size() >= 2);
			assertThat(theirs.events()).extracting(Event::name).containsExactly("hello", "spend-cap");
			JsonNode cap = theirs.events().get(1).json();
			assertThat(cap.get("workspace_id").asString()).isEqualTo(other.workspaceId().toString());
			assertThat(cap.get("month").asString()).isEqualTo("2026-01");
			assertThat(cap.get("budget").asLong()).isEqualTo(300);
			assertThat(cap.get("tokens").asLong()).isEqualTo(405);
			assertThat(mine.named("spend-cap")).isEmpty();
		}
	}

	@Test
	void aDocumentUploadedOnOneReplicaIsPendingThenReadyOnTheOtherReplicasStream() throws Exception {
		Owner owner = replicas.owner();
		Owner other = replicas.owner();
		try (LiveStreamClient mine = LiveStreamClient.open(first, owner.token());
				LiveStreamClient theirs = LiveStreamClient.open(first, other.token())) {
			await().atMost(WAIT).until(() -> !mine.events().isEmpty() && !theirs.events().isEmpty());
			assertThat(upload(second, owner.token(), "/api/owner/documents", "returns.md", "text/markdown",
					"# Returns\n\nYou may return anything within 30 days.\n"))
				.isEqualTo(202);
			UUID document = replicas.jdbc.sql("SELECT id FROM documents WHERE workspace_id = :ws")
				.param("ws", owner.workspaceId())
				.query(UUID.class)
				.single();
			// the DocumentChanged of the upload, as the relay publishes it
			assertThat(replicas.relay(owner.workspaceId())).isEqualTo(1);
			await().atMost(WAIT).until(() -> !mine.named("document").isEmpty());
			JsonNode pending = mine.named("document").get(0).json();
			assertThat(pending.get("document_id").asString()).isEqualTo(document.toString());
			assertThat(pending.get("change").asString()).isEqualTo("uploaded");
			assertThat(pending.get("status").asString()).isEqualTo("pending");
			assertThat(pending.get("version").asInt()).isEqualTo(1);

			// the embedding worker's outcome, as the relay publishes it
			replicas.publish(replicas.topics.get(DocumentIngested.TYPE), owner.workspaceId().toString(),
					CODEC.toJson(EventCodec.envelope(owner.workspaceId(), Instant.now(), new DocumentIngested(document, 1,
							DocumentIngested.READY, 3, "bge-small-en-v1.5-q", null, Instant.now()))),
					UUID.randomUUID().toString(), DocumentIngested.TYPE, "1");
			await().atMost(WAIT).until(() -> mine.named("document").size() >= 2);
			JsonNode ready = mine.named("document").get(1).json();
			assertThat(ready.get("document_id").asString()).isEqualTo(document.toString());
			assertThat(ready.get("change").asString()).isEqualTo("ingested");
			assertThat(ready.get("status").asString()).isEqualTo("ready");
			assertThat(ready.get("chunk_count").asInt()).isEqualTo(3);
			assertThat(ready.get("failure_reason").isNull()).isTrue();
			// no document text travels on the stream
			assertThat(mine.named("document")).allSatisfy(event -> assertThat(event.data()).doesNotContain("30 days"));

			// the other workspace heard nothing of it: after its hello, its own event comes first
			answerModelTrained(other, 3);
			await().atMost(WAIT).until(() -> theirs.events().size() >= 2);
			assertThat(theirs.events()).extracting(Event::name).containsExactly("hello", "answer-model");
		}
	}

	@Test
	void aClosedStreamIsForgottenAndAReconnectHearsEventsAgain() throws Exception {
		Owner owner = replicas.owner();
		LiveStreams streams = LiveReplicas.streams(replicas.first);
		LiveStreamClient before = LiveStreamClient.open(first, owner.token());
		await().atMost(WAIT).until(() -> !before.events().isEmpty());
		assertThat(streams.openStreams(owner.workspaceId())).isEqualTo(1);
		// heartbeats keep it open, as comment lines
		await().atMost(WAIT).until(() -> !before.comments().isEmpty());
		answerModelTrained(owner, 1);
		await().atMost(WAIT).until(() -> !before.named("answer-model").isEmpty());
		before.close();
		// the next heartbeat finds the connection closed
		await().atMost(WAIT).until(() -> streams.openStreams(owner.workspaceId()) == 0);

		try (LiveStreamClient after = LiveStreamClient.open(first, owner.token())) {
			await().atMost(WAIT).until(() -> !after.events().isEmpty());
			answerModelTrained(owner, 2);
			await().atMost(WAIT).until(() -> !after.named("answer-model").isEmpty());
			assertThat(after.named("answer-model").get(0).json().get("version").asInt()).isEqualTo(2);
			assertThat(before.named("answer-model")).hasSize(1);
		}
	}

	@Test
	void aStreamIsRefusedWithoutATokenAndBeyondTheLimits() throws Exception {
		LiveStreams streams = LiveReplicas.streams(replicas.first);
		int open = streams.openStreams();
		try (LiveStreamClient anonymous = LiveStreamClient.open(first, null)) {
			assertThat(anonymous.status()).isEqualTo(401);
			assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");
		}
		try (LiveStreamClient forged = LiveStreamClient.open(first, "not-a-token")) {
			assertThat(forged.status()).isEqualTo(401);
		}
		assertThat(streams.openStreams()).isEqualTo(open);

		Owner owner = replicas.owner();
		List<LiveStreamClient> tabs = new ArrayList<>();
		try {
			for (int i = 0; i < LiveReplicas.STREAMS_PER_WORKSPACE; i++) {
				tabs.add(LiveStreamClient.open(first, owner.token()));
				assertThat(tabs.get(i).status()).isEqualTo(200);
			}
			try (LiveStreamClient tooMany = LiveStreamClient.open(first, owner.token())) {
				assertThat(tooMany.status()).isEqualTo(429);
				assertThat(tooMany.header("Content-Type")).startsWith("application/problem+json");
				assertThat(tooMany.header("Retry-After")).isNotBlank();
				assertThat(tooMany.problem().get("detail").asString()).contains("live update streams");
			}
			// the limit is per replica: the other one still takes a stream of this workspace
			try (LiveStreamClient elsewhere = LiveStreamClient.open(second, owner.token())) {
				assertThat(elsewhere.status()).isEqualTo(200);
			}
			tabs.remove(0).close();
			await().atMost(WAIT).until(() -> streams.openStreams(owner.workspaceId()) < LiveReplicas.STREAMS_PER_WORKSPACE);
			tabs.add(LiveStreamClient.open(first, owner.token()));
			assertThat(tabs.get(tabs.size() - 1).status()).isEqualTo(200);
		}
		finally {
			for (LiveStreamClient tab : tabs) {
				tab.close();
			}
		}
	}

	@Test
	void aPoisonRecordIsSkippedAndTheStreamGoesOn() throws Exception {
		Owner owner = replicas.owner();
		String gaps = replicas.topics.get(GapDetected.TYPE);
		String key = owner.workspaceId().toString();
		try (LiveStreamClient stream = LiveStreamClient.open(first, owner.token())) {
			await().atMost(WAIT).until(() -> !stream.events().isEmpty());
			replicas.publish(gaps, key, "not json at all", UUID.randomUUID().toString(), GapDetected.TYPE, "1");
			replicas.publish(gaps, key, "{\"event_type\":\"GapDetected\",\"event_version\":9}", null, null, null);
			replicas.publish(gaps, key, null, UUID.randomUUID().toString(), GapDetected.TYPE, "1");
			// a type the dashboard does not show is not poison, just not shown
			replicas.publish(gaps, key, "{}", UUID.randomUUID().toString(), "SomethingNew", "1");
			answerModelTrained(owner, 7);
			await().atMost(WAIT).until(() -> !stream.named("answer-model").isEmpty());
			assertThat(stream.events()).extracting(Event::name).containsExactly("hello", "answer-model");
		}
	}

	private static void answerModelTrained(Owner owner, int version) {
		String json = CODEC.toJson(EventCodec.envelope(owner.workspaceId(), Instant.now(),
				new AnswerModelTrained(version, "bge-small-en-v1.5-q", 4, 2, 0, 10, 12, Instant.now())));
		replicas.publish(replicas.topics.get(AnswerModelTrained.TYPE), owner.workspaceId().toString(), json,
				UUID.randomUUID().toString(), AnswerModelTrained.TYPE, "1");
	}

	private static int upload(int port, String token, String path, String fileName, String type, String content)
			throws Exception {
		String boundary = "----live-" + UUID.randomUUID();
		String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
				+ "\"\r\nContent-Type: " + type + "\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n";
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
	}

}
