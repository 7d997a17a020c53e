package dev.clara.chat.turn;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import dev.clara.chat.answer.Answer;
import dev.clara.chat.answer.AnswerComposer;
import dev.clara.chat.answer.EscalationDetector;
import dev.clara.chat.answer.LlmCredentials;
import dev.clara.chat.answer.SuggestionChips;
import dev.clara.chat.answering.AnswerChooser;
import dev.clara.chat.config.ChatProperties;
import dev.clara.chat.keys.LlmKeyResolver;
import dev.clara.chat.search.KnowledgeSearch;
import dev.clara.chat.search.Match;
import dev.clara.chat.search.QuestionEmbeddings;
import dev.clara.chat.turn.ConversationStore.StoredMessage;
import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.workspace.WorkspaceRepository;
import dev.clara.chat.workspace.WorkspaceSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * One visitor message, start to finish: embed, search, choose the answer (answer model and search,
 * one calibrated decision), answer, record, publish through the outbox.
 * No database transaction is open while a provider works; the turn is written at the end, at once.
 */
@Service
public class ChatTurnService {

	private final WorkspaceRepository workspaces;

	private final ConversationStore conversations;

	private final TurnRecorder recorder;

	private final KnowledgeSearch search;

	private final QuestionEmbeddings embeddings;

	private final AnswerChooser chooser;

	private final AnswerComposer composer;

	private final LlmKeyResolver keys;

	private final EscalationDetector escalation = new EscalationDetector();

	private final ChatProperties properties;

	private final JsonMapper json;

	private final MeterRegistry meters;

	/** Turns being answered right now, so a retry storm of one message costs one provider call. */
	private final ConcurrentHashMap<String, InFlight> inFlight = new ConcurrentHashMap<>();

	private record InFlight(String content, CompletableFuture<ChatReply> reply) {
	}

	ChatTurnService(WorkspaceRepository workspaces, ConversationStore conversations, TurnRecorder recorder,
			KnowledgeSearch search, QuestionEmbeddings embeddings, AnswerChooser chooser, AnswerComposer composer,
			LlmKeyResolver keys, ChatProperties properties, JsonMapper json, MeterRegistry meters) {
		this.workspaces = workspaces;
		this.conversations = conversations;
		this.recorder = recorder;
		this.search = search;
		this.embeddings = embeddings;
		this.chooser = chooser;
		this.composer = composer;
		this.keys = keys;
		this.properties = properties;
		this.json = json;
		this.meters = meters;
	}

