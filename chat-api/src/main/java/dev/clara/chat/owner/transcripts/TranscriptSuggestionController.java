package dev.clara.chat.owner.transcripts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.pairs.QaPairInserts;
import dev.clara.chat.owner.transcripts.TranscriptRepository.Suggestion;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.JsonBody;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.owner.web.Paging;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pairs proposed from transcripts, as the owner reviews them: list (by status), accept one,
 * optionally edited (it becomes an active pair with source {@code transcript_extraction} through
 * the same insert as a pair written by hand, so the change stream announces it and the embedding
 * worker embeds it), or reject one. Suggested and covered suggestions can be decided; a decided
 * one cannot be decided again (409).
 */
@RestController
@RequestMapping("/api/owner/transcript-suggestions")
class TranscriptSuggestionController {

	private static final String WHAT = "transcript suggestion";

	private static final Set<String> STATUSES = Set.of("suggested", "covered", "accepted", "rejected");

	private static final Set<String> FIELDS = Set.of("question", "answer", "category");

	private final OwnerDb db;

	private final TranscriptRepository transcripts;

	private final QaPairInserts pairs;

	private final JsonMapper json;

	private final OwnerProperties.Csv limits;

	TranscriptSuggestionController(OwnerDb db, TranscriptRepository transcripts, QaPairInserts pairs, JsonMapper json,
			OwnerProperties properties) {
		this.db = db;
		this.transcripts = transcripts;
		this.pairs = pairs;
		this.json = json;
		this.limits = properties.csv();
	}

	/** {@code status}: suggested (the default), covered, accepted, rejected or all. */
	@GetMapping
	Paging.Page<Suggestion> list(OwnerPrincipal owner, @RequestParam(required = false) String status,
			@RequestParam(required = false) String page, @RequestParam(name = "per_page", required = false) String perPage) {
		String wanted = (status == null || status.isBlank()) ? "suggested" : status.strip();
		if (!wanted.equals("all") && !STATUSES.contains(wanted)) {
			throw OwnerProblems.invalid("status", "must be suggested, covered, accepted, rejected or all");
		}
		String filter = wanted.equals("all") ? null : wanted;
		Paging paging = Paging.of(page, perPage);
		return this.db.as(owner, sql -> paging.page(this.transcripts.suggestions(sql, filter, paging.perPage(),
				paging.offset()), this.transcripts.countSuggestions(sql, filter)));
	}

	/** The suggestion becomes an active pair (optionally with the owner's edits): one transaction. */
	@PostMapping("/{id}/accept")
	ResponseEntity<Suggestion> accept(OwnerPrincipal owner, @PathVariable String id,
			@RequestBody(required = false) String body) {
		UUID suggestionId = Ids.parse(id, WHAT);
		JsonBody request = JsonBody.parseOptional(this.json, body, FIELDS);
		String question = request.text("question", false, this.limits.maxQuestionChars());
		String answer = request.text("answer", false, this.limits.maxAnswerChars());
		String category = request.text("category", false, this.limits.maxCategoryChars());
		request.validate();
		Suggestion accepted = this.db.as(owner, sql -> {
			Suggestion suggestion = pending(sql, suggestionId, "accepted");
			Map<String, Object> metadata = new LinkedHashMap<>();
			metadata.put("transcript_id", suggestion.transcriptId().toString());
			metadata.put("transcript_title", suggestion.transcriptTitle());
			metadata.put("transcript_suggestion_id", suggestionId.toString());
			metadata.put("sources", suggestion.sources());
			metadata.put("edited", question != null || answer != null);
			UUID pair = this.pairs.insert(sql, OwnerDb.workspaceId(sql),
					new QaPairInserts.NewPair(question != null ? question : suggestion.question(),
							answer != null ? answer : suggestion.answer(), category, true,
							QaPairInserts.Source.TRANSCRIPT_EXTRACTION, metadata));
			this.transcripts.decide(sql, suggestionId, "accepted", pair);
			return one(sql, suggestionId);
		});
		return ResponseEntity.status(HttpStatus.CREATED).body(accepted);
	}

	@PostMapping("/{id}/reject")
	Suggestion reject(OwnerPrincipal owner, @PathVariable String id) {
		UUID suggestionId = Ids.parse(id, WHAT);
		return this.db.as(owner, sql -> {
			pending(sql, suggestionId, "rejected");
			this.transcripts.decide(sql, suggestionId, "rejected", null);
			return one(sql, suggestionId);
		});
	}

	/** The suggestion, locked; 404 when it is not the workspace's, 409 when it was already decided. */
	private Suggestion pending(JdbcClient sql, UUID id, String decision) {
		Suggestion suggestion = this.transcripts.suggestion(sql, id, true)
			.orElseThrow(() -> OwnerProblems.notFound(WHAT));
		if (!"suggested".equals(suggestion.status()) && !"covered".equals(suggestion.status())) {
			throw OwnerProblems.conflict("The transcript suggestion is " + suggestion.status()
					+ "; only suggested or covered ones can be " + decision);
		}
		return suggestion;
	}

	private Suggestion one(JdbcClient sql, UUID id) {
		return this.transcripts.suggestion(sql, id, false).orElseThrow(() -> OwnerProblems.notFound(WHAT));
	}

}
