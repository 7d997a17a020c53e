package dev.clara.chat.passages;

import java.util.UUID;

/**
 * A chunk of one of the workspace's documents the search found, with its cosine similarity to the
 * question.
 *
 * @param heading the heading path of the chunk's section ("Returns › Refunds"), or empty
 */
public record Passage(UUID chunkId, UUID documentId, String title, String heading, String content,
		double similarity) {
}
