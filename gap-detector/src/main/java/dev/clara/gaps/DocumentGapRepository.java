package dev.clara.gaps;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The gaps a ready document answers: open gaps of its workspace with a vector of the chunks'
 * model whose most similar chunk of the document's serving version reaches the model's
 * {@code passage_threshold}, the chat turn's own rule for answering from a document.
 */
@Repository
class DocumentGapRepository {

	/** The document while its version is the serving one and embedded with the model. */
	private static final String SERVING = """
			SELECT d.workspace_id, m.passage_threshold
			FROM documents d JOIN embedding_models m ON m.id = :model
			WHERE d.id = :documentId AND d.workspace_id = :workspaceId AND d.serving_version = :version
			""";

	private static final String ANSWERED_GAPS = """
			SELECT g.id
			FROM qa_gaps g
			WHERE g.workspace_id = :workspaceId AND g.status = 'open' AND g.embedding_model = :model
			  AND g.question_embedding IS NOT NULL
			  AND (SELECT max(1 - (c.embedding OPERATOR(extensions.<=>) g.question_embedding))
			       FROM document_chunks c
			       WHERE c.document_id = :documentId AND c.document_version = :version
			         AND c.workspace_id = :workspaceId AND c.embedding_model = :model) >= :threshold
			ORDER BY g.id
			""";

	private static final String RESOLVE = """
			UPDATE qa_gaps SET status = 'resolved', resolved_document_id = :documentId, resolved_automatically = true
			WHERE id = :id AND status = 'open'
			""";

	private final JdbcClient jdbc;

	DocumentGapRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The model's passage threshold while the version serves; empty otherwise (replaced, deleted). */
	Optional<Double> servingThreshold(UUID workspaceId, UUID documentId, int version, String model) {
		return this.jdbc.sql(SERVING)
			.param("workspaceId", workspaceId)
			.param("documentId", documentId)
			.param("version", version)
			.param("model", model)
			.query((rs, n) -> rs.getDouble("passage_threshold"))
			.optional();
	}

	List<UUID> answeredGaps(UUID workspaceId, UUID documentId, int version, String model, double threshold) {
		return this.jdbc.sql(ANSWERED_GAPS)
			.param("workspaceId", workspaceId)
			.param("documentId", documentId)
			.param("version", version)
			.param("model", model)
			.param("threshold", threshold)
			.query(UUID.class)
			.list();
	}

	boolean resolve(UUID gapId, UUID documentId) {
		return this.jdbc.sql(RESOLVE).param("documentId", documentId).param("id", gapId).update() == 1;
	}

}
