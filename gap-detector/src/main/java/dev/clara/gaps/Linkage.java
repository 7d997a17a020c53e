package dev.clara.gaps;

/**
 * How a new gap's similarity to an existing group of open gaps is measured (see README,
 * "Grouping"; chosen by the CLINC150 measurement).
 */
public enum Linkage {

	/** Similarity to the group's closest open member (single linkage: groups can chain). */
	NEAREST,

	/** Cosine similarity to the mean vector of the group's open members. */
	CENTROID,

	/** Mean similarity to the group's open members (average linkage: spread groups score lower). */
	AVERAGE

}
