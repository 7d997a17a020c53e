package dev.clara.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.clara.testing.LocalKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker with the OpenAI provider, against a local server that speaks OpenAI's embeddings
 * API: it counts calls and inputs, answers the first call with 429, and refuses one text with 400.
 */
class OpenAiEmbeddingWorkerIntegrationTests {

	static final String REFUSED = "This text is refused by the provider";

	static final JsonMapper JSON = JsonMapper.builder().build();

	static WorkerFixture fixture;

	static HttpServer openAi;

	static ConfigurableApplicationContext worker;

	static final List<Integer> inputsPerCall = new CopyOnWriteArrayList<>();

	static final List<Integer> statuses = new CopyOnWriteArrayList<>();

	static final AtomicBoolean throttledOnce = new AtomicBoolean();

	@BeforeAll
	static void start() throws IOException {
		fixture = new WorkerFixture("worker_openai");
		openAi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		openAi.createContext("/v1/embeddings", OpenAiEmbeddingWorkerIntegrationTests::embeddings);
		openAi.start();
		List<String> args = new ArrayList<>(fixture.workerArguments());
		args.addAll(List.of("--server.port=0", "--clara.worker.batch-size=8", "--clara.embedding.provider=openai",
				"--clara.embedding.model=text-embedding-3-small", "--clara.openai.api-key=sk-test-worker",
				"--clara.openai.base-url=http://127.0.0.1:" + openAi.getAddress().getPort() + "/v1"));
		worker = new SpringApplicationBuilder(EmbeddingWorkerApplication.class).run(args.toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		worker.close();
		openAi.stop(0);
		fixture.close();
	}

	@Test
	void batchesAreSentTogetherAThrottledCallIsRetriedAndARefusedTextIsDeadLettered() {
		UUID workspace = fixture.workspace();
		List<String> questions = IntStream.range(0, 40).mapToObj(i -> "OpenAI question " + i + "?").toList();
		// the class's other tests call the server too: this test's calls are those from here on
		int callsBefore = statuses.size();
		// the 40 changes wait on the topic while the worker's listener is paused, so they come in
		// batches (the worker keeps up with pairs written one at a time, one call each)
		List<MessageListenerContainer> running = worker.getBean(KafkaListenerEndpointRegistry.class)
			.getListenerContainers()
			.stream()
			.filter(container -> container.isRunning() && container.getContainerProperties().getTopics() != null
					&& List.of(container.getContainerProperties().getTopics()).contains(fixture.topic))
			.toList();
		assertThat(running).as("the worker's listener of the changes topic").isNotEmpty();
		running.forEach(MessageListenerContainer::pause);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> running.stream().allMatch(MessageListenerContainer::isContainerPaused));

		fixture.createPairs(workspace, questions);
		running.forEach(MessageListenerContainer::resume);
		await().atMost(Duration.ofMinutes(1)).until(() -> fixture.embedded(workspace, "text-embedding-3-small") == 40);
		fixture.createPairs(workspace, List.of(REFUSED));
		var dead = LocalKafka.readAll(fixture.topic + "-dlt", 1, Duration.ofSeconds(60));

		assertThat(statuses).contains(429);
		assertThat(statuses.indexOf(429)).isLessThan(statuses.lastIndexOf(200));
		assertThat(inputsPerCall).anySatisfy(inputs -> assertThat(inputs).isGreaterThan(1));
		assertThat(inputsPerCall).allSatisfy(inputs -> assertThat(inputs).isLessThanOrEqualTo(8));
		assertThat(statuses.subList(callsBefore, statuses.size()).stream().filter(status -> status == 200).count())
			.as("40 texts in fewer than 40 calls").isLessThan(40);
		assertThat(dead).singleElement().satisfies(record -> {
			assertThat(record.value()).contains(REFUSED);
			assertThat(new String(record.headers().lastHeader("kafka_dlt-exception-message").value(),
					StandardCharsets.UTF_8)).contains("refused");
		});
		assertThat(fixture.embedded(workspace, "text-embedding-3-small")).isEqualTo(40);
	}

	@Test
	void theTokensBilledAreRecordedOncePerWorkspaceInABatchMixingWorkspaces() {
		UUID first = fixture.workspace();
		UUID second = fixture.workspace();
		List<UUID> firstPairs = new ArrayList<>();
		List<UUID> secondPairs = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			firstPairs.addAll(fixture.createPairs(first, List.of("First workspace question " + i + "?")));
			secondPairs.addAll(fixture.createPairs(second, List.of("Second workspace question " + i + "?")));
		}
		await().atMost(Duration.ofMinutes(1)).until(() -> fixture.embedded(first, "text-embedding-3-small") == 5
				&& fixture.embedded(second, "text-embedding-3-small") == 5);

