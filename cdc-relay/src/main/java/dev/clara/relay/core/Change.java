package dev.clara.relay.core;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One row change of a captured table, as plain values (Debezium's Connect structs reduced to
 * what the relay reads).
 *
 * @param table schema-qualified table name, for example {@code public.qa_pairs}
 * @param op {@code c} insert, {@code u} update, {@code d} delete, {@code r} snapshot read
 * @param before the row before (updates and deletes; every column with REPLICA IDENTITY FULL)
 * @param after the row after (inserts and updates)
 * @param position the change's place in the stream
 * @param commitTime commit time of its transaction
 */
public record Change(String table, String op, Map<String, Object> before, Map<String, Object> after,
		Position position, Instant commitTime) {

	/** Debezium's value for a TOASTed column the update did not touch. */
	public static final String UNAVAILABLE = "__debezium_unavailable_value";

	public boolean isInsert() {
		return "c".equals(this.op) || "r".equals(this.op);
	}

	public boolean isUpdate() {
		return "u".equals(this.op);
	}

	public boolean isDelete() {
		return "d".equals(this.op);
	}

	/** The row as it is now (after), or as it was (before) for a delete. */
	public Map<String, Object> row() {
		return (this.after != null) ? this.after : this.before;
	}

	public static String string(Map<String, Object> row, String column) {
		if (row == null) {
			return null;
		}
		Object value = row.get(column);
		return (value != null) ? value.toString() : null;
	}

	public static UUID uuid(Map<String, Object> row, String column) {
		String text = string(row, column);
		return (text != null) ? UUID.fromString(text) : null;
	}

	public static boolean bool(Map<String, Object> row, String column) {
		Object value = (row != null) ? row.get(column) : null;
		return Boolean.TRUE.equals(value);
	}

	public static long number(Map<String, Object> row, String column) {
		Object value = (row != null) ? row.get(column) : null;
		return (value instanceof Number n) ? n.longValue() : 0L;
	}

	/** A timestamptz column (Debezium's ZonedTimestamp, an ISO-8601 string). */
	public static Instant instant(Map<String, Object> row, String column) {
		String text = string(row, column);
		if (text == null || UNAVAILABLE.equals(text)) {
			return null;
		}
		return OffsetDateTime.parse(text).toInstant();
	}

	/** Whether a column differs between before and after (an unchanged TOASTed value counts as equal). */
	public boolean changed(String column) {
		Object newValue = (this.after != null) ? this.after.get(column) : null;
		if (UNAVAILABLE.equals(newValue)) {
			return false;
		}
		Object oldValue = (this.before != null) ? this.before.get(column) : null;
		return !Objects.equals(oldValue, newValue);
	}

}
