package dev.clara.chat.answer;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.clara.chat.answer.LlmClient.Turn;
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
 */
@Component
public class AnswerComposer {

	private static final Logger log = LoggerFactory.getLogger(AnswerComposer.class);

	private final LlmClient llm;

	AnswerComposer(LlmClient llm) {
		this.llm = llm;
	}

	/**
	 * What the composer needs to know about the turn.
	 * @param memory what is known of a signed-in visitor, or null for an anonymous one
	 */
	public record Context(WorkspaceSettings settings, String question, List<Match> matches, boolean confident,
			boolean escalationRequested, List<Turn> history, VisitorMemory memory) {
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
				List<Match> cited = CitationMarkers.cited(completion.text(), context.matches());
				if (!cited.isEmpty()) {
					return new Answer(CitationMarkers.removed(completion.text()), "llm", completion,
							cited.stream().map(Citation::of).toList());
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
		return new Answer(unknownAnswer(settings), "unknown", uncited, List.of());
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
