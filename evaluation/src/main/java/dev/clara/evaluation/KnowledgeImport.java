package dev.clara.evaluation;

import java.util.List;
import java.util.UUID;

import dev.clara.evaluation.KnowledgeBase.Pair;

/** Creates an owner with their workspace and imports a knowledge base into it. */
interface KnowledgeImport {

	/** What an import did. */
	record Imported(UUID workspace, String path, long imported, String report) {
	}

	/** @param label names the owner (one workspace per owner) */
	Imported run(String label, List<Pair> pairs) throws Exception;

}
