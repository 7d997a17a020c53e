package dev.clara.chat.turn;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import dev.clara.chat.answer.Answer;
import dev.clara.chat.answer.AnswerComposer;
import dev.clara.chat.answer.Completion;
import dev.clara.chat.answer.EscalationDetector;
import dev.clara.chat.answer.LlmCredentials;
import dev.clara.chat.answer.SuggestionChips;
import dev.clara.chat.answer.VisitorMemory;
import dev.clara.chat.answering.AnswerChooser;
import dev.clara.chat.config.ChatProperties;
import dev.clara.chat.keys.LlmKeyResolver;
import dev.clara.chat.passages.PassageSearch;
import dev.clara.chat.memory.Memories;
import dev.clara.chat.search.KnowledgeSearch;
import dev.clara.chat.search.Match;
import dev.clara.chat.search.QuestionEmbeddings;
import dev.clara.chat.turn.ConversationStore.Session;
import dev.clara.chat.turn.ConversationStore.StoredMessage;
import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.workspace.WorkspaceRepository;
import dev.clara.chat.workspace.WorkspaceSettings;
import dev.clara.shared.embedding.EmbeddingProvider;
import io.micrometer.core.instrument.MeterRegistry;

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

	private final PassageSearch passages;

	private final QuestionEmbeddings embeddings;

	private final AnswerChooser chooser;

	private final AnswerComposer composer;

	private final LlmKeyResolver keys;

	private final EscalationDetector escalation = new EscalationDetector();

	private final ChatProperties properties;

	private final JsonMapper json;

	private final TurnMetrics metrics;

	private final TurnsInFlight inFlight;

	private final Memories memories;

	ChatTurnService(WorkspaceRepository workspaces, ConversationStore conversations, TurnRecorder recorder,
			KnowledgeSearch search, PassageSearch passages, QuestionEmbeddings embeddings, AnswerChooser chooser,
			AnswerComposer composer, LlmKeyResolver keys, TurnsInFlight inFlight, ChatProperties properties,
			JsonMapper json, MeterRegistry meters, Memories memories) {
		this.passages = passages;
		this.memories = memories;
		this.workspaces = workspaces;
		this.conversations = conversations;
		this.recorder = recorder;
		this.search = search;
		this.embeddings = embeddings;
		this.chooser = chooser;
		this.composer = composer;
		this.keys = keys;
		this.inFlight = inFlight;
		this.properties = properties;
		this.json = json;
		this.metrics = new TurnMetrics(meters);
	}

	public WorkspaceSettings settingsOf(UUID workspaceId) {
		return this.workspaces
			.find(workspaceId, this.embeddings.deploymentModel(), this.embeddings::canEmbedWith,
					this.search.pairSnapshotOf(workspaceId))
			.orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "Unknown workspace",
					"No workspace has the id " + workspaceId));
	}

	/** The session's conversation as this message finds it: whose it is, and the message's reply if stored. */
	Optional<Session> sessionOf(ChatRequest request) {
		return this.conversations.session(request.workspaceId(), request.sessionToken(), request.messageId(),
				assistantMessageIdOf(request.messageId()));
	}

	/**
	 * Answers the message, or returns its stored reply.
	 * @param session the conversation as the request's admission read it ({@link #sessionOf})
	 */
	ChatReply answer(ChatRequest request, WorkspaceSettings settings, Optional<Session> session) {
		// a follower awaits the leader. The session was read before the claim: a reply a previous
		// leader stored since then makes this turn's write refuse, and the stored reply is returned
		TurnsInFlight.Claim claim = this.inFlight.claim(request);
		if (!claim.leads()) {
			return await(claim.reply());
		}
		try {
			Optional<ChatReply> stored = storedReply(request, session);
			ChatReply reply;
			if (stored.isPresent()) {
				reply = stored.get();
			}
			else {
				PreparedTurn turn = prepare(request, settings);
				reply = finish(turn, timed("answer", () -> this.composer.compose(turn.context(), turn.credentials())));
			}
			claim.complete(reply);
			return reply;
		}
		catch (RuntimeException ex) {
			this.metrics.failed();
			claim.fail(ex);
			throw ex;
		}
	}

	public List<ChatMessage> messages(UUID workspaceId, String token) {
		return this.conversations.messages(workspaceId, token, 500).stream().map(StoredMessage::message).toList();
	}

	/** The reply already stored for this message in {@code session}; throws the 422 when the message had other content. */
	Optional<ChatReply> storedReply(ChatRequest request, Optional<Session> session) {
		return session.filter(Session::stored).map(found -> {
			if (!found.storedContent().equals(request.content())) {
				throw conflictingRetry(request.messageId());
			}
			if (found.storedReply() == null) {
				throw new IllegalStateException("reply to " + request.messageId() + " is missing");
			}
			return new ChatReply(found.storedReply().conversationId(), found.storedReply().message());
		});
	}

	/** Embeds, searches and judges the question; reads only, outside any transaction. */
	PreparedTurn prepare(ChatRequest request, WorkspaceSettings settings) {
		long started = System.nanoTime();
		String model = settings.searchModel();
		EmbeddingProvider.Embedded embedded = timed("embed", () -> this.embeddings.embedCounted(model, request.content()));
		float[] vector = embedded.vectors().get(0);
		List<Match> found = timed("search", () -> this.search.search(request.workspaceId(), model, request.content(),
				vector, settings.searchFloor(), this.properties.searchCount(), settings.currentPairSnapshot()));
		AnswerChooser.Choice choice = timed("choose", () -> this.chooser.choose(settings, vector, found));
		boolean confident = !choice.gap();
		// a pair that answers wins; only a question no pair answers looks in the documents
		PassageSearch.Found passages = confident ? PassageSearch.Found.NONE
				: timed("passages", () -> this.passages.answering(request.workspaceId(), model, request.content(), vector,
						this.properties.searchCount()));
		boolean escalationRequested = this.escalation.asksForEscalation(request.content());
		// at the monthly token budget the turn answers as if no LLM key were set: extractively, with
		// nothing said to the visitor about why
		Optional<LlmCredentials> credentials = settings.tokenBudget().reached() ? Optional.empty()
				: this.keys.resolve(request.workspaceId(), settings.hasOwnLlmKey());
		// a signed-in visitor's recent messages wherever they wrote them, an anonymous one's of this session
		List<dev.clara.chat.answer.LlmClient.Turn> history = List.of();
		VisitorMemory memory = null;
		if (credentials.isPresent() && request.user() != null) {
			history = this.memories.recentTurns(request.workspaceId(), request.user(), this.properties.historyTurns());
			memory = this.memories.of(request.workspaceId(), request.user(), request.sessionToken());
		}
		else if (credentials.isPresent()) {
			history = this.conversations.history(request.workspaceId(), request.sessionToken(),
					this.properties.historyTurns());
		}
		return new PreparedTurn(request, settings, model, vector, choice, escalationRequested, credentials,
				new AnswerComposer.Context(settings, request.content(), choice.matches(), confident,
						escalationRequested, history, memory, passages.passages()), embedded.tokens(), passages, started);
	}

	/** Stores the turn with its answer in one statement and returns the reply as stored. */
	ChatReply finish(PreparedTurn turn, Answer answer) {
		ChatRequest request = turn.request();
		WorkspaceSettings settings = turn.settings();
		AnswerChooser.Choice choice = turn.choice();
		List<Match> matches = choice.matches();
		boolean fromDocuments = turn.context().fromDocuments();
		// answered from a document: its best passage's similarity and the passage threshold it cleared
		double confidence = fromDocuments ? turn.passages().passages().get(0).similarity()
				: choice.decision().confidence();
		double threshold = fromDocuments ? turn.passages().threshold() : choice.decision().threshold();
		boolean confident = !choice.gap() || fromDocuments;
		boolean escalationOffered = settings.escalationEnabled() && settings.bookingUrl() != null
				&& (turn.escalationRequested() || !confident);
		Match answered = choice.answered();
		List<String> chips = SuggestionChips.choose(request.content(), matches, answered,
				settings.suggestedMessages(), settings.maxSuggestionChips());
		List<UUID> matchedIds = matches.stream().map(Match::id).toList();
		Completion completion = answer.completion();
		AssistantMetadata metadata = new AssistantMetadata(chips, !confident, matchedIds, confidence,
				threshold, escalationOffered, escalationOffered ? settings.bookingUrl() : null,
				answer.answeredBy(), turn.searchModel(), completion == null ? null : completion.model(),
				completion == null ? null : completion.promptTokens(),
				completion == null ? null : completion.completionTokens(),
				completion == null ? null : completion.totalTokens(), completion == null ? 0 : completion.latencyMs(),
				answer.citations());

		UUID assistantMessageId = assistantMessageIdOf(request.messageId());
		UUID bestMatchId = matches.isEmpty() ? null : matches.get(0).id();
		TurnRecorder.Turn record = new TurnRecorder.Turn(request, assistantMessageId, answer.text(),
				this.json.writeValueAsString(metadata), escalationOffered, completion, turn.embeddingTokens(),
				settings.tokenBudget(), new TurnRecorder.Judgement(bestMatchId, confidence, threshold, !confident,
						turn.searchModel(), Instant.now(), confident ? null : turn.questionVector()),
				documentChunks(answer));
		ChatReply reply;
		try {
			TurnRecorder.Recorded recorded = timed("write", () -> this.recorder.record(record));
			// the reply as stored: the database's timestamp and metadata, read back by the write itself
			reply = new ChatReply(recorded.conversationId(), this.conversations.assistantMessage(assistantMessageId,
					answer.text(), recorded.replyCreatedAt(), recorded.replyMetadataJson()));
		}
		catch (TurnRecorder.AlreadyRecorded ex) {
			// another replica stored this message between our check and our write: its reply wins
			reply = storedReply(request, sessionOf(request))
				.orElseThrow(() -> new IllegalStateException("turn " + request.messageId() + " was not stored"));
		}
		this.metrics.finished(turn.startedNanos(), confident ? TurnMetrics.ANSWERED : TurnMetrics.GAP);
		return reply;
	}

	/** The chunks each cited document gave the answer, for {@code document_conversation_links}. */
	private static java.util.Map<UUID, List<UUID>> documentChunks(Answer answer) {
		java.util.Map<UUID, List<UUID>> chunks = new java.util.LinkedHashMap<>();
		answer.citations()
			.stream()
			.filter(citation -> citation.documentId() != null)
			.forEach(citation -> chunks.computeIfAbsent(citation.documentId(), document -> new java.util.ArrayList<>())
				.add(citation.chunkId()));
		return chunks;
	}

	/** The assistant's message id follows from the visitor's, so every retry names the same reply. */
	static UUID assistantMessageIdOf(UUID visitorMessageId) {
		return UUID.nameUUIDFromBytes(("clara-assistant-reply:" + visitorMessageId).getBytes());
	}

	static ApiProblem conflictingRetry(UUID messageId) {
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

	<T> T timed(String stage, Supplier<T> work) {
		return this.metrics.stage(stage, work);
	}

	/** Counts a turn that failed before its reply was stored (the streaming path's failures). */
	void turnFailed() {
		this.metrics.failed();
	}

}
