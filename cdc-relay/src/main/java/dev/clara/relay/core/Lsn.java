package dev.clara.relay.core;

/** PostgreSQL WAL positions: Debezium hands them out as longs, PostgreSQL prints them as X/Y. */
public final class Lsn {

	private Lsn() {
	}

	public static String format(long lsn) {
		return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
	}

	public static long parse(String text) {
		if (text == null) {
			return 0;
		}
		int slash = text.indexOf('/');
		if (slash < 0) {
			throw new IllegalArgumentException("Not an LSN: " + text);
		}
		return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
	}

}
