package dev.clara.schema;

import static dev.clara.schema.SyntheticVectors.add;
import static dev.clara.schema.SyntheticVectors.normalise;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Random;
import java.util.UUID;

import com.pgvector.PGvector;
import org.postgresql.PGConnection;

/**
 * The synthetic knowledge of {@link KnowledgeSearchBenchmark}: per workspace, topics that are a
 * random 384-d centre and six topic words; a Q&amp;A pair or a document chunk is a topic's centre
 * plus Gaussian noise (normalised) and text made of its topic's words and a few of 40 common
 * words (so the full-text side has both selective and frequent lexemes). Deterministic for a seed.
 */
final class SearchBenchmarkData {

	static final int DIMENSIONS = 384;

	static final String MODEL = "bge-small-en-v1.5-q";

	/** Per-component noise around a topic centre (a centre's components are about 0.051). */
	static final float NOISE = 0.035f;

	static final int COMMON_WORDS = 40;

	private static final String[] SYLLABLES = { "ba", "ke", "di", "mo", "lu", "ra", "se", "ti", "no", "vu", "ga",
			"pe", "fi", "zo", "hu", "ja", "we", "xi", "co", "ny" };

	private final Random random;

	SearchBenchmarkData(long seed) {
		this.random = new Random(seed);
	}

	/** One workspace's topics. */
	record Tenant(UUID workspace, float[][] centres, String[][] words) {
	}

	/** A workspace with topics of its own. */
	Tenant tenant(UUID workspace, int topics) {
		return tenant(workspace, topics, null);
	}

	/**
	 * A workspace whose topic centres, if {@code sameDomain} is given, are drawn from that
	 * workspace's: another business of the same kind, whose pairs are the nearest neighbours of
	 * the first one's questions in a shared vector index (its own topic words all the same).
	 */
	Tenant tenant(UUID workspace, int topics, Tenant sameDomain) {
		float[][] centres = new float[topics][];
		String[][] words = new String[topics][];
		for (int t = 0; t < topics; t++) {
			centres[t] = (sameDomain == null) ? normalise(gaussian(1.0f))
					: sameDomain.centres()[this.random.nextInt(sameDomain.centres().length)];
			words[t] = new String[6];
			for (int w = 0; w < 6; w++) {
				words[t][w] = word(COMMON_WORDS + this.random.nextInt(8000));
			}
		}
		return new Tenant(workspace, centres, words);
	}

	/** A visitor's question: a topic's centre plus noise, two of its words, a common word and a stray one. */
	record Query(PGvector embedding, String text) {
	}

	Query query(Tenant tenant) {
		int topic = this.random.nextInt(tenant.centres().length);
		float[] v = normalise(add(tenant.centres()[topic], gaussian(NOISE)));
		String[] words = tenant.words()[topic];
		String text = "how do I " + words[this.random.nextInt(6)] + " the " + words[this.random.nextInt(6)] + " "
				+ common() + " " + word(COMMON_WORDS + this.random.nextInt(8000)) + "?";
		return new Query(new PGvector(v), text);
	}

	/** {@code rows} active, embedded Q&amp;A pairs of the tenant, by COPY. */
	int copyPairs(Connection c, Tenant tenant, int rows) throws SQLException, IOException {
		int copied = 0;
		for (int from = 0; from < rows; from += 5000) {
			StringBuilder data = new StringBuilder(5000 * 4300);
			for (int i = from; i < Math.min(rows, from + 5000); i++) {
				int topic = this.random.nextInt(tenant.centres().length);
				String[] words = tenant.words()[topic];
				data.append(tenant.workspace()).append('\t').append("What about ").append(words[this.random.nextInt(6)])
					.append(' ').append(words[this.random.nextInt(6)]).append(' ').append(words[this.random.nextInt(6)])
					.append(" and ").append(common()).append(' ').append(common()).append(" (").append(i).append(")?\t")
					.append("Answer ").append(i).append("\tgeneral\t");
				vector(data, normalise(add(tenant.centres()[topic], gaussian(NOISE))));
				data.append('\t').append(MODEL).append("\t2026-01-01 00:00:00+00\n");
			}
			copied += (int) c.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("COPY qa_pairs (workspace_id, question, answer, category, embedding, embedding_model, embedded_at) FROM STDIN",
						new StringReader(data.toString()));
		}
		return copied;
	}

	/**
	 * Documents of 50 chunks each, at version 2 and serving it: {@code serving} chunks of version 2
	 * and, for every fifth document, its 50 chunks of version 1 as well (no longer serving: the
	 * search must leave them out).
	 */
	int copyChunks(Connection c, Tenant tenant, int serving) throws SQLException, IOException {
		int copied = 0;
		StringBuilder data = new StringBuilder();
		for (int d = 0; d * 50 < serving; d++) {
			UUID document = (UUID) SchemaTestDatabase.single(c, """
					INSERT INTO documents (workspace_id, title, status, version, serving_version)
					VALUES (?, ?, 'ready', 2, 2) RETURNING id""", tenant.workspace(), "Handbook " + d);
			for (int version = (d % 5 == 0) ? 1 : 2; version <= 2; version++) {
				for (int i = 0; i < 50 && d * 50 + i < serving; i++) {
					int topic = this.random.nextInt(tenant.centres().length);
					data.append(document).append('\t').append(tenant.workspace()).append('\t').append(i).append('\t')
						.append(version).append('\t').append(chunkText(tenant.words()[topic])).append('\t');
					vector(data, normalise(add(tenant.centres()[topic], gaussian(NOISE))));
					data.append('\t').append(MODEL).append("\t2026-01-01 00:00:00+00\t{\"heading\": \"Section ")
						.append(i).append("\"}\n");
				}
			}
			if (data.length() > 20_000_000 || (d + 1) * 50 >= serving) {
				copied += (int) c.unwrap(PGConnection.class)
					.getCopyAPI()
					.copyIn("COPY document_chunks (document_id, workspace_id, chunk_index, document_version, content, "
							+ "embedding, embedding_model, embedded_at, metadata) FROM STDIN", new StringReader(data.toString()));
				data.setLength(0);
			}
		}
		return copied;
	}

	private String chunkText(String[] words) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 60; i++) {
			text.append(i % 3 == 0 ? words[this.random.nextInt(6)] : common()).append(i % 12 == 11 ? ". " : " ");
		}
		return text.toString().strip();
	}

	/** One of the common words, the lower ones more often. */
	private String common() {
		return word((int) (COMMON_WORDS * Math.pow(this.random.nextDouble(), 2)));
	}

	/** A made-up word (no English stop word, stems to itself or a stable prefix). */
	static String word(int n) {
		StringBuilder word = new StringBuilder();
		int rest = n;
		for (int i = 0; i < 3; i++) {
			word.append(SYLLABLES[rest % SYLLABLES.length]);
			rest /= SYLLABLES.length;
		}
		return word.append('m').toString();
	}

	private static void vector(StringBuilder data, float[] v) {
		data.append('[');
		for (int d = 0; d < v.length; d++) {
			if (d > 0) {
				data.append(',');
			}
			data.append(v[d]);
		}
		data.append(']');
	}

	private float[] gaussian(float sigma) {
		return SyntheticVectors.gaussian(this.random, DIMENSIONS, sigma);
	}

}
