package dev.clara.chat.turn;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.clara.chat.answer.Citation;

/**
 * A message in the public chat API's ChatMessage shape (docs/public-chat-api.md), plus {@code booking_url} when
 * escalation is offered, and {@code citations}. The assistant-only fields are absent on the visitor's messages.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(UUID messageId, String role, String content, Instant timestamp,
		List<String> suggestionChips, Boolean gapDetected, List<UUID> matchedQaIds, Double confidence,
		Boolean escalationOffered, String bookingUrl, List<Citation> citations) {

	static ChatMessage visitor(UUID messageId, String content, Instant timestamp) {
		return new ChatMessage(messageId, "user", content, timestamp, null, null, null, null, null, null, null);
	}

}
