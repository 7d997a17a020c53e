package dev.clara.chat.owner.conversations;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.owner.web.Paging;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The workspace's conversations, newest first, and one conversation with its messages. The
 * visitor's session token is not shown: it is the visitor's key to the conversation.
 */
@RestController
@RequestMapping("/api/owner/conversations")
class ConversationController {

	private static final String COLUMNS = """
			c.id, c.title, c.visitor_name, c.visitor_email, c.escalated, c.escalated_at, c.is_archived,
			c.user_id IS NOT NULL AS signed_in_user, c.created_at, c.updated_at,
			(SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count,
			(SELECT max(m.created_at) FROM messages m WHERE m.conversation_id = c.id) AS last_message_at
			""";

	private static final String FILTER = "WHERE (CAST(:escalated AS boolean) IS NULL OR c.escalated = :escalated)";

	private final OwnerDb db;

	private final JsonMapper json;

	ConversationController(OwnerDb db, JsonMapper json) {
		this.db = db;
		this.json = json;
	}

	record Conversation(UUID id, String title, String visitorName, String visitorEmail, boolean escalated,
			OffsetDateTime escalatedAt, boolean isArchived, boolean signedInUser, long messageCount,
			OffsetDateTime lastMessageAt, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
	}

	record Message(UUID id, UUID messageId, String role, String content, JsonNode metadata, OffsetDateTime createdAt) {
	}

	record WithMessages(Conversation conversation, List<Message> messages) {
	}

	static final RowMapper<Conversation> ROW = (row, i) -> new Conversation(row.getObject("id", UUID.class),
			row.getString("title"), row.getString("visitor_name"), row.getString("visitor_email"),
			row.getBoolean("escalated"), row.getObject("escalated_at", OffsetDateTime.class),
			row.getBoolean("is_archived"), row.getBoolean("signed_in_user"), row.getLong("message_count"),
			row.getObject("last_message_at", OffsetDateTime.class), row.getObject("created_at", OffsetDateTime.class),
			row.getObject("updated_at", OffsetDateTime.class));

	@GetMapping
	Paging.Page<Conversation> list(OwnerPrincipal owner, @RequestParam(required = false) String escalated,
			@RequestParam(required = false) String page, @RequestParam(name = "per_page", required = false) String perPage) {
		Paging paging = Paging.of(page, perPage);
		Boolean escalatedFilter = switch (escalated == null ? "" : escalated) {
			case "" -> null;
			case "true" -> Boolean.TRUE;
			case "false" -> Boolean.FALSE;
			default -> throw OwnerProblems.invalid("escalated", "must be true or false");
		};
		return this.db.as(owner, sql -> {
			List<Conversation> items = sql
				.sql("SELECT " + COLUMNS + " FROM conversations c " + FILTER
						+ " ORDER BY c.updated_at DESC, c.id LIMIT :limit OFFSET :offset")
				.param("escalated", escalatedFilter)
				.param("limit", paging.perPage())
				.param("offset", paging.offset())
				.query(ROW)
				.list();
			long total = sql.sql("SELECT count(*) FROM conversations c " + FILTER)
				.param("escalated", escalatedFilter)
				.query(Long.class)
				.single();
			return paging.page(items, total);
		});
	}

	@GetMapping("/{id}")
	WithMessages read(OwnerPrincipal owner, @PathVariable String id) {
		UUID conversation = Ids.parse(id, "conversation");
		return this.db.as(owner, sql -> {
			Conversation found = sql.sql("SELECT " + COLUMNS + " FROM conversations c WHERE c.id = :id")
				.param("id", conversation)
				.query(ROW)
				.optional()
				.orElseThrow(() -> OwnerProblems.notFound("conversation"));
			List<Message> messages = sql.sql("""
					SELECT id, message_id, role, content, metadata::text AS metadata, created_at FROM messages
					WHERE conversation_id = :id ORDER BY created_at, id
					""")
				.param("id", conversation)
				.query((row, i) -> new Message(row.getObject("id", UUID.class), row.getObject("message_id", UUID.class),
						row.getString("role"), row.getString("content"), this.json.readTree(row.getString("metadata")),
						row.getObject("created_at", OffsetDateTime.class)))
				.list();
			return new WithMessages(found, messages);
		});
	}

}
