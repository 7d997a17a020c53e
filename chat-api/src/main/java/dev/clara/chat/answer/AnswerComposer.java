package dev.clara.chat.answer;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.clara.chat.answer.LlmClient.Turn;
import dev.clara.chat.passages.Passage;
import dev.clara.chat.passages.PassageProperties;
import dev.clara.chat.passages.SentenceWindow;
import dev.clara.chat.search.Match;
import dev.clara.chat.workspace.WorkspaceSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Writes Clara's reply. With an LLM key: a completion with the personality prompt, the recent
 * conversation and the matched Q&A as context. Without one, or when the provider fails: the best
 * match's answer when it clears the threshold, else an honest "I don't know" with the booking
 * link. The visitor always gets an answer. The LLM cites the numbered entries it used as {@code [1]};
 * an LLM answer citing none of them is not trusted and gives way to the extractive answer.
 *
 * <p>A pair that answers wins (owners wrote it on purpose). When none does but document passages
 * do ({@code passages} is not empty), they are the LLM's entries, or, without an LLM, the best
 * passage's most relevant sentences are the answer; the citations then name the documents.
 */
@Component
public class AnswerComposer {

	private static final Logger log = LoggerFactory.getLogger(AnswerComposer.class);

	private final LlmClient llm;

	private final PassageProperties passageProperties;

	AnswerComposer(LlmClient llm, PassageProperties passageProperties) {
		this.llm = llm;
		this.passageProperties = passageProperties;
	}

	/**
	 * What the composer needs to know about the turn.
	 * @param confident whether a pair answers
	 * @param memory what is known of a signed-in visitor, or null for an anonymous one
	 * @param passages document passages that answer when no pair does (empty when a pair does)
	 */
	public record Context(WorkspaceSettings settings, String question, List<Match> matches, boolean confident,
			boolean escalationRequested, List<Turn> history, VisitorMemory memory, List<Passage> passages) {

		public Context(WorkspaceSettings settings, String question, List<Match> matches, boolean confident,
				boolean escalationRequested, List<Turn> history, VisitorMemory memory) {
			this(settings, question, matches, confident, escalationRequested, history, memory, List.of());
		}

		/** Answered from documents: no pair answers, passages do. */
		public boolean fromDocuments() {
			return !this.confident && !this.passages.isEmpty();
		}

	}

	public Answer compose(Context context, Optional<LlmCredentials> credentials) {
		return compose(context, credentials, llm -> this.llm.complete(llm, systemPrompt(context), context.history(),
				context.question()));
	}

	/**
	 * As {@link #compose}, with the LLM's text handed to {@code onDelta} while it is written. Only an
	 * LLM answer is streamed; the answer returned is the reply, which differs from the deltas when
	 * the provider failed after some of them (the extractive answer replaces them).
	 */
	public Answer composeStreaming(Context context, Optional<LlmCredentials> credentials, Consumer<String> onDelta) {
		return compose(context, credentials, llm -> this.llm.stream(llm, systemPrompt(context), context.history(),
				context.question(), onDelta));
	}

