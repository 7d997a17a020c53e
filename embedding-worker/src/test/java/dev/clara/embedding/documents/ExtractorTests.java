package dev.clara.embedding.documents;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** The child JVM: its text comes back, a parser out of time is killed, a heap exhausted stays in the child. */
class ExtractorTests {

	@TempDir
	Path dir;

	@Test
	void theChildReturnsTheText() throws Exception {
		Extractor.Result result = extractor(DataSize.ofMegabytes(128), Duration.ofSeconds(60))
			.extract(file(HostileFiles.pdf("Warranty lasts two years.")));
		assertThat(result.ok()).isTrue();
		assertThat(result.text()).contains("Warranty lasts two years.");
		assertThat(result.report()).containsEntry("pages", 1L).containsKey("parse_ms");
		assertThat(result.report().get("peak_rss_kb")).as("the child's VmHWM, on Linux").isPositive();
	}

	@Test
	void anExtractionOutOfTimeIsKilled() throws Exception {
		Extractor.Result result = extractor(DataSize.ofMegabytes(128), Duration.ofMillis(200))
			.extract(file(HostileFiles.emptyPages(2_000)));
		assertThat(result.timedOut()).isTrue();
		assertThat(result.ok()).isFalse();
		assertThat(FailureReasons.of(result, "application/pdf", properties(DataSize.ofMegabytes(128), Duration.ofMillis(200))))
			.contains("took longer than");
	}

	@Test
	void aDecompressionBombExhaustsOnlyTheChildsHeap() throws Exception {
		long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
		Extractor.Result result = new Extractor(new DocumentProperties("t", DataSize.ofMegabytes(64), Duration.ofSeconds(60),
				Integer.MAX_VALUE - 16, 1000, 200, 1, Duration.ofMinutes(15))).extract(file(HostileFiles.zipBombDocx(300)));
		assertThat(result.outcome()).isIn(ExtractionMain.Outcome.OUT_OF_MEMORY, ExtractionMain.Outcome.ZIP_BOMB);
		assertThat(result.ok()).isFalse();
		long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
		assertThat(after - before).as("the inflated text never reached this JVM").isLessThan(100L * 1024 * 1024);
	}

	private Path file(byte[] content) throws Exception {
		Path file = Files.createTempFile(this.dir, "doc", ".bin");
		Files.write(file, content);
		return file;
	}

	private static Extractor extractor(DataSize heap, Duration timeout) {
		return new Extractor(properties(heap, timeout));
	}

	private static DocumentProperties properties(DataSize heap, Duration timeout) {
		return new DocumentProperties("t", heap, timeout, 2_000_000, 1000, 200, 1, Duration.ofMinutes(15));
	}

}
