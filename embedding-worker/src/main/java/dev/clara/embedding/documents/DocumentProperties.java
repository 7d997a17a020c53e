package dev.clara.embedding.documents;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of document ingestion (README.md, "Documents").
 *
 * @param changesTopic the topic of {@code DocumentChanged} (the relay routes them there)
 * @param extractionHeap the heap of each extraction's child JVM ({@code -Xmx})
 * @param extractionTimeout longest one extraction may run before its process is killed
 * @param maxChars most characters of text a document may have
 * @param chunkChars the size a chunk aims at, in characters (a chunk ends at a sentence)
 * @param overlapChars how much of the end of a chunk the next one repeats (whole sentences)
 * @param dltPartitions partitions of the dead-letter topic
 * @param stalledAfter how long a version may stay pending or processing before the backfill ingests
 * it again (its event was dead-lettered, the provider refused for a while); the documents
 * benchmark sets 0s so its worker ingests through the backfill alone, without Kafka
 */
@ConfigurationProperties("clara.documents")
public record DocumentProperties(@DefaultValue("clara.documents.changes") String changesTopic,
		@DefaultValue("128MB") DataSize extractionHeap, @DefaultValue("60s") Duration extractionTimeout,
		@DefaultValue("2000000") int maxChars, @DefaultValue("1000") int chunkChars,
		@DefaultValue("200") int overlapChars, @DefaultValue("6") int dltPartitions,
		@DefaultValue("15m") Duration stalledAfter) {
}
