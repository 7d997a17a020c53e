package dev.clara.relay.core;

/**
 * Where a change sits in the replication stream, comparable across restarts: the commit LSN of
 * the transaction streamed before the change's own (Debezium's {@code lsn_commit}; 0 before the
 * first commit of a fresh slot) and the change's own LSN. The stream delivers transactions in
 * commit order, so the first part grows with every transaction and the second orders the changes
 * inside one. (The change LSN alone does not: a transaction that began earlier can commit later.)
 * A redelivered change carries the same position, which is what the projection guard relies on.
 */
public record Position(long txLsn, long lsn) implements Comparable<Position> {

	public static final Position ZERO = new Position(0, 0);

	@Override
	public int compareTo(Position other) {
		int byTx = Long.compareUnsigned(this.txLsn, other.txLsn);
		return (byTx != 0) ? byTx : Long.compareUnsigned(this.lsn, other.lsn);
	}

	public boolean isAfter(Position other) {
		return compareTo(other) > 0;
	}

	@Override
	public String toString() {
		return Lsn.format(this.txLsn) + "+" + Lsn.format(this.lsn);
	}

}
