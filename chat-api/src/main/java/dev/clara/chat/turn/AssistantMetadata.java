package dev.clara.chat.turn;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.clara.chat.answer.Citation;

/**
 * The assistant message's {@code messages.metadata}: the ChatMessage fields plus how the answer
 * was made (model, tokens, latency).
 *
 * @param answeredBy {@code llm}, {@code extractive}, {@code fallback} or {@code escalation}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AssistantMetadata(List<String> suggestionChips, boolean gapDetected, List<UUID> matchedQaIds,
		double confidence, double threshold, boolean escalationOffered, String bookingUrl, String answeredBy,
		String embeddingModel, String model, Long promptTokens, Long completionTokens, Long tokensUsed,
		long latencyMs, List<Citation> citations) {
}
