package dev.clara.relay.core;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

import org.postgresql.PGProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One active relay per slot: a session-level PostgreSQL advisory lock held on a connection of its
 * own. Whoever holds it streams; the others wait as standby and try again. The lock goes with
 * its session: when the holder dies (kill -9, crash, lost network) PostgreSQL ends the session
 * and a standby takes over. The replication slot itself admits one reader at a time as well, so
 * a stale leader cannot stream next to a new one.
 */
final class LeaderLock implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LeaderLock.class);

	private final RelaySettings settings;

	private Connection connection;

	private boolean held;

	LeaderLock(RelaySettings settings) {
		this.settings = settings;
	}

	/** The lock's name: one per slot. */
	String key() {
		return "clara-cdc-relay:" + this.settings.slotName();
	}

	/** Tries once; true when this instance now holds the lock. */
	synchronized boolean tryAcquire() {
		if (this.held) {
			return true;
		}
		try {
			if (this.connection == null || this.connection.isClosed()) {
				this.connection = open();
			}
			try (PreparedStatement ps = this.connection
				.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
				ps.setString(1, key());
				try (ResultSet rs = ps.executeQuery()) {
					rs.next();
					this.held = rs.getBoolean(1);
				}
			}
		}
		catch (SQLException ex) {
			logger.warn("Could not try the relay lock: {}", ex.getMessage());
			closeQuietly();
		}
		return this.held;
	}

	/** Whether the lock's session is still alive (then the lock is still held). */
	synchronized boolean verify() {
		if (!this.held || this.connection == null) {
			return false;
		}
		try (PreparedStatement ps = this.connection.prepareStatement("SELECT 1")) {
			ps.setQueryTimeout(5);
			ps.executeQuery().close();
			return true;
		}
		catch (SQLException ex) {
			logger.error("Lost the relay lock's database session: {}", ex.getMessage());
			closeQuietly();
			return false;
		}
	}

	synchronized boolean isHeld() {
		return this.held;
	}

	/** Releases the lock (closing its session). */
	synchronized void release() {
		closeQuietly();
	}

	private void closeQuietly() {
		this.held = false;
		if (this.connection != null) {
			try {
				this.connection.close();
			}
			catch (SQLException ex) {
				logger.debug("Closing the lock connection failed", ex);
			}
			this.connection = null;
		}
	}

	private Connection open() throws SQLException {
		Properties props = new Properties();
		PGProperty.USER.set(props, this.settings.user());
		PGProperty.PASSWORD.set(props, this.settings.password());
		PGProperty.APPLICATION_NAME.set(props, "clara-cdc-relay-lock");
		PGProperty.TCP_KEEP_ALIVE.set(props, true);
		PGProperty.CONNECT_TIMEOUT.set(props, 10);
		return DriverManager.getConnection(this.settings.jdbcUrl(), props);
	}

	@Override
	public void close() {
		release();
	}

}
