package dev.clara.chat.owner.gaps;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.JsonBody;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.owner.web.Paging;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.RowMapper;
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
 * Gap review: list (status, group, how often and when last asked), read, resolve by creating a
 * Q&A pair (the pair, the gap's status change and its {@code GapDetected} event in ONE
 * transaction), dismiss, reopen; every status change is published for analysts.
 */
@RestController
@RequestMapping("/api/owner/gaps")
class GapController {

	private static final String COLUMNS = """
			g.id, g.question, g.status, g.ask_count, g.last_asked_at, g.created_at, g.group_id,
			(SELECT count(*) FROM qa_gaps m WHERE m.group_id = g.group_id) AS group_size,
			g.ai_answer, g.similarity_score, g.best_match_id, g.session_id, g.resolved_qa_id, g.resolved_at,
			g.resolved_automatically
			""";

	private static final String FILTER = """
			WHERE (CAST(:status AS text) IS NULL OR g.status = :status)
			  AND (CAST(:groupId AS uuid) IS NULL OR g.group_id = :groupId)
			""";

	private static final String INSERT_PAIR = """
			INSERT INTO qa_pairs (workspace_id, question, answer, category, source, metadata)
			VALUES (:workspaceId, :question, :answer, :category, 'manual', jsonb_build_object('from_gap_id', CAST(:gapId AS text)))
			RETURNING id
			""";

	private final OwnerDb db;

	private final JsonMapper json;

	private final OwnerProperties.Csv limits;

	private final GapStatusEvents events;

	GapController(OwnerDb db, JsonMapper json, OwnerProperties properties, GapStatusEvents events) {
		this.db = db;
		this.json = json;
		this.limits = properties.csv();
		this.events = events;
	}

	record Gap(UUID id, String question, String status, int askCount, OffsetDateTime lastAskedAt,
			OffsetDateTime createdAt, UUID groupId, long groupSize, String aiAnswer, Double similarityScore,
			UUID bestMatchId, UUID sessionId, UUID resolvedQaId, OffsetDateTime resolvedAt,
			boolean resolvedAutomatically) {
	}

	record Resolved(Gap gap, UUID qaPairId, List<UUID> alsoResolved) {
	}

	static final RowMapper<Gap> ROW = (row, i) -> new Gap(row.getObject("id", UUID.class), row.getString("question"),
			row.getString("status"), row.getInt("ask_count"), row.getObject("last_asked_at", OffsetDateTime.class),
			row.getObject("created_at", OffsetDateTime.class), row.getObject("group_id", UUID.class),
			row.getLong("group_size"), row.getString("ai_answer"), (Double) row.getObject("similarity_score"),
			row.getObject("best_match_id", UUID.class), row.getObject("session_id", UUID.class),
			row.getObject("resolved_qa_id", UUID.class), row.getObject("resolved_at", OffsetDateTime.class),
			row.getBoolean("resolved_automatically"));

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
		String order = switch (sort == null ? "last_asked" : sort) {
			case "last_asked" -> "g.last_asked_at DESC, g.id";
			case "ask_count" -> "g.ask_count DESC, g.last_asked_at DESC, g.id";
			default -> throw OwnerProblems.invalid("sort", "must be last_asked or ask_count");
		};
		UUID groupFilter = group;
		return this.db.as(owner, sql -> {
			List<Gap> items = sql
				.sql("SELECT " + COLUMNS + " FROM qa_gaps g " + FILTER + " ORDER BY " + order
						+ " LIMIT :limit OFFSET :offset")
				.param("status", statusFilter)
				.param("groupId", groupFilter)
				.param("limit", paging.perPage())
				.param("offset", paging.offset())
				.query(ROW)
				.list();
			long total = sql.sql("SELECT count(*) FROM qa_gaps g " + FILTER)
				.param("status", statusFilter)
				.param("groupId", groupFilter)
				.query(Long.class)
				.single();
			return paging.page(items, total);
		});
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
			UUID pair = sql.sql(INSERT_PAIR)
				.param("workspaceId", OwnerDb.workspaceId(sql))
				.param("question", question == null ? gap.question() : question)
				.param("answer", answer)
				.param("category", category == null ? "general" : category)
				.param("gapId", gapId)
				.query(UUID.class)
				.single();
			sql.sql("""
					UPDATE qa_gaps SET status = 'resolved', resolved_qa_id = :pair, resolved_automatically = false
					WHERE id = :id AND status = 'open'
					""").param("pair", pair).param("id", gapId).update();
			List<UUID> others = List.of();
			if (Boolean.TRUE.equals(group) && gap.groupId() != null) {
				others = sql.sql("""
						UPDATE qa_gaps SET status = 'resolved', resolved_qa_id = :pair, resolved_automatically = false
						WHERE group_id = :group AND status = 'open' AND id <> :id
						RETURNING id
						""").param("pair", pair).param("group", gap.groupId()).param("id", gapId).query(UUID.class).list();
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
			sql.sql("UPDATE qa_gaps SET status = 'dismissed', resolved_automatically = false WHERE id = :id")
				.param("id", gapId)
				.update();
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
				sql.sql("""
						UPDATE qa_gaps SET status = 'open', resolved_qa_id = NULL, resolved_automatically = false
						WHERE id = :id
						""").param("id", gapId).update();
			}
			catch (DuplicateKeyException ex) {
				throw OwnerProblems.conflict("Another open gap has the same question");
			}
			Gap reopened = one(sql, gapId, false);
			this.events.publish(sql, List.of(gapId));
			return reopened;
		});
	}

	private static Gap one(JdbcClient sql, UUID id, boolean lock) {
		return sql.sql("SELECT " + COLUMNS + " FROM qa_gaps g WHERE g.id = :id" + (lock ? " FOR UPDATE OF g" : ""))
			.param("id", id)
			.query(ROW)
			.optional()
			.orElseThrow(() -> OwnerProblems.notFound("gap"));
	}

}
