package dev.clara.chat.owner.assets;

import java.util.Optional;

/**
 * The image types an avatar or chat icon may have, recognised by their first bytes (the declared
 * type is only checked against them). SVG is refused: it can carry scripts.
 */
public enum ImageType {

	PNG("image/png", "png"), JPEG("image/jpeg", "jpg"), GIF("image/gif", "gif"), WEBP("image/webp", "webp");

	private final String mediaType;

	private final String extension;

	ImageType(String mediaType, String extension) {
		this.mediaType = mediaType;
		this.extension = extension;
	}

	public String mediaType() {
		return this.mediaType;
	}

	public String extension() {
		return this.extension;
	}

	public static Optional<ImageType> sniff(byte[] bytes) {
		if (starts(bytes, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
			return Optional.of(PNG);
		}
		if (starts(bytes, 0xFF, 0xD8, 0xFF)) {
			return Optional.of(JPEG);
		}
		if (starts(bytes, 'G', 'I', 'F', '8', '7', 'a') || starts(bytes, 'G', 'I', 'F', '8', '9', 'a')) {
			return Optional.of(GIF);
		}
		if (bytes.length >= 12 && starts(bytes, 'R', 'I', 'F', 'F') && bytes[8] == 'W' && bytes[9] == 'E'
				&& bytes[10] == 'B' && bytes[11] == 'P') {
			return Optional.of(WEBP);
		}
		return Optional.empty();
	}

	/** Whether a declared media type agrees with this type ({@code image/jpg} is a common alias). */
	public boolean matchesDeclared(String declared) {
		if (declared == null || declared.isBlank() || declared.startsWith("application/octet-stream")) {
			return true;
		}
		String type = declared.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
		return type.equals(this.mediaType) || (this == JPEG && type.equals("image/jpg"));
	}

	private static boolean starts(byte[] bytes, int... prefix) {
		if (bytes.length < prefix.length) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if ((bytes[i] & 0xFF) != prefix[i]) {
				return false;
			}
		}
		return true;
	}

}
