package dev.clara.chat.turn;

import java.util.UUID;

/** The reply to {@code POST /api/chat}: the widget's session and Clara's message. */
public record ChatReply(UUID sessionId, ChatMessage message) {
}
