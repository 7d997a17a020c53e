package dev.clara.relay.core;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** Reads Debezium's change records (Connect format) into {@link Change}s. */
final class ChangeReader {

	private ChangeReader() {
	}

	/**
	 * The change a record carries, or null for records that carry none (heartbeats, tombstones,
	 * truncates).
	 */
	static Change read(SourceRecord record) {
		if (!(record.value() instanceof Struct value) || record.valueSchema() == null
				|| record.valueSchema().name() == null || !record.valueSchema().name().endsWith(".Envelope")) {
			return null;
		}
		String op = value.getString("op");
		if (op == null || "t".equals(op) || "m".equals(op)) {
			return null;
		}
		Struct source = value.getStruct("source");
		String table = source.getString("schema") + "." + source.getString("table");
		Map<String, ?> offset = record.sourceOffset();
		long txLsn = asLong(offset.get("lsn_commit"));
		long lsn = asLong(offset.get("lsn"));
		if (lsn == 0) {
			lsn = asLong(source.get("lsn"));
		}
		return new Change(table, op, toMap(value.getStruct("before")), toMap(value.getStruct("after")),
				new Position(txLsn, lsn), commitTime(source));
	}

	private static Instant commitTime(Struct source) {
		Field micros = source.schema().field("ts_us");
		if (micros != null && source.get(micros) != null) {
			long us = source.getInt64("ts_us");
			return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000L);
		}
		return Instant.ofEpochMilli(source.getInt64("ts_ms"));
	}

	private static long asLong(Object value) {
		return (value instanceof Number n) ? n.longValue() : 0L;
	}

	private static Map<String, Object> toMap(Struct struct) {
		if (struct == null) {
			return null;
		}
		Map<String, Object> row = new HashMap<>();
		for (Field field : struct.schema().fields()) {
			row.put(field.name(), struct.get(field));
		}
		return row;
	}

}
