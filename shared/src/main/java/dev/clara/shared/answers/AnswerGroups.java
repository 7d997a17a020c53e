package dev.clara.shared.answers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Answer groups: the pairs of a workspace whose answers are the same text once normalised (trimmed,
 * runs of white space made one space, case-folded) form one group, the unit the answer model
 * predicts. A pair stays the unit of editing; a group has no row of its own, its id is derived
 * from the normalised answer, so it is the same in every training run while the text stays.
 */
public final class AnswerGroups {

	private static final Pattern WHITE_SPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

	private AnswerGroups() {
	}

	/** The answer as compared: trimmed, white space collapsed to single spaces, case-folded. */
	public static String normalise(String answer) {
		Objects.requireNonNull(answer, "answer");
		String collapsed = WHITE_SPACE.matcher(answer).replaceAll(" ").strip();
		// upper then lower folds the cases a plain toLowerCase leaves apart (e.g. final sigma, ß)
		return collapsed.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
	}

	/** The group id of an answer: the first 16 bytes of the SHA-256 of its normalised text, in hex. */
	public static String groupId(String answer) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalise(answer).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java runtime has SHA-256", ex);
		}
	}

	/**
	 * The pairs by group id, groups in the order of their first pair, pairs in the given order.
	 * @param answerOf the answer text of a pair
	 */
	public static <P> Map<String, List<P>> group(List<P> pairs, Function<P, String> answerOf) {
		Map<String, List<P>> groups = new LinkedHashMap<>();
		for (P pair : pairs) {
			groups.computeIfAbsent(groupId(answerOf.apply(pair)), id -> new ArrayList<>()).add(pair);
		}
		return groups;
	}

}
