package dev.clara.chat.turn;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.clara.chat.workspace.WorkspaceRepository;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public chat path runs with the service's privileges, not under an owner's RLS identity, so
 * every statement it sends must name the workspace: this test reads each SQL constant of the
 * path's repositories and fails on one that touches a tenant table without {@code :workspaceId}.
 * (The behaviour is proven over HTTP by {@code theSameTokenInAnotherWorkspaceIsAnotherSession}.)
 */
class PublicPathSqlTests {

	static final List<String> PUBLIC_PATH = List.of(ConversationStore.class.getName(), TurnRecorder.class.getName(),
			"dev.clara.chat.search.PairSearchRepository", "dev.clara.chat.keys.DefaultLlmKeyRepository",
			WorkspaceRepository.class.getName(), "dev.clara.outbox.OutboxWriter",
			"dev.clara.chat.feedback.FeedbackRepository", "dev.clara.chat.passages.PassageSearch");

	static final Pattern TENANT_TABLE = Pattern.compile(
			"\\b(conversations|messages|qa_pairs|search_qa_pairs|search_qa_pairs_hybrid|api_keys|workspaces|outbox_events|api_usage|qa_gaps|message_feedback|documents|document_chunks|search_document_chunks|document_conversation_links)\\b");

	@Test
	void everyStatementOfThePublicPathIsScopedToOneWorkspace() throws ReflectiveOperationException {
		List<String> statements = new ArrayList<>();
		for (String name : PUBLIC_PATH) {
			// the repositories are package-private: named, not imported
			Class<?> type = Class.forName(name);
			for (Field field : type.getDeclaredFields()) {
				if (field.getType() == String.class && Modifier.isStatic(field.getModifiers())) {
					field.setAccessible(true);
					String sql = (String) field.get(null);
					if (sql != null && TENANT_TABLE.matcher(sql).find()) {
						statements.add(type.getSimpleName() + "." + field.getName() + ": " + sql);
					}
				}
			}
		}
		assertThat(statements).hasSizeGreaterThanOrEqualTo(10);
		assertThat(statements).allSatisfy(statement -> assertThat(statement).contains(":workspaceId"));
	}

}
