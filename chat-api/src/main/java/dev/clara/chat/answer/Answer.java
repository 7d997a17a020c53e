package dev.clara.chat.answer;

/**
 * Clara's reply text and how it was made.
 *
 * @param answeredBy {@code llm}, {@code extractive}, {@code unknown} (nothing above the threshold)
 * or {@code escalation}
 * @param completion the LLM's usage, or null when no LLM wrote it
 */
public record Answer(String text, String answeredBy, Completion completion) {
}