	public WorkspaceSettings settingsOf(UUID workspaceId) {
		return this.workspaces.find(workspaceId, this.embeddings.deploymentModel(), this.embeddings::canEmbedWith)
			.orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "Unknown workspace",
					"No workspace has the id " + workspaceId));
	}

	public ChatReply answer(ChatRequest request, WorkspaceSettings settings) {
		Optional<StoredMessage> stored = this.conversations.findMessage(request.workspaceId(), request.sessionToken(),
				request.messageId());
		if (stored.isPresent()) {
			return replayStored(request, stored.get());
		}
		String key = request.workspaceId() + "|" + request.sessionToken() + "|" + request.messageId();
		InFlight mine = new InFlight(request.content(), new CompletableFuture<>());
		InFlight leader = this.inFlight.putIfAbsent(key, mine);
		if (leader != null) {
			if (!leader.content().equals(request.content())) {
				throw conflictingRetry(request.messageId());
			}
			return await(leader.reply());
		}
		try {
			// the previous leader commits before it steps down: look again before paying a provider
			Optional<StoredMessage> storedMeanwhile = this.conversations.findMessage(request.workspaceId(),
					request.sessionToken(), request.messageId());
			ChatReply reply = storedMeanwhile.isPresent() ? replayStored(request, storedMeanwhile.get())
					: answerOnce(request, settings);
			mine.reply().complete(reply);
			return reply;
		}
		catch (RuntimeException ex) {
			mine.reply().completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.inFlight.remove(key, mine);
		}
	}

	public List<ChatMessage> messages(UUID workspaceId, String token) {
		return this.conversations.messages(workspaceId, token, 500).stream().map(StoredMessage::message).toList();
	}

	private ChatReply answerOnce(ChatRequest request, WorkspaceSettings settings) {
		String model = settings.searchModel();
		float[] vector = timed("embed", () -> this.embeddings.embed(model, request.content()));
		List<Match> found = timed("search", () -> this.search.search(request.workspaceId(), model, request.content(),
				vector, settings.searchFloor(), this.properties.searchCount()));
		AnswerChooser.Choice choice = timed("choose", () -> this.chooser.choose(settings, vector, found));
		List<Match> matches = choice.matches();
		double confidence = choice.decision().confidence();
		boolean confident = !choice.gap();
		boolean escalationRequested = this.escalation.asksForEscalation(request.content());

		Optional<LlmCredentials> credentials = this.keys.resolve(request.workspaceId());
		List<dev.clara.chat.answer.LlmClient.Turn> history = credentials.isPresent()
				? this.conversations.history(request.workspaceId(), request.sessionToken(),
						this.properties.historyTurns())
				: List.of();
		Answer answer = timed("answer", () -> this.composer.compose(new AnswerComposer.Context(settings,
				request.content(), matches, confident, escalationRequested, history), credentials));

		boolean escalationOffered = settings.escalationEnabled() && settings.bookingUrl() != null
				&& (escalationRequested || !confident);
		Match answered = choice.answered();
		List<String> chips = SuggestionChips.choose(request.content(), matches, answered,
				settings.suggestedMessages(), settings.maxSuggestionChips());
		List<UUID> matchedIds = matches.stream().map(Match::id).toList();
		AssistantMetadata metadata = new AssistantMetadata(chips, !confident, matchedIds, confidence,
				choice.decision().threshold(), escalationOffered, escalationOffered ? settings.bookingUrl() : null,
				answer.answeredBy(), model, answer.completion() == null ? null : answer.completion().model(),
				answer.completion() == null ? null : answer.completion().promptTokens(),
				answer.completion() == null ? null : answer.completion().completionTokens(),
				answer.completion() == null ? null : answer.completion().totalTokens(),
				answer.completion() == null ? 0 : answer.completion().latencyMs());

		UUID assistantMessageId = assistantMessageIdOf(request.messageId());
		UUID bestMatchId = matches.isEmpty() ? null : matches.get(0).id();
		TurnRecorder.Turn turn = new TurnRecorder.Turn(request, assistantMessageId, answer.text(),
				this.json.writeValueAsString(metadata), escalationOffered, answer.completion(),
				new TurnRecorder.Judgement(bestMatchId, confidence, choice.decision().threshold(), !confident, model,
						Instant.now()));
		try {
			timed("write", () -> this.recorder.record(turn));
		}
		catch (TurnRecorder.AlreadyRecorded ex) {
			// another replica stored this message between our check and our write: its reply wins
		}
		StoredMessage stored = this.conversations
			.findMessage(request.workspaceId(), request.sessionToken(), request.messageId())
			.orElseThrow(() -> new IllegalStateException("turn " + request.messageId() + " was not stored"));
		return replayStored(request, stored);
	}

	/** The assistant's message id follows from the visitor's, so every retry names the same reply. */
	static UUID assistantMessageIdOf(UUID visitorMessageId) {
		return UUID.nameUUIDFromBytes(("clara-assistant-reply:" + visitorMessageId).getBytes());
	}

	private ChatReply replayStored(ChatRequest request, StoredMessage visitorMessage) {
		if (!visitorMessage.message().content().equals(request.content())) {
			throw conflictingRetry(request.messageId());
		}
		StoredMessage reply = this.conversations
			.findMessage(request.workspaceId(), request.sessionToken(), assistantMessageIdOf(request.messageId()))
			.orElseThrow(() -> new IllegalStateException("reply to " + request.messageId() + " is missing"));
		return new ChatReply(reply.conversationId(), reply.message());
	}

	private static ApiProblem conflictingRetry(UUID messageId) {
		return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "Message id reused",
				"message_id " + messageId + " was already sent with different content; use a new message_id");
	}

	private static ChatReply await(CompletableFuture<ChatReply> reply) {
		try {
			return reply.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	private <T> T timed(String stage, Supplier<T> work) {
		return Timer.builder("clara.chat.turn.stage").tag("stage", stage).register(this.meters).record(work);
	}

}
