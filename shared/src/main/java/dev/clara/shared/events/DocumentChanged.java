package dev.clara.shared.events;

import java.util.UUID;

/**
 * An owner uploaded a document (its first version or a new one) or deleted it. Written to the
 * outbox by chat-api in the owner's transaction that stores the file (or deletes the document),
 * and relayed to the documents topic, where the embedding worker extracts, chunks and embeds the
 * version. The event only says which document and version to look at: the database says whether
 * that version is still the newest and still waiting.
 *
 * @param documentId the {@code documents} row
 * @param operation {@code uploaded} or {@code deleted}
 * @param version the version uploaded (1, 2, …), or the last version when deleted
 * @param contentType the media type recognised from the file's content (null when deleted)
 * @param fileSize the file's size in bytes (0 when deleted)
 */
public record DocumentChanged(UUID documentId, String operation, int version, String contentType, long fileSize) {

	public static final String TYPE = "DocumentChanged";

	public static final int VERSION = 1;

	public static final String UPLOADED = "uploaded";

	public static final String DELETED = "deleted";

}
