package dev.clara.chat.answer;

import java.util.List;

/**
 * Clara's reply text and how it was made.
 *
 * @param answeredBy {@code llm}, {@code extractive}, {@code unknown} (nothing above the threshold)
 * or {@code escalation}
 * @param completion the LLM's usage, or null when no LLM wrote it; also set when the LLM's answer
 * was discarded for citing nothing, since its tokens were spent all the same
 * @param citations the pairs the answer came from; empty when Clara did not answer
 */
public record Answer(String text, String answeredBy, Completion completion, List<Citation> citations) {
}
