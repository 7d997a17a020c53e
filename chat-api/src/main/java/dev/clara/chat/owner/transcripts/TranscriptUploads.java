package dev.clara.chat.owner.transcripts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.transcripts.TranscriptParser.Exchange;
import dev.clara.chat.owner.transcripts.TranscriptRepository.Suggestion;
import dev.clara.chat.owner.transcripts.TranscriptRepository.Transcript;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.search.EmbeddingUsageRepository;
import dev.clara.chat.search.QuestionEmbeddings;
import dev.clara.shared.embedding.EmbeddingProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * An uploaded transcript becomes suggestions, in three steps so that no transaction is open while
 * a provider works: a short owner transaction reads the workspace and its search model; the LLM
 * (or not) proposes pairs and their questions are embedded with that model, the billed tokens
 * recorded as the workspace's usage; one owner transaction then stores the transcript and, per
 * proposed pair in order, merges it into a pending suggestion whose question is near-identical
 * (the model's {@code near_duplicate_threshold}), or stores it as {@code covered} by the most
 * similar active pair at or above the model's {@code transcript_overlap_threshold}, or as
 * {@code suggested}.
 */
@Component
class TranscriptUploads {

	private static final Logger log = LoggerFactory.getLogger(TranscriptUploads.class);

	private static final int EMBED_BATCH = 64;

	private final OwnerDb db;

	private final TranscriptRepository transcripts;

	private final CandidatePairs candidates;

	private final QuestionEmbeddings embeddings;

	private final EmbeddingUsageRepository usage;

	private final JsonMapper json;

	private final OwnerProperties.Transcripts settings;

	private final CandidatePairs.Limits limits;

	TranscriptUploads(OwnerDb db, TranscriptRepository transcripts, CandidatePairs candidates,
			QuestionEmbeddings embeddings, EmbeddingUsageRepository usage, JsonMapper json, OwnerProperties properties) {
		this.db = db;
		this.transcripts = transcripts;
		this.candidates = candidates;
		this.embeddings = embeddings;
		this.usage = usage;
		this.json = json;
		this.settings = properties.transcripts();
		this.limits = new CandidatePairs.Limits(properties.csv().maxQuestionChars(), properties.csv().maxAnswerChars(),
				this.settings.maxLlmExchanges());
	}

	/** The transcript with its counts, and the suggestions it made or added a source to. */
	record Uploaded(Transcript transcript, int skipped, List<Suggestion> suggestions) {
	}

	private record Target(UUID workspaceId, String model) {
	}

	Uploaded upload(OwnerPrincipal owner, String title, String text) {
		TranscriptParser.Parsed parsed;
		try {
			parsed = TranscriptParser.parse(this.json, text);
		}
		catch (TranscriptParser.Unreadable ex) {
			throw OwnerProblems.invalid("file", ex.getMessage());
		}
		if (parsed.exchanges().isEmpty()) {
			throw OwnerProblems.invalid("file",
					"has no exchange: no customer question followed by an agent's answer was found");
		}
		if (parsed.exchanges().size() > this.settings.maxExchanges()) {
			throw OwnerProblems.invalid("file", "has more than " + this.settings.maxExchanges()
					+ " exchanges; split it into several transcripts");
		}
		Target target = this.db.as(owner, sql -> new Target(OwnerDb.workspaceId(sql),
				this.transcripts.searchModel(sql, this.embeddings.deploymentModel())));
		CandidatePairs.Candidates proposed = this.candidates.propose(target.workspaceId(), parsed.exchanges(),
				this.limits);
		List<Exchange> pairs = proposed.pairs().stream().filter(this::withinLimits).toList();
		int skipped = proposed.pairs().size() - pairs.size();
		List<float[]> vectors = embed(target, pairs.stream().map(Exchange::question).toList());
		UUID transcriptId = UUID.randomUUID();
		return this.db.as(owner, sql -> {
			UUID workspace = OwnerDb.workspaceId(sql);
			this.transcripts.insert(sql, workspace, new TranscriptRepository.NewTranscript(transcriptId, title,
					parsed.format(), text, proposed.by(), parsed.exchanges().size()));
			LinkedHashSet<UUID> touched = new LinkedHashSet<>();
			int suggested = 0;
			int covered = 0;
			int merged = 0;
			for (int i = 0; i < pairs.size(); i++) {
				float[] vector = vectors == null ? null : vectors.get(i);
				Optional<UUID> same = vector == null ? Optional.empty()
						: this.transcripts.mergeTarget(sql, vector, target.model());
				if (same.isPresent()) {
					this.transcripts.addSource(sql, same.get());
					touched.add(same.get());
					merged++;
					continue;
				}
				TranscriptRepository.Covering covering = vector == null ? null
						: this.transcripts.covering(sql, workspace, vector, target.model()).orElse(null);
				UUID id = UUID.randomUUID();
				this.transcripts.insertSuggestion(sql, id, workspace, transcriptId, pairs.get(i), covering, vector,
						target.model());
				touched.add(id);
				if (covering == null) {
					suggested++;
				}
				else {
					covered++;
				}
			}
			this.transcripts.counts(sql, transcriptId, suggested, covered, merged);
			return new Uploaded(this.transcripts.transcript(sql, transcriptId).orElseThrow(), skipped,
					this.transcripts.suggestions(sql, new ArrayList<>(touched)));
		});
	}

	private boolean withinLimits(Exchange pair) {
		return pair.question().length() <= this.limits.maxQuestionChars()
				&& pair.answer().length() <= this.limits.maxAnswerChars();
	}

	/**
	 * The questions' vectors by the workspace's search model, or null when that model cannot be
	 * used here or embedding fails: then every pair is suggested, unchecked.
	 */
	private List<float[]> embed(Target target, List<String> questions) {
		if (questions.isEmpty() || target.model() == null || !this.embeddings.canEmbedWith(target.model())) {
			return questions.isEmpty() ? List.of() : null;
		}
		List<float[]> vectors = new ArrayList<>(questions.size());
		for (int from = 0; from < questions.size(); from += EMBED_BATCH) {
			EmbeddingProvider.Embedded embedded;
			try {
				embedded = this.embeddings.embedAllCounted(target.model(),
						questions.subList(from, Math.min(questions.size(), from + EMBED_BATCH)));
			}
			catch (RuntimeException ex) {
				log.warn("Transcript overlap check skipped: embedding failed ({})", ex.getClass().getSimpleName());
				return null;
			}
			this.usage.record(target.workspaceId(), target.model(), embedded.tokens(), null, null);
			vectors.addAll(embedded.vectors());
		}
		return vectors;
	}

}
