package dev.clara.chat.search;

import java.util.UUID;

/** A Q&A pair the search found, with its cosine similarity to the question. */
public record Match(UUID id, String question, String answer, String category, double similarity) {
}
