package dev.clara.chat.turn;

import java.util.Optional;

import dev.clara.chat.answer.AnswerComposer;
import dev.clara.chat.answer.LlmCredentials;
import dev.clara.chat.answering.AnswerChooser;
import dev.clara.chat.passages.PassageSearch;
import dev.clara.chat.workspace.WorkspaceSettings;

/**
 * A turn searched and judged, waiting for its answer to be written: everything the composer
 * needs and everything the recorder will store besides the answer itself.
 *
 * @param questionVector the question's vector by {@code searchModel}
 * @param embeddingTokens what a remote embedding provider billed for the question (0 in-process)
 * @param passages the document passages that answer when no pair does
 * @param startedNanos when the turn began ({@link System#nanoTime}), for the whole turn's timer
 */
record PreparedTurn(ChatRequest request, WorkspaceSettings settings, String searchModel, float[] questionVector,
		AnswerChooser.Choice choice, boolean escalationRequested, Optional<LlmCredentials> credentials,
		AnswerComposer.Context context, long embeddingTokens, PassageSearch.Found passages,
		long startedNanos) {
}
