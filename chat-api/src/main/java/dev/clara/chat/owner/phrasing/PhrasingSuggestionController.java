package dev.clara.chat.owner.phrasing;

import java.util.Map;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.pairs.QaPairInserts;
import dev.clara.chat.owner.phrasing.PhrasingSuggestionRepository.Suggestion;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.owner.web.Paging;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Phrasings visitors offered with a thumbs-up: list the open ones, accept one (it becomes a new
 * pair with the suggested pair's answer and category, so the answer group learns the phrasing once
 * the pipeline has embedded and trained on it) or reject one.
 */
@RestController
@RequestMapping("/api/owner/phrasing-suggestions")
class PhrasingSuggestionController {

	private static final String WHAT = "phrasing suggestion";

	private final OwnerDb db;

	private final PhrasingSuggestionRepository suggestions;

	private final QaPairInserts pairs;

	PhrasingSuggestionController(OwnerDb db, PhrasingSuggestionRepository suggestions, QaPairInserts pairs) {
		this.db = db;
		this.suggestions = suggestions;
		this.pairs = pairs;
	}

	@GetMapping
	Paging.Page<Suggestion> list(OwnerPrincipal owner, @RequestParam(required = false) String page,
			@RequestParam(name = "per_page", required = false) String perPage) {
		Paging paging = Paging.of(page, perPage);
		return this.db.as(owner, sql -> paging.page(this.suggestions.open(sql, paging.perPage(), paging.offset()),
				this.suggestions.countOpen(sql)));
	}

	/** The phrasing becomes a new active pair, and the suggestion {@code accepted} with its id: one transaction. */
	@PostMapping("/{id}/accept")
	ResponseEntity<Suggestion> accept(OwnerPrincipal owner, @PathVariable String id) {
		UUID suggestionId = Ids.parse(id, WHAT);
		Suggestion accepted = this.db.as(owner, sql -> {
			Suggestion suggestion = open(sql, suggestionId, "accepted");
			UUID pair = this.pairs.insert(sql, OwnerDb.workspaceId(sql),
					new QaPairInserts.NewPair(suggestion.phrasing().strip(), suggestion.pairAnswer(),
							suggestion.pairCategory(), true, QaPairInserts.Source.MANUAL,
							Map.of("from_phrasing_suggestion_id", suggestionId.toString(), "phrasing_of_qa_id",
									suggestion.qaPairId().toString())));
			this.suggestions.decide(sql, suggestionId, "accepted", pair);
			return one(sql, suggestionId);
		});
		return ResponseEntity.status(HttpStatus.CREATED).body(accepted);
	}

	@PostMapping("/{id}/reject")
	Suggestion reject(OwnerPrincipal owner, @PathVariable String id) {
		UUID suggestionId = Ids.parse(id, WHAT);
		return this.db.as(owner, sql -> {
			open(sql, suggestionId, "rejected");
			this.suggestions.decide(sql, suggestionId, "rejected", null);
			return one(sql, suggestionId);
		});
	}

	/** The suggestion, locked; 404 when it is not the workspace's, 409 when it was already decided. */
	private Suggestion open(JdbcClient sql, UUID id, String decision) {
		Suggestion suggestion = this.suggestions.find(sql, id, true).orElseThrow(() -> OwnerProblems.notFound(WHAT));
		if (!"open".equals(suggestion.status())) {
			throw OwnerProblems.conflict("The phrasing suggestion is " + suggestion.status()
					+ "; only open suggestions can be " + decision);
		}
		return suggestion;
	}

	private Suggestion one(JdbcClient sql, UUID id) {
		return this.suggestions.find(sql, id, false).orElseThrow(() -> OwnerProblems.notFound(WHAT));
	}

}