		// the relay delivers every change again: the pairs are embedded, so nothing is billed twice
		for (int i = 0; i < 5; i++) {
			fixture.publish(first, created(firstPairs.get(i), "First workspace question " + i + "?"));
			fixture.publish(second, created(secondPairs.get(i), "Second workspace question " + i + "?"));
		}
		// a later change of each workspace, behind the redeliveries on the workspace's partition
		fixture.createPairs(first, List.of("First workspace last question?"));
		fixture.createPairs(second, List.of("Second workspace last question?"));
		await().atMost(Duration.ofMinutes(1)).until(() -> fixture.embedded(first, "text-embedding-3-small") == 6
				&& fixture.embedded(second, "text-embedding-3-small") == 6);

		for (UUID workspace : List.of(first, second)) {
			var usage = fixture.jdbc.sql("""
					SELECT sum(total_tokens) AS tokens, sum(prompt_tokens) AS prompt,
					       bool_and(purpose = 'embedding' AND provider = 'openai' AND model = 'text-embedding-3-small'
					                AND completion_tokens = 0 AND conversation_id IS NULL) AS shape
					FROM api_usage WHERE workspace_id = :ws
					""").param("ws", workspace).query().singleRow();
			assertThat(usage.get("tokens")).as("seven tokens per question, each question billed once")
				.isEqualTo(7L * 6);
			assertThat(usage.get("prompt")).isEqualTo(7L * 6);
			assertThat(usage.get("shape")).isEqualTo(true);
		}
	}

	@Test
	void aBatchMixingWorkspacesCallsTheProviderOncePerWorkspace() {
		UUID first = fixture.workspace();
		UUID second = fixture.workspace();
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			// written without change events: only this test's call embeds them
			ids.add(fixture.jdbc.sql("INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (:ws, :q, 'a') RETURNING id")
				.param("ws", i % 3 == 0 ? second : first)
				.param("q", "Mixed batch question " + i + "?")
				.query(UUID.class)
				.single());
		}
		var batch = worker.getBean(PairEmbeddings.class).stillPending(ids, "text-embedding-3-small");
		int callsBefore = inputsPerCall.size();

		assertThat(worker.getBean(Embedder.class).embed(batch)).isEqualTo(6);

		// the server's one throttled call may fall here: it bills nothing and is retried
		assertThat(IntStream.range(callsBefore, inputsPerCall.size())
			.filter(call -> statuses.get(call) == 200)
			.mapToObj(inputsPerCall::get)
			.toList()).containsExactlyInAnyOrder(4, 2);
		assertThat(fixture.jdbc.sql("SELECT workspace_id, total_tokens FROM api_usage WHERE workspace_id IN (:a, :b)")
			.param("a", first)
			.param("b", second)
			.query((rs, n) -> rs.getObject(1, UUID.class) + "=" + rs.getInt(2))
			.list()).containsExactlyInAnyOrder(first + "=28", second + "=14");
	}

	private static dev.clara.shared.events.QaPairChanged created(UUID pair, String question) {
		return new dev.clara.shared.events.QaPairChanged(pair, dev.clara.shared.events.QaPairChanged.CREATED, question,
				null, true, null, java.time.Instant.now(), 0);
	}

	private static void embeddings(HttpExchange exchange) throws IOException {
		JsonNode request;
		try (InputStream in = exchange.getRequestBody()) {
			request = JSON.readTree(in.readAllBytes());
		}
		List<String> inputs = new ArrayList<>();
		request.get("input").forEach(input -> inputs.add(input.asString()));
		int status;
		String body;
		if (throttledOnce.compareAndSet(false, true)) {
			status = 429;
			exchange.getResponseHeaders().add("Retry-After", "1");
			body = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}";
		}
		else if (inputs.contains(REFUSED)) {
			status = 400;
			body = "{\"error\":{\"message\":\"This input was refused\",\"type\":\"invalid_request_error\"}}";
		}
		else {
			status = 200;
			StringBuilder data = new StringBuilder();
			for (int i = 0; i < inputs.size(); i++) {
				data.append(i == 0 ? "" : ",")
					.append("{\"object\":\"embedding\",\"index\":")
					.append(i)
					.append(",\"embedding\":")
					.append(vector(inputs.get(i)))
					.append("}");
			}
			body = "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"text-embedding-3-small\","
					+ "\"usage\":{\"prompt_tokens\":" + 7 * inputs.size() + ",\"total_tokens\":" + 7 * inputs.size()
					+ "}}";
		}
		inputsPerCall.add(inputs.size());
		statuses.add(status);
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

	/** A deterministic 1536-dimensional vector of the text. */
	private static String vector(String text) {
		java.util.Random random = new java.util.Random(text.hashCode());
		StringBuilder vector = new StringBuilder("[");
		for (int i = 0; i < 1536; i++) {
			vector.append(i == 0 ? "" : ",").append(random.nextFloat() - 0.5f);
		}
		return vector.append("]").toString();
	}

}
