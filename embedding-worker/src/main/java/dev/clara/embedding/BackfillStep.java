package dev.clara.embedding;

/**
 * More vectors the backfill fills after the pairs' and before it moves switching workspaces to
 * the new model (document chunks): an interface here so the feature packages plug in without
 * this package knowing them.
 */
public interface BackfillStep {

	/** Embeds whatever of this step lacks a vector of {@code model}; how many vectors were written. */
	long embedMissing(String model);

}
