package dev.clara.embedding.documents;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.clara.shared.embedding.EmbeddingProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ingests one document version: claim it, copy its file out of the database, extract its text in
 * a child process, split it into chunks, embed them in batches and make the version serve, or
 * mark it failed with a reason an owner understands. Every step is safe to repeat: a worker that
 * dies anywhere leaves the version {@code processing}, and the redelivered event resumes it.
 */
@Component
class DocumentIngestion {

	private static final Logger log = LoggerFactory.getLogger(DocumentIngestion.class);

	static final String BUCKET = "documents";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final IngestionRepository repository;

	private final Extractor extractor;

	private final Chunker chunker;

	private final EmbeddingProvider provider;

	private final DocumentProperties properties;

	private final int batchSize;

	private final MeterRegistry meters;

	DocumentIngestion(IngestionRepository repository, Extractor extractor, EmbeddingProvider provider,
			DocumentProperties properties, dev.clara.embedding.WorkerProperties worker, MeterRegistry meters) {
		this.meters = meters;
		this.repository = repository;
		this.extractor = extractor;
		this.provider = provider;
		this.properties = properties;
		this.chunker = new Chunker(properties.chunkChars(), properties.overlapChars());
		this.batchSize = worker.batchSize();
	}

	/** What one call did, for logs and tests. */
	enum Outcome {
		READY, FAILED, SKIPPED, WAITING
	}

	/** Ingests one version, timed by its outcome ({@code clara.documents.ingestion}, README.md "Metrics"). */
	Outcome ingest(UUID documentId, int version) throws IOException, InterruptedException {
		long started = System.nanoTime();
		Outcome outcome = ingestOnce(documentId, version);
		Timer.builder("clara.documents.ingestion")
			.description("one document version: extraction, chunking, embedding")
			.tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
			.publishPercentileHistogram()
			.register(this.meters)
			.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		return outcome;
	}

	private Outcome ingestOnce(UUID documentId, int version) throws IOException, InterruptedException {
		IngestionRepository.Claimed claimed = this.repository.claim(documentId, version).orElse(null);
		if (claimed == null) {
			// deleted, replaced by a newer version, or already finished: nothing to do
			return Outcome.SKIPPED;
		}
		Path file = Files.createTempFile("clara-document-", ".bin");
		Extractor.Result extracted;
		try {
			boolean copied;
			try (OutputStream out = Files.newOutputStream(file)) {
				copied = this.repository.copyFile(BUCKET, claimed.filePath(), out);
			}
			if (!copied) {
				return fail(documentId, version, "The uploaded file is missing; upload it again.", Map.of());
			}
			extracted = this.extractor.extract(file);
		}
		finally {
			Files.deleteIfExists(file);
		}
		Map<String, Object> stats = new HashMap<>();
		stats.put("extraction_ms", extracted.millis());
		extracted.report().forEach((key, value) -> stats.put(key.equals("peak_rss_kb") ? "extraction_peak_rss_kb" : key, value));
		if (!extracted.ok()) {
			return fail(documentId, version, FailureReasons.of(extracted, claimed.contentType(), this.properties), stats);
		}
		log.info("document {} v{}: extracted {} pages, {} characters in {} ms ({} ms parsing; child peak RSS {} kB)",
				documentId, version, figure(extracted, "pages"), extracted.text().length(), extracted.millis(),
				figure(extracted, "parse_ms"), figure(extracted, "peak_rss_kb"));
		long chunking = System.nanoTime();
		List<Chunker.Chunk> chunks = this.chunker.split(extracted.text());
		stats.put("chunking_ms", (System.nanoTime() - chunking) / 1_000_000);
		if (chunks.isEmpty()) {
			return fail(documentId, version, FailureReasons.NO_TEXT, stats);
		}
		Map<Integer, String> metadata = new HashMap<>();
		for (int i = 0; i < chunks.size(); i++) {
			metadata.put(i, JSON.writeValueAsString(Map.of("heading", chunks.get(i).heading())));
		}
		this.repository.insertChunks(documentId, version, chunks, metadata);
		long embedding = System.nanoTime();
		int embedded = embedPending(documentId, version);
		stats.put("embedding_ms", (System.nanoTime() - embedding) / 1_000_000);
		stats.put("embedded", embedded);
		stats.put("characters", extracted.text().length());
		stats.put("chunks", chunks.size());
		return this.repository.finishReady(documentId, version, this.provider.modelId(), JSON.writeValueAsString(stats))
			.map(count -> {
				log.info("document {} v{}: ready, {} chunks ({} ms extraction, {} chunks embedded in {} ms)", documentId,
						version, count, extracted.millis(), embedded, stats.get("embedding_ms"));
				return Outcome.READY;
			})
			.orElse(Outcome.WAITING);
	}

	/** Embeds the version's chunks that lack a vector, a batch per provider call; how many were written. */
	int embedPending(UUID documentId, int version) {
		String model = this.provider.modelId();
		int written = 0;
		List<IngestionRepository.PendingChunk> batch;
		while (!(batch = this.repository.pendingChunks(documentId, version, model, this.batchSize)).isEmpty()) {
			List<String> texts = batch.stream().map(IngestionRepository.PendingChunk::textToEmbed).toList();
			List<float[]> vectors;
			long tokens = 0;
			if (this.provider.billed()) {
				EmbeddingProvider.Embedded embedded = this.provider.embedAllCounted(texts);
				vectors = embedded.vectors();
				tokens = embedded.tokens();
			}
			else {
				vectors = this.provider.embedAll(texts);
			}
			int n = this.repository.write(batch, vectors, model, batch.get(0).workspaceId(), tokens);
			if (n == 0) {
				// the chunks went meanwhile (a newer version, a deletion): nothing left to embed here
				break;
			}
			written += n;
		}
		return written;
	}

	private static Object figure(Extractor.Result extracted, String key) {
		Long value = extracted.report().get(key);
		return value == null ? "?" : value;
	}

	private Outcome fail(UUID documentId, int version, String reason, Map<String, Object> stats) {
		boolean failed = this.repository.finishFailed(documentId, version, reason, JSON.writeValueAsString(stats));
		if (failed) {
			log.info("document {} v{}: failed ({})", documentId, version, reason);
		}
		return failed ? Outcome.FAILED : Outcome.SKIPPED;
	}

}