	private Answer compose(Context context, Optional<LlmCredentials> credentials,
			Function<LlmCredentials, Completion> completeWith) {
		WorkspaceSettings settings = context.settings();
		if (context.escalationRequested() && settings.escalationEnabled() && settings.bookingUrl() != null) {
			return new Answer("Of course! You can book a time with our team here: " + settings.bookingUrl()
					+ " — they'll be happy to help.", "escalation", null, List.of());
		}
		Completion uncited = null;
		if (credentials.isPresent()) {
			try {
				Completion completion = completeWith.apply(credentials.get());
				List<Citation> cited = context.fromDocuments()
						? CitationMarkers.cited(completion.text(), context.passages())
							.stream()
							.map(passage -> Citation.of(passage, passage.content()))
							.toList()
						: CitationMarkers.cited(completion.text(), context.matches()).stream().map(Citation::of).toList();
				if (!cited.isEmpty()) {
					return new Answer(CitationMarkers.removed(completion.text()), "llm", completion, cited);
				}
				// an answer resting on no entry of the knowledge base may be made up: the pair is safer
				log.info("LLM answer cited no knowledge-base entry; answering extractively");
				uncited = completion;
			}
			catch (RuntimeException ex) {
				// a slow or failing provider must not cost the visitor their answer
				log.warn("LLM completion failed ({}); answering extractively: {}", credentials.get(),
						ex.getClass().getSimpleName());
			}
		}
		if (context.confident()) {
			Match best = context.matches().get(0);
			return new Answer(best.answer(), "extractive", uncited, List.of(Citation.of(best)));
		}
		if (context.fromDocuments()) {
			Passage best = context.passages().get(0);
			String window = SentenceWindow.best(context.question(), best.content());
			return new Answer(window, "extractive", uncited, extractiveCitations(context.passages(), window));
		}
		return new Answer(unknownAnswer(settings), "unknown", uncited, List.of());
	}

	/** The best passage's window, then the next passages whole, up to {@code clara.chat.passages.extractive-citations}. */
	private List<Citation> extractiveCitations(List<Passage> passages, String window) {
		List<Citation> citations = new java.util.ArrayList<>();
		citations.add(Citation.of(passages.get(0), window));
		passages.stream()
			.skip(1)
			.limit(this.passageProperties.extractiveCitations() - 1L)
			.forEach(passage -> citations.add(Citation.of(passage, passage.content())));
		return List.copyOf(citations);
	}

	/** The owner's documents as numbered entries: the passages that answer, best first. */
	private static String documentPrompt(StringBuilder prompt, Context context) {
		prompt.append("\n\n### Documents\nAnswer only from these numbered passages of the documents. Cite each "
				+ "passage you use by its number in square brackets, such as [1] or [2], right after what it "
				+ "supports. If they do not answer the question, say that you do not have that information.\n");
		int i = 1;
		for (Passage passage : context.passages()) {
			prompt.append('[').append(i++).append("] From \"").append(passage.title()).append('"');
			if (!passage.heading().isEmpty()) {
				prompt.append(", ").append(passage.heading());
			}
			prompt.append(":\n   ").append(passage.content()).append("\n");
		}
		if (context.memory() != null) {
			prompt.append(MemoryPrompt.of(context.memory()));
		}
		return prompt.toString();
	}

	static String unknownAnswer(WorkspaceSettings settings) {
		String answer = "I'm sorry, I don't have that information.";
		if (settings.bookingUrl() != null && settings.escalationEnabled()) {
			return answer + " You can reach our team here: " + settings.bookingUrl();
		}
		return answer + " Please get in touch with our team and they will help you.";
	}

	static String systemPrompt(Context context) {
		StringBuilder prompt = new StringBuilder(context.settings().personalityPrompt().strip());
		if (context.fromDocuments()) {
			return documentPrompt(prompt, context);
		}
		prompt.append("\n\n### Knowledge base\n");
		if (context.matches().isEmpty()) {
			prompt.append("(No entry of the knowledge base matches this question.)\n");
		}
		else {
			prompt.append("Answer only from these numbered entries. Cite each entry you use by its number in "
					+ "square brackets, such as [1] or [2], right after what it supports.\n");
		}
		int i = 1;
		for (Match match : context.matches()) {
			prompt.append('[')
				.append(i++)
				.append("] Q: ")
				.append(match.question())
				.append("\n   A: ")
				.append(match.answer())
				.append("\n");
		}
		if (!context.confident()) {
			prompt.append("\nNone of these entries answers the question with confidence: say honestly that you do "
					+ "not have that information");
			if (context.settings().bookingUrl() != null) {
				prompt.append(" and suggest booking a call: ").append(context.settings().bookingUrl());
			}
			prompt.append(".\n");
		}
		if (context.memory() != null) {
			prompt.append(MemoryPrompt.of(context.memory()));
		}
		return prompt.toString();
	}

}
