package dev.clara.chat.owner.web;

import java.util.UUID;

/** Path ids: anything that is not a UUID names nothing, so it is a 404 like another owner's id. */
public final class Ids {

	private Ids() {
	}

	public static UUID parse(String id, String what) {
		try {
			if (id != null && id.length() == 36) {
				return UUID.fromString(id);
			}
		}
		catch (IllegalArgumentException ex) {
			// fall through
		}
		throw OwnerProblems.notFound(what);
	}

}
