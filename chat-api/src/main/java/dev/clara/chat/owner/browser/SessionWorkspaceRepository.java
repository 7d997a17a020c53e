package dev.clara.chat.owner.browser;

import java.util.Optional;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;

import org.springframework.stereotype.Repository;

/** The signed-in owner's workspace, read under row-level security for the session body. */
@Repository
class SessionWorkspaceRepository {

	// no WHERE: row-level security leaves exactly the owner's one workspace
	private static final String WORKSPACE = "SELECT id, name FROM workspaces ORDER BY created_at LIMIT 1";

	record Workspace(UUID id, String name) {
	}

	private final OwnerDb db;

	SessionWorkspaceRepository(OwnerDb db) {
		this.db = db;
	}

	Optional<Workspace> of(OwnerPrincipal owner) {
		return this.db.as(owner, sql -> sql.sql(WORKSPACE)
			.query((row, i) -> new Workspace(row.getObject("id", UUID.class), row.getString("name")))
			.optional());
	}

}
