package dev.clara.relay;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.clara.relay.core.CdcRelay;
import dev.clara.relay.core.RelayStartupException;

import static dev.clara.relay.OutboxRelayIntegrationTests.awaitEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * First start (bootstrap), and the refusal to start when offsets and slot disagree, with the
 * recovery command that fixes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OffsetMismatchIntegrationTests {

	private RelayFixture fixture;

	private UUID workspace;

	private final List<UUID> relayed = new ArrayList<>();

	@BeforeAll
	void setUp() throws Exception {
		this.fixture = RelayFixture.create("mismatch");
		this.workspace = this.fixture.newWorkspace();
	}

	@AfterAll
	void tearDown() {
		this.fixture.close();
	}

	@Test
	@Order(1)
	void theFirstStartRelaysOutboxRowsCommittedBeforeTheRelayExisted() throws Exception {
		UUID early;
		try (Connection c = this.fixture.connect()) {
			early = this.fixture.commitTurn(c, this.workspace, "asked before the relay was deployed");
		}
		CdcRelay relay = this.fixture.startRelay();
		UUID later;
		try (Connection c = this.fixture.connect()) {
			later = this.fixture.commitTurn(c, this.workspace, "asked after");
		}
		try (TopicReader reader = new TopicReader(this.fixture.questions)) {
			awaitEvent(reader, early);
			awaitEvent(reader, later);
		}
		this.relayed.add(early);
		this.relayed.add(later);
		awaitSlotConfirmedPastBootstrap();
		relay.close();
	}

	@Test
	@Order(2)
	void lostOffsetsStopTheStartWithTheRecoveryCommand() throws Exception {
		try (Connection c = this.fixture.connect()) {
			RelayFixture.update(c, "DELETE FROM cdc.offsets");
		}
		CdcRelay relay = new CdcRelay(this.fixture.settings().build(), this.fixture.dataSource);
		this.fixture.closeLater(relay);
		assertThatThrownBy(relay::start).isInstanceOf(RelayStartupException.class)
			.hasMessageContaining("no Debezium offsets are stored")
			.hasMessageContaining("java -jar cdc-relay.jar --replay-outbox-since=");
		assertThat(relay.monitor().role().name()).isEqualTo("FAILED");
	}

	@Test
	@Order(3)
	void theRecoveryCommandReplaysTheOutboxAndTheRelayStartsAgain() throws Exception {
		Instant since = Instant.now().minus(10, ChronoUnit.MINUTES);
		CdcRelay.recover(this.fixture.settings().build(), this.fixture.dataSource, since);
		try (TopicReader reader = new TopicReader(this.fixture.questions)) {
			// republished: each earlier event is there twice now (consumers deduplicate by id)
			await().atMost(Duration.ofSeconds(30))
				.until(() -> OutboxRelayIntegrationTests.countById(reader.poll()).get(this.relayed.get(0).toString()) == 2);
		}
		CdcRelay relay = this.fixture.startRelay();
		UUID after;
		try (Connection c = this.fixture.connect()) {
			after = this.fixture.commitTurn(c, this.workspace, "asked after the recovery");
		}
		try (TopicReader reader = new TopicReader(this.fixture.questions)) {
			awaitEvent(reader, after);
		}
		this.relayed.add(after);
		awaitSlotConfirmedPastBootstrap();
		relay.close();
	}

	@Test
	@Order(4)
	void aLostSlotStopsTheStartToo() throws Exception {
		this.fixture.dropSlot();
		CdcRelay relay = new CdcRelay(this.fixture.settings().build(), this.fixture.dataSource);
		this.fixture.closeLater(relay);
		assertThatThrownBy(relay::start).isInstanceOf(RelayStartupException.class)
			.hasMessageContaining("does not exist")
			.hasMessageContaining("java -jar cdc-relay.jar --replay-outbox-since=");
	}

	@Test
	@Order(5)
	void theServiceFailsToStartAndItsRecoveryCommandWorks() throws Exception {
		try (RelayProcess service = RelayProcess.start(this.fixture.settings().build(), "mismatch")) {
			assertThat(service.process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
			assertThat(service.process.exitValue()).isNotZero();
			assertThat(service.logText()).contains("does not exist").contains("--replay-outbox-since=");
		}
		String since = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
		assertThat(RelayProcess.runRecovery(this.fixture.settings().build(), since)).isZero();
		CdcRelay relay = this.fixture.startRelay();
		UUID after;
		try (Connection c = this.fixture.connect()) {
			after = this.fixture.commitTurn(c, this.workspace, "asked after the second recovery");
		}
		try (TopicReader reader = new TopicReader(this.fixture.questions)) {
			awaitEvent(reader, after);
		}
		relay.close();
	}

	/** Waits until Debezium stored offsets and confirmed the slot beyond its starting point. */
	private void awaitSlotConfirmedPastBootstrap() {
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			try (Connection c = this.fixture.connect()) {
				return RelayFixture.count(c, "SELECT count(*) FROM cdc.offsets") > 0 && RelayFixture.count(c, """
						SELECT count(*) FROM pg_replication_slots s JOIN cdc.relay_state r ON r.slot_name = s.slot_name
						 WHERE s.slot_name = ? AND s.confirmed_flush_lsn > r.consistent_lsn""", this.fixture.slot) == 1;
			}
		});
	}

}
