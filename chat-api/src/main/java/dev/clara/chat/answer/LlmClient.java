package dev.clara.chat.answer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.clara.chat.config.ChatProperties;

import org.springframework.stereotype.Component;

/**
 * Chat completions through openai-java, for OpenAI and for any OpenAI-compatible endpoint
 * (Anthropic's included). One client per base URL and key, reused across turns: building one
 * per request would open a connection pool each time.
 */
@Component
public class LlmClient {

	private static final int MAX_CACHED_CLIENTS = 256;

	private final Map<String, OpenAIClient> clients = new ConcurrentHashMap<>();

	private final Duration timeout;

	private final int maxTokens;

	LlmClient(ChatProperties properties) {
		this.timeout = properties.completionTimeout();
		this.maxTokens = properties.completionMaxTokens();
	}

	/** A prior message of the conversation; {@code role} is {@code user} or {@code assistant}. */
	public record Turn(String role, String content) {
	}

	/** Throws {@link com.openai.errors.OpenAIException} (or a runtime exception) when the provider fails. */
	public Completion complete(LlmCredentials credentials, String systemPrompt, List<Turn> history, String question) {
		return complete(credentials, systemPrompt, history, question, this.maxTokens);
	}

	/** As {@link #complete}, for work that writes more than a chat answer (e.g. several Q&A pairs at once). */
	public Completion complete(LlmCredentials credentials, String systemPrompt, List<Turn> history, String question,
			int maxTokens) {
		long started = System.nanoTime();
		ChatCompletion completion = client(credentials).chat()
			.completions()
			.create(params(credentials, systemPrompt, history, question).maxCompletionTokens(maxTokens).build());
		long latencyMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
		String text = completion.choices()
			.stream()
			.findFirst()
			.flatMap(choice -> choice.message().content())
			.filter(content -> !content.isBlank())
			.orElseThrow(() -> new IllegalStateException("the provider returned no answer text"));
		long prompt = completion.usage().map(usage -> usage.promptTokens()).orElse(0L);
		long written = completion.usage().map(usage -> usage.completionTokens()).orElse(0L);
		return new Completion(text.strip(), credentials.provider(), credentials.model(), prompt, written, latencyMs);
	}

	/**
	 * The same completion, streamed: {@code onDelta} gets each piece of text as the provider writes
	 * it, on the calling thread. The stream is read to its end even when {@code onDelta} has nobody
	 * to tell any more, so the returned completion is always whole. Throws like {@link #complete}
	 * when the provider fails, also after some deltas.
	 */
	public Completion stream(LlmCredentials credentials, String systemPrompt, List<Turn> history, String question,
			Consumer<String> onDelta) {
		ChatCompletionCreateParams params = params(credentials, systemPrompt, history, question)
			// the usage arrives in a last chunk without choices only when asked for
			.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
			.build();
		long started = System.nanoTime();
		StringBuilder text = new StringBuilder();
		CompletionUsage[] usage = new CompletionUsage[1];
		boolean[] finished = new boolean[1];
		try (StreamResponse<ChatCompletionChunk> chunks = client(credentials).chat()
			.completions()
			.createStreaming(params)) {
			chunks.stream().forEach(chunk -> {
				chunk.usage().ifPresent(used -> usage[0] = used);
				chunk.choices().forEach(choice -> finished[0] |= choice.finishReason().isPresent());
				chunk.choices().stream().findFirst().flatMap(choice -> choice.delta().content()).ifPresent(delta -> {
					if (!delta.isEmpty()) {
						text.append(delta);
						onDelta.accept(delta);
					}
				});
			});
		}
		long latencyMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
		if (!finished[0]) {
			// a stream cut short (a dropped connection ends it as quietly as [DONE]) is half an answer
			throw new IllegalStateException("the provider's stream ended before the answer did");
		}
		if (text.toString().isBlank()) {
			throw new IllegalStateException("the provider returned no answer text");
		}
		long prompt = usage[0] == null ? 0L : usage[0].promptTokens();
		long written = usage[0] == null ? 0L : usage[0].completionTokens();
		return new Completion(text.toString().strip(), credentials.provider(), credentials.model(), prompt, written,
				latencyMs);
	}

	private ChatCompletionCreateParams.Builder params(LlmCredentials credentials, String systemPrompt,
			List<Turn> history, String question) {
		ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
			.model(credentials.model())
			.maxCompletionTokens(this.maxTokens)
			.addSystemMessage(systemPrompt);
		for (Turn turn : history) {
			if ("assistant".equals(turn.role())) {
				params.addAssistantMessage(turn.content());
			}
			else {
				params.addUserMessage(turn.content());
			}
		}
		return params.addUserMessage(question);
	}

	private OpenAIClient client(LlmCredentials credentials) {
		String cacheKey = credentials.baseUrl() + "|" + sha256(credentials.apiKey());
		if (this.clients.size() >= MAX_CACHED_CLIENTS && !this.clients.containsKey(cacheKey)) {
			this.clients.clear();
		}
		return this.clients.computeIfAbsent(cacheKey,
				key -> OpenAIOkHttpClient.builder()
					.apiKey(credentials.apiKey())
					.baseUrl(credentials.baseUrl())
					.timeout(this.timeout)
					// the turn falls back to an extractive answer instead of retrying
					.maxRetries(0)
					.build());
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
