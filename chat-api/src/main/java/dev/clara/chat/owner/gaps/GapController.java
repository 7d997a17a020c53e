package dev.clara.chat.owner.gaps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.gaps.GapRepository.Gap;
import dev.clara.chat.owner.pairs.QaPairInserts;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.JsonBody;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.owner.web.Paging;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gap review: list (status, group, how often and when last asked), read, resolve by creating a
 * Q&A pair (the pair, the gap's status change and its {@code GapDetected} event in ONE
 * transaction), dismiss, reopen; every status change is published for analysts. A dismissed gap
 * can be taught to the answer model as an out-of-scope example ("not something we answer").
 */
@RestController
@RequestMapping("/api/owner/gaps")
class GapController {

	private final OwnerDb db;

	private final JsonMapper json;

	private final OwnerProperties.Csv limits;

	private final GapRepository gaps;

	private final QaPairInserts pairs;

	private final GapStatusEvents events;

	GapController(OwnerDb db, JsonMapper json, OwnerProperties properties, GapRepository gaps, QaPairInserts pairs,
			GapStatusEvents events) {
		this.db = db;
		this.json = json;
		this.limits = properties.csv();
		this.gaps = gaps;
		this.pairs = pairs;
		this.events = events;
	}

	record Resolved(Gap gap, UUID qaPairId, List<UUID> alsoResolved) {
	}

	/**
	 * @param status open (default), resolved, dismissed or all
	 * @param groupId only the gaps of one group
	 * @param sort {@code last_asked} (default) or {@code ask_count}
	 */
	@GetMapping
	Paging.Page<Gap> list(OwnerPrincipal owner, @RequestParam(required = false) String status,
			@RequestParam(name = "group_id", required = false) String groupId,
			@RequestParam(required = false) String sort, @RequestParam(required = false) String page,
			@RequestParam(name = "per_page", required = false) String perPage) {
		Paging paging = Paging.of(page, perPage);
		String statusFilter = switch (status == null ? "open" : status) {
			case "open", "resolved", "dismissed" -> status == null ? "open" : status;
			case "all" -> null;
			default -> throw OwnerProblems.invalid("status", "must be open, resolved, dismissed or all");
		};
		UUID group = null;
		if (groupId != null && !groupId.isBlank()) {
			try {
				group = UUID.fromString(groupId);
			}
			catch (IllegalArgumentException ex) {
				throw OwnerProblems.invalid("group_id", "must be a gap id");
			}
		}
		GapRepository.Order order = switch (sort == null ? "last_asked" : sort) {
			case "last_asked" -> GapRepository.Order.LAST_ASKED;
			case "ask_count" -> GapRepository.Order.ASK_COUNT;
			default -> throw OwnerProblems.invalid("sort", "must be last_asked or ask_count");
		};
		UUID groupFilter = group;
		return this.db.as(owner,
				sql -> paging.page(this.gaps.list(sql, statusFilter, groupFilter, order, paging.perPage(), paging.offset()),
						this.gaps.count(sql, statusFilter, groupFilter)));
	}

	@GetMapping("/{id}")
	Gap read(OwnerPrincipal owner, @PathVariable String id) {
		UUID gap = Ids.parse(id, "gap");
		return this.db.as(owner, sql -> one(sql, gap, false));
	}

	/**
	 * Creates a Q&A pair from the gap ({@code answer} required; {@code question} defaults to the
	 * gap's, {@code category} to general) and marks the gap resolved with it, in one transaction.
	 * {@code resolve_group: true} also resolves the other open gaps of its group with the same pair.
	 */
	@PostMapping("/{id}/resolve")
	ResponseEntity<Resolved> resolve(OwnerPrincipal owner, @PathVariable String id,
			@RequestBody(required = false) String body) {
		UUID gapId = Ids.parse(id, "gap");
		JsonBody request = JsonBody.parse(this.json, body, Set.of("question", "answer", "category", "resolve_group"));
		String question = request.text("question", false, this.limits.maxQuestionChars());
		String answer = request.text("answer", true, this.limits.maxAnswerChars());
		String category = request.text("category", false, this.limits.maxCategoryChars());
		Boolean group = request.bool("resolve_group");
		request.validate();
		Resolved resolved = this.db.as(owner, sql -> {
			Gap gap = one(sql, gapId, true);
			if (!"open".equals(gap.status())) {
				throw OwnerProblems.conflict("The gap is " + gap.status() + "; only open gaps can be resolved");
			}
			UUID pair = this.pairs.insert(sql, OwnerDb.workspaceId(sql),
					new QaPairInserts.NewPair(question == null ? gap.question() : question, answer, category, true,
							QaPairInserts.Source.MANUAL, Map.of("from_gap_id", gapId.toString())));
			this.gaps.resolve(sql, gapId, pair);
			List<UUID> others = List.of();
			if (Boolean.TRUE.equals(group) && gap.groupId() != null) {
				others = this.gaps.resolveRestOfGroup(sql, gapId, gap.groupId(), pair);
			}
			Resolved done = new Resolved(one(sql, gapId, false), pair, others);
			List<UUID> changed = new ArrayList<>(others);
			changed.add(gapId);
			this.events.publish(sql, changed);
			return done;
		});
		return ResponseEntity.status(HttpStatus.CREATED).body(resolved);
	}

	@PostMapping("/{id}/dismiss")
	Gap dismiss(OwnerPrincipal owner, @PathVariable String id) {
		UUID gapId = Ids.parse(id, "gap");
		return this.db.as(owner, sql -> {
			Gap gap = one(sql, gapId, true);
			if (!"open".equals(gap.status())) {
				throw OwnerProblems.conflict("The gap is " + gap.status() + "; only open gaps can be dismissed");
			}
			this.gaps.dismiss(sql, gapId);
			Gap dismissed = one(sql, gapId, false);
			this.events.publish(sql, List.of(gapId));
			return dismissed;
		});
	}

	/** A resolved or dismissed gap becomes open again (its resolving pair stays in the knowledge base). */
	@PostMapping("/{id}/reopen")
	Gap reopen(OwnerPrincipal owner, @PathVariable String id) {
		UUID gapId = Ids.parse(id, "gap");
		return this.db.as(owner, sql -> {
			Gap gap = one(sql, gapId, true);
			if ("open".equals(gap.status())) {
				throw OwnerProblems.conflict("The gap is already open");
			}
			try {
				this.gaps.reopen(sql, gapId);
			}
			catch (DuplicateKeyException ex) {
				throw OwnerProblems.conflict("Another open gap has the same question");
			}
			Gap reopened = one(sql, gapId, false);
			this.events.publish(sql, List.of(gapId));
			return reopened;
		});
	}

	/**
	 * {@code {"teach": true}} marks a dismissed gap as an out-of-scope example of the workspace's
	 * answer model, {@code false} takes it back; setting what is already set changes nothing. The
	 * status does not change, so no gap event: the database asks for training when the flag moves.
	 */
	@PutMapping("/{id}/out-of-scope")
	Gap outOfScope(OwnerPrincipal owner, @PathVariable String id, @RequestBody(required = false) String body) {
		UUID gapId = Ids.parse(id, "gap");
		JsonBody request = JsonBody.parse(this.json, body, Set.of("teach"));
		Boolean teach = request.bool("teach");
		if (teach == null && !request.hasErrors()) {
			request.error("teach", "is required");
		}
		request.validate();
		return this.db.as(owner, sql -> {
			Gap gap = one(sql, gapId, true);
			if (gap.teachOutOfScope() == teach) {
				return gap;
			}
			if (teach && !"dismissed".equals(gap.status())) {
				throw notDismissed(gap);
			}
			try {
				this.gaps.teach(sql, gapId, teach);
			}
			catch (DataIntegrityViolationException ex) {
				// qa_gaps_teach_only_dismissed_check: cannot happen under the lock, kept as a 409 all the same
				throw notDismissed(gap);
			}
			return one(sql, gapId, false);
		});
	}

	private static RuntimeException notDismissed(Gap gap) {
		return OwnerProblems.conflict("The gap is " + gap.status() + "; only dismissed gaps can be taught as out of scope");
	}

	private Gap one(JdbcClient sql, UUID id, boolean lock) {
		return (lock ? this.gaps.lock(sql, id) : this.gaps.find(sql, id))
			.orElseThrow(() -> OwnerProblems.notFound("gap"));
	}

}
